"""review at volume: a notification may stand for a batch of entries, and carry a code for its language

Revision ID: 0018_review_batches
Revises: 0017_register_changes
Create Date: 2026-12-02 06:00:00

One notification per batch ("Seksi Trantib mengajukan 60 data ...") instead of one per row: it names
its entries in notification_entries (read when the recipient opens or reviews any of them) and leads
to ``link``; ``code`` + ``params`` let an English page show it in English (``message`` stays the
Indonesian text as sent).
"""
from alembic import op
import sqlalchemy as sa


revision = '0018_review_batches'
down_revision = '0017_register_changes'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('code', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('params', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('link', sa.String(length=300), nullable=True))
    op.create_table('notification_entries',
    sa.Column('notification_id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['workflow_entries.id'], name=op.f('fk_notification_entries_entry_id_workflow_entries'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['notification_id'], ['notifications.id'], name=op.f('fk_notification_entries_notification_id_notifications'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('notification_id', 'entry_id', name=op.f('pk_notification_entries'))
    )
    with op.batch_alter_table('notification_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notification_entries_entry_id'), ['entry_id'], unique=False)


def downgrade():
    with op.batch_alter_table('notification_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notification_entries_entry_id'))
    op.drop_table('notification_entries')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_column('link')
        batch_op.drop_column('params')
        batch_op.drop_column('code')
