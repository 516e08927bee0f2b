"""register evidence keeps its versions (issue 13)

Revision ID: 0019_register_evidence_versions
Revises: 0018_review_batches
Create Date: 2026-12-02 06:00:00

Each register row's evidence becomes a list of versions in ``register_evidence_files``, like the file
versions of a required document. What existed is carried over: the files an earlier edit kept because
they had been submitted (audit events "registers.evidence_kept", with their SHA-256) become the first
versions, oldest first, and the row's current file the last one. The row's evidence columns stay as
the copy of its current version.
"""
import json

from alembic import op
import sqlalchemy as sa


revision = '0019_register_evidence_versions'
down_revision = '0018_review_batches'
branch_labels = None
depends_on = None

#: register slug -> its table (registers/spec.py)
REGISTERS = {"kegiatan": "activities", "pengaduan": "complaints", "sakip": "sakip_evaluations",
             "program": "program_indicators"}


def upgrade():
    op.create_table('register_evidence_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('register', sa.String(length=20), nullable=False),
    sa.Column('row_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('stored_name', sa.String(length=64), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('mime', sa.String(length=120), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted', sa.Boolean(), nullable=False),
    sa.CheckConstraint('version >= 1', name=op.f('ck_register_evidence_files_version_positive')),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_register_evidence_files_office_id_offices'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_register_evidence_files_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_register_evidence_files')),
    sa.UniqueConstraint('register', 'row_id', 'version', name=op.f('uq_register_evidence_files_register_row_id_version')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_register_evidence_files_stored_name'))
    )
    with op.batch_alter_table('register_evidence_files', schema=None) as batch_op:
        batch_op.create_index('ix_register_evidence_files_row', ['register', 'row_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_register_evidence_files_office_id'), ['office_id'], unique=False)
    _carry_over()


def _details(value):
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return {}
    return value or {}


def _carry_over():
    conn = op.get_bind()
    meta = sa.MetaData()
    files = sa.Table('register_evidence_files', meta, autoload_with=conn)
    audit = sa.Table('audit_events', meta, autoload_with=conn)
    events = sa.Table('workflow_events', meta, autoload_with=conn)
    kept = {}
    for row in conn.execute(sa.select(audit.c.object_type, audit.c.object_id, audit.c.user_id, audit.c.created_at,
                                      audit.c.details).where(audit.c.action == 'registers.evidence_kept')
                            .order_by(audit.c.id)):
        kept.setdefault((row.object_type, row.object_id), []).append(row)
    submitted_entries = {r[0] for r in conn.execute(
        sa.select(events.c.entry_id).where(events.c.action == 'submit').distinct())}
    seen = set()
    for slug, table_name in REGISTERS.items():
        table = sa.Table(table_name, meta, autoload_with=conn)
        for row in conn.execute(sa.select(table).order_by(table.c.id)):
            version = 0
            for event in kept.get((table_name, row.id), []):
                details = _details(event.details)
                key = details.get('key') or ''
                name = key.rsplit('/', 1)[-1]
                if not key.startswith('evidence/') or not name or name in seen:
                    continue
                seen.add(name)
                version += 1
                conn.execute(files.insert().values(
                    office_id=row.office_id, register=slug, row_id=row.id, version=version, stored_name=name,
                    filename=(details.get('filename') or name)[:200],
                    mime=(details.get('mime') or 'application/octet-stream')[:120], size=None,
                    sha256=details.get('sha256'), uploaded_by_id=None, uploaded_at=event.created_at,
                    submitted=True))
            if row.evidence_file and row.evidence_file not in seen:
                seen.add(row.evidence_file)
                conn.execute(files.insert().values(
                    office_id=row.office_id, register=slug, row_id=row.id, version=version + 1,
                    stored_name=row.evidence_file, filename=(row.evidence_filename or row.evidence_file)[:200],
                    mime=(row.evidence_mime or 'application/octet-stream')[:120], size=None, sha256=None,
                    uploaded_by_id=None, uploaded_at=row.created_at,
                    submitted=row.entry_id in submitted_entries))


def downgrade():
    with op.batch_alter_table('register_evidence_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_register_evidence_files_office_id'))
        batch_op.drop_index('ix_register_evidence_files_row')
    op.drop_table('register_evidence_files')
