"""a verification token on every generated decree version (the QR in its footer)

Revision ID: 0012_decree_verification
Revises: 0011_audit_chain
Create Date: 2026-12-01 23:00:00

Each generated .docx prints a public verification link (and its QR code) in its footer; the random token
of that link is kept on the version. The public page answers only for the version a final decree names.
Versions made before this migration have no token (their documents print no link).

A decree of change (SK perubahan) of a year is a new decree of that year: ``sequence`` counts them
(0 = the original decree) and ``amends_id`` names the final decree it changes; the newest one of a year
is the one edited and the one whose status locks the year's IKU.
"""
from alembic import op
import sqlalchemy as sa


revision = '0012_decree_verification'
down_revision = '0011_audit_chain'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('decrees', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sequence', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('amends_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_decrees_amends_id_decrees'), 'decrees', ['amends_id'], ['id'],
                                    ondelete='RESTRICT')
        batch_op.drop_constraint(batch_op.f('uq_decrees_office_id_year'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_decrees_office_id_year_sequence'),
                                          ['office_id', 'year', 'sequence'])
        batch_op.create_check_constraint('sequence_nonneg', 'sequence >= 0')
    with op.batch_alter_table('decree_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('verify_token', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_decree_versions_verify_token'), ['verify_token'], unique=True)


def downgrade():
    with op.batch_alter_table('decree_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decree_versions_verify_token'))
        batch_op.drop_column('verify_token')
    with op.batch_alter_table('decrees', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_decrees_sequence_nonneg'), type_='check')
        batch_op.drop_constraint(batch_op.f('uq_decrees_office_id_year_sequence'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_decrees_office_id_year'), ['office_id', 'year'])
        batch_op.drop_constraint(batch_op.f('fk_decrees_amends_id_decrees'), type_='foreignkey')
        batch_op.drop_column('amends_id')
        batch_op.drop_column('sequence')
