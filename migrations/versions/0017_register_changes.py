"""changes proposed to approved things (register rows' new values, requests to reopen a document);
workflow history may record a withdrawn submission

Revision ID: 0017_register_changes
Revises: 0016_standard_decree_texts
Create Date: 2026-12-02 06:00:00

An approved register row keeps counting with its approved values while a change of it waits for review:
the change is its own record with its own workflow entry. The operator may take a submission back
before it is reviewed ("withdraw"), a new action in the history.
"""
from alembic import op
import sqlalchemy as sa


revision = '0017_register_changes'
down_revision = '0016_standard_decree_texts'
branch_labels = None
depends_on = None

OLD_ACTIONS = ('create', 'edit', 'submit', 'approve', 'return', 'reopen')
NEW_ACTIONS = OLD_ACTIONS + ('withdraw',)


def _actions(values):
    return "action IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def upgrade():
    with op.batch_alter_table('workflow_events', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_workflow_events_workflowaction'), type_='check')
        batch_op.create_check_constraint(op.f('ck_workflow_events_workflowaction'), _actions(NEW_ACTIONS))
    op.create_table('change_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('target_entry_id', sa.Integer(), nullable=False),
    sa.Column('base_version', sa.Integer(), nullable=False),
    sa.Column('register', sa.String(length=40), nullable=True),
    sa.Column('row_id', sa.Integer(), nullable=True),
    sa.Column('proposed', sa.JSON(), nullable=False),
    sa.Column('old_values', sa.JSON(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('evidence_file', sa.String(length=64), nullable=True),
    sa.Column('evidence_filename', sa.String(length=200), nullable=True),
    sa.Column('evidence_mime', sa.String(length=120), nullable=True),
    sa.Column('evidence_sha256', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('applied_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('(register IS NULL) = (row_id IS NULL)', name=op.f('ck_change_requests_row_with_register')),
    sa.ForeignKeyConstraint(['entry_id'], ['workflow_entries.id'], name=op.f('fk_change_requests_entry_id_workflow_entries'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_change_requests_office_id_offices'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['target_entry_id'], ['workflow_entries.id'], name=op.f('fk_change_requests_target_entry_id_workflow_entries'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_change_requests')),
    sa.UniqueConstraint('entry_id', name=op.f('uq_change_requests_entry_id'))
    )
    with op.batch_alter_table('change_requests', schema=None) as batch_op:
        batch_op.create_index('ix_change_requests_row', ['office_id', 'register', 'row_id'], unique=False)
        batch_op.create_index('ix_change_requests_target', ['target_entry_id', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('change_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_change_requests_target')
        batch_op.drop_index('ix_change_requests_row')
    op.drop_table('change_requests')
    op.execute("DELETE FROM workflow_events WHERE action = 'withdraw'")
    with op.batch_alter_table('workflow_events', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_workflow_events_workflowaction'), type_='check')
        batch_op.create_check_constraint(op.f('ck_workflow_events_workflowaction'), _actions(OLD_ACTIONS))
