"""the kabupaten: its offices, its users and its standard sets

Revision ID: 0013_kabupaten
Revises: 0012_decree_verification
Create Date: 2026-12-02 03:10:00

Every office belongs to a kabupaten record (until now a name typed on the office): one record is made
per distinct name already stored, with its code the name in lower case ("jember"). Users are either an
office's (as before) or a kabupaten's (roles "kabupaten" and "kab_admin", no office). The standard sets
(section template, tujuan, IKU, required documents with their due dates) are kept per kabupaten and
year; an office's indicators and required documents remember the standard row they were copied from
and the hash of what they copied.
"""
import re
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013_kabupaten'
down_revision = '0012_decree_verification'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('kabupaten',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('length(code) >= 2', name=op.f('ck_kabupaten_code_length')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kabupaten')),
    sa.UniqueConstraint('code', name=op.f('uq_kabupaten_code'))
    )
    op.create_table('standard_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kabupaten_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('group', sa.Enum('lakip', 'anjab', 'organisasi', 'pelayanan', name='documentgroup', native_enum=False, create_constraint=True, length=12), nullable=False),
    sa.Column('section_code', sa.String(length=40), nullable=False),
    sa.Column('due_month', sa.Integer(), nullable=False),
    sa.Column('due_day', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('due_month BETWEEN 1 AND 12 AND due_day BETWEEN 1 AND 31', name=op.f('ck_standard_documents_due_date')),
    sa.ForeignKeyConstraint(['kabupaten_id'], ['kabupaten.id'], name=op.f('fk_standard_documents_kabupaten_id_kabupaten'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_standard_documents')),
    sa.UniqueConstraint('kabupaten_id', 'year', 'code', name=op.f('uq_standard_documents_kabupaten_id_year_code'))
    )
    with op.batch_alter_table('standard_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_standard_documents_kabupaten_id'), ['kabupaten_id'], unique=False)

    op.create_table('standard_goals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kabupaten_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.CheckConstraint("kind IN ('tujuan', 'indikator')", name=op.f('ck_standard_goals_kind')),
    sa.ForeignKeyConstraint(['kabupaten_id'], ['kabupaten.id'], name=op.f('fk_standard_goals_kabupaten_id_kabupaten'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_standard_goals')),
    sa.UniqueConstraint('kabupaten_id', 'year', 'kind', 'position', name=op.f('uq_standard_goals_kabupaten_id_year_kind_position'))
    )
    with op.batch_alter_table('standard_goals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_standard_goals_kabupaten_id'), ['kabupaten_id'], unique=False)

    op.create_table('standard_indicators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kabupaten_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('kinerja_utama', sa.Text(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('formulation', sa.JSON(), nullable=False),
    sa.Column('bidang_text', sa.Text(), nullable=False),
    sa.Column('sumber_data', sa.Text(), nullable=False),
    sa.Column('unit', sa.Enum('dokumen', 'indeks', '%', 'nilai', name='unit', native_enum=False, create_constraint=True, length=10), nullable=False),
    sa.Column('polarity', sa.Enum('higher', 'lower', name='polarity', native_enum=False, create_constraint=True, length=10), nullable=False),
    sa.Column('lower_formula', sa.Enum('2t_minus_r', 't_over_r', name='lowerformula', native_enum=False, create_constraint=True, length=12), nullable=False),
    sa.Column('year_rule', sa.Enum('cumulative', 'last', 'average', name='yearrule', native_enum=False, create_constraint=True, length=12), nullable=False),
    sa.Column('measure', sa.String(length=40), nullable=False),
    sa.Column('section_codes', sa.JSON(), nullable=False),
    sa.Column('default_target', sa.Numeric(precision=14, scale=4), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('number BETWEEN 1 AND 99', name=op.f('ck_standard_indicators_number_range')),
    sa.CheckConstraint('year BETWEEN 2000 AND 2100', name=op.f('ck_standard_indicators_year_range')),
    sa.ForeignKeyConstraint(['kabupaten_id'], ['kabupaten.id'], name=op.f('fk_standard_indicators_kabupaten_id_kabupaten'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_standard_indicators')),
    sa.UniqueConstraint('kabupaten_id', 'year', 'number', name=op.f('uq_standard_indicators_kabupaten_id_year_number'))
    )
    with op.batch_alter_table('standard_indicators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_standard_indicators_kabupaten_id'), ['kabupaten_id'], unique=False)

    op.create_table('standard_sections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kabupaten_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('short_name', sa.String(length=80), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['kabupaten_id'], ['kabupaten.id'], name=op.f('fk_standard_sections_kabupaten_id_kabupaten'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_standard_sections')),
    sa.UniqueConstraint('kabupaten_id', 'code', name=op.f('uq_standard_sections_kabupaten_id_code'))
    )
    with op.batch_alter_table('standard_sections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_standard_sections_kabupaten_id'), ['kabupaten_id'], unique=False)

    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.add_column(sa.Column('standard_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('standard_hash', sa.String(length=64), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_indicators_standard_id_standard_indicators'), 'standard_indicators', ['standard_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('offices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kabupaten_id', sa.Integer(), nullable=True))
    _fill_kabupaten()
    with op.batch_alter_table('offices', schema=None) as batch_op:
        batch_op.alter_column('kabupaten_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f('ix_offices_kabupaten_id'), ['kabupaten_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_offices_kabupaten_id_kabupaten'), 'kabupaten', ['kabupaten_id'], ['id'], ondelete='RESTRICT')
        batch_op.drop_column('kabupaten')

    with op.batch_alter_table('required_documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('standard_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('standard_hash', sa.String(length=64), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_required_documents_standard_id_standard_documents'), 'standard_documents', ['standard_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kabupaten_id', sa.Integer(), nullable=True))
        batch_op.alter_column('office_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.create_index(batch_op.f('ix_users_kabupaten_id'), ['kabupaten_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_users_kabupaten_id_kabupaten'), 'kabupaten', ['kabupaten_id'], ['id'], ondelete='CASCADE')
        batch_op.drop_constraint(batch_op.f('ck_users_role'), type_='check')
        batch_op.create_check_constraint('role', ROLE_CHECK_NEW)
        batch_op.create_check_constraint('office_or_kabupaten', OFFICE_OR_KABUPATEN)


ROLE_CHECK_OLD = "role IN ('admin', 'camat', 'sekcam', 'seksi', 'viewer')"
ROLE_CHECK_NEW = "role IN ('admin', 'camat', 'sekcam', 'seksi', 'viewer', 'kabupaten', 'kab_admin')"
OFFICE_OR_KABUPATEN = (
    "(role IN ('kabupaten', 'kab_admin') AND office_id IS NULL AND kabupaten_id IS NOT NULL AND section_id IS NULL)"
    " OR (role NOT IN ('kabupaten', 'kab_admin') AND office_id IS NOT NULL AND kabupaten_id IS NULL)")


def _code(name):
    return re.sub(r"[^a-z0-9]+", "-", name.strip().lower()).strip("-") or "kabupaten"


def _fill_kabupaten():
    """One kabupaten record per distinct name on the offices; each office points at its own."""
    conn = op.get_bind()
    names = [row[0] for row in conn.execute(sa.text("SELECT DISTINCT kabupaten FROM offices ORDER BY kabupaten"))]
    used = set()
    for name in names:
        code = _code(name)
        while code in used:
            code += "-1"
        used.add(code)
        conn.execute(sa.text("INSERT INTO kabupaten (code, name, created_at) VALUES (:c, :n, CURRENT_TIMESTAMP)"),
                     {"c": code, "n": name.strip()})
        conn.execute(sa.text("UPDATE offices SET kabupaten_id = (SELECT id FROM kabupaten WHERE code = :c) "
                             "WHERE kabupaten = :n"), {"c": code, "n": name})


def downgrade():
    conn = op.get_bind()
    conn.execute(sa.text("DELETE FROM users WHERE role IN ('kabupaten', 'kab_admin')"))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_users_office_or_kabupaten'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_users_role'), type_='check')
        batch_op.create_check_constraint('role', ROLE_CHECK_OLD)
        batch_op.drop_constraint(batch_op.f('fk_users_kabupaten_id_kabupaten'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_users_kabupaten_id'))
        batch_op.alter_column('office_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('kabupaten_id')

    with op.batch_alter_table('required_documents', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_required_documents_standard_id_standard_documents'), type_='foreignkey')
        batch_op.drop_column('standard_hash')
        batch_op.drop_column('standard_id')

    with op.batch_alter_table('offices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kabupaten', sa.VARCHAR(length=120), nullable=True))
    conn.execute(sa.text("UPDATE offices SET kabupaten = (SELECT name FROM kabupaten WHERE kabupaten.id = offices.kabupaten_id)"))
    with op.batch_alter_table('offices', schema=None) as batch_op:
        batch_op.alter_column('kabupaten', existing_type=sa.VARCHAR(length=120), nullable=False)
        batch_op.drop_constraint(batch_op.f('fk_offices_kabupaten_id_kabupaten'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_offices_kabupaten_id'))
        batch_op.drop_column('kabupaten_id')

    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_indicators_standard_id_standard_indicators'), type_='foreignkey')
        batch_op.drop_column('standard_hash')
        batch_op.drop_column('standard_id')

    with op.batch_alter_table('standard_sections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_standard_sections_kabupaten_id'))

    op.drop_table('standard_sections')
    with op.batch_alter_table('standard_indicators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_standard_indicators_kabupaten_id'))

    op.drop_table('standard_indicators')
    with op.batch_alter_table('standard_goals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_standard_goals_kabupaten_id'))

    op.drop_table('standard_goals')
    with op.batch_alter_table('standard_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_standard_documents_kabupaten_id'))

    op.drop_table('standard_documents')
    op.drop_table('kabupaten')
