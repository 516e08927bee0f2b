"""the desa of each office, and the rows' free-text desa made one spelling per village

Revision ID: 0020_desa
Revises: 0019_register_evidence_versions
Create Date: 2026-12-02 06:00:00

Complaints and activities typed their desa as free text ("Kepanjen" and "kepanjen " were two villages).
Each office gets a desa list built from what its rows hold, normalised (spaces trimmed and collapsed,
compared case-folded; the spelling used most often names the desa, on a tie the one sorting first), and
every row's desa becomes that name. Rows keep the desa as its name (no foreign key): the list is what the
forms choose from. The rules are copied from iku_workflow/domain/desa.py (a revision imports no app code).
"""
from collections import Counter

from alembic import op
import sqlalchemy as sa


revision = '0020_desa'
down_revision = '0019_register_evidence_versions'
branch_labels = None
depends_on = None

TABLES = ('complaints', 'activities')


def _clean(text):
    return " ".join((text or "").split())


def _canonical(values):
    counts = {}
    for value in values:
        name = _clean(value)
        if name:
            counts.setdefault(name.casefold(), Counter())[name] += 1
    return {key: sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] for key, c in counts.items()}


def upgrade():
    op.create_table('desa',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('name_key', sa.String(length=120), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_desa_office_id_offices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_desa')),
    sa.UniqueConstraint('office_id', 'name_key', name=op.f('uq_desa_office_id_name_key'))
    )
    with op.batch_alter_table('desa', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_desa_office_id'), ['office_id'], unique=False)

    bind = op.get_bind()
    meta = sa.MetaData()
    desa = sa.Table('desa', meta, autoload_with=bind)
    tables = {name: sa.Table(name, meta, autoload_with=bind) for name in TABLES}
    values = {}  # office_id -> desa texts of its rows
    for table in tables.values():
        for office_id, text in bind.execute(sa.select(table.c.office_id, table.c.desa)):
            values.setdefault(office_id, []).append(text)
    now = sa.func.now() if bind.dialect.name == 'postgresql' else sa.func.current_timestamp()
    for office_id in sorted(values):
        names = _canonical(values[office_id])
        for position, key in enumerate(sorted(names, key=lambda k: names[k].casefold()), start=1):
            bind.execute(desa.insert().values(office_id=office_id, name=names[key], name_key=key,
                                              position=position, active=True, created_at=now))
        for table in tables.values():
            for row_id, text in bind.execute(sa.select(table.c.id, table.c.desa).where(table.c.office_id == office_id)):
                name = names.get(_clean(text).casefold(), "")
                if name != (text or ""):
                    bind.execute(table.update().where(table.c.id == row_id).values(desa=name))


def downgrade():
    # the rows keep their normalised names: the spellings before were mistakes
    with op.batch_alter_table('desa', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_desa_office_id'))
    op.drop_table('desa')
