"""audit log: hash chain per office (seq, prev_hash, hash) and triggers refusing UPDATE and DELETE

Revision ID: 0011_audit_chain
Revises: 0010_sign_in_and_public_tokens
Create Date: 2026-12-01 23:10:00

Existing events are chained in id order, one chain per office (events without an office form their
own). The canonical hash (version 1) is copied here from ``iku_workflow.models.audit.event_digest``:
a revision is history and may not import the app. The triggers' text is the app's, copied likewise.
"""
import hashlib
import json
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_audit_chain'
down_revision = '0010_sign_in_and_public_tokens'
branch_labels = None
depends_on = None

GENESIS_HASH = '0' * 64

SQLITE = [
    """CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: UPDATE refused'); END""",
    """CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: DELETE refused'); END""",
]
POSTGRESQL = [
    """CREATE OR REPLACE FUNCTION audit_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = 'audit_events is append-only: ' || TG_OP || ' refused', ERRCODE = 'insufficient_privilege';
END;
$$""",
    """CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change()""",
]


def _time(value):
    if isinstance(value, str):  # SQLite hands back text
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).strftime('%Y-%m-%dT%H:%M:%S.%fZ')


def _digest(row, seq, prev_hash):
    details = row.details
    if isinstance(details, str):
        details = json.loads(details)
    content = {'v': 1, 'seq': seq, 'created_at': _time(row.created_at), 'office_id': row.office_id,
               'user_id': row.user_id, 'username': row.username or '', 'action': row.action,
               'object_type': row.object_type or '', 'object_id': row.object_id,
               'ip_address': row.ip_address or '', 'details': details or {}, 'prev_hash': prev_hash}
    text = json.dumps(content, sort_keys=True, separators=(',', ':'), ensure_ascii=False)
    return hashlib.sha256(text.encode('utf-8')).hexdigest()


def upgrade():
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seq', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('hash', sa.String(length=64), nullable=True))

    bind = op.get_bind()
    events = sa.table('audit_events', sa.column('id', sa.Integer), sa.column('created_at'),
                      sa.column('office_id', sa.Integer), sa.column('user_id', sa.Integer),
                      sa.column('username'), sa.column('action'), sa.column('object_type'),
                      sa.column('object_id', sa.Integer), sa.column('ip_address'), sa.column('details', sa.JSON),
                      sa.column('seq', sa.Integer), sa.column('prev_hash'), sa.column('hash'))
    heads = {}
    for row in bind.execute(sa.select(events).order_by(events.c.id)).all():
        seq, prev_hash = heads.get(row.office_id, (0, GENESIS_HASH))
        digest = _digest(row, seq + 1, prev_hash)
        bind.execute(events.update().where(events.c.id == row.id).values(seq=seq + 1, prev_hash=prev_hash, hash=digest))
        heads[row.office_id] = (seq + 1, digest)

    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.alter_column('seq', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('prev_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_audit_events_office_id_seq'), ['office_id', 'seq'])

    for statement in SQLITE if bind.dialect.name == 'sqlite' else POSTGRESQL:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('DROP TRIGGER IF EXISTS audit_events_no_update')
        op.execute('DROP TRIGGER IF EXISTS audit_events_no_delete')
    else:
        op.execute('DROP TRIGGER IF EXISTS audit_events_append_only ON audit_events')
        op.execute('DROP FUNCTION IF EXISTS audit_events_refuse_change()')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_audit_events_office_id_seq'), type_='unique')
        batch_op.drop_column('hash')
        batch_op.drop_column('prev_hash')
        batch_op.drop_column('seq')
