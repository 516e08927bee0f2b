"""reminders sent: one row per entry, threshold and due date, so `reminders send` never sends twice

Revision ID: 0022_reminders
Revises: 0021_survey_kiosk
Create Date: 2026-12-02 06:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0022_reminders'
down_revision = '0021_survey_kiosk'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('reminders_sent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('threshold', sa.String(length=16), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('recipients', sa.Integer(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['workflow_entries.id'], name=op.f('fk_reminders_sent_entry_id_workflow_entries'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminders_sent')),
    sa.UniqueConstraint('entry_id', 'threshold', 'due_date', name=op.f('uq_reminders_sent_entry_id_threshold_due_date'))
    )
    with op.batch_alter_table('reminders_sent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminders_sent_entry_id'), ['entry_id'], unique=False)


def downgrade():
    with op.batch_alter_table('reminders_sent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminders_sent_entry_id'))
    op.drop_table('reminders_sent')
