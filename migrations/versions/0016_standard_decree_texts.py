"""the kabupaten's default texts of the decree on the IKU, per year

Revision ID: 0016_standard_decree_texts
Revises: 0015_api_tokens
Create Date: 2026-12-02 04:00:00

A new decree of an office starts from its kabupaten's texts of that year (tentang, menimbang, mengingat,
memperhatikan, with {kecamatan} and {kabupaten} for the names), else from the reference decree's.
"""
from alembic import op
import sqlalchemy as sa


revision = '0016_standard_decree_texts'
down_revision = '0015_api_tokens'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('standard_decree_texts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kabupaten_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('tentang', sa.Text(), nullable=False),
    sa.Column('menimbang', sa.JSON(), nullable=False),
    sa.Column('mengingat', sa.JSON(), nullable=False),
    sa.Column('memperhatikan', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['kabupaten_id'], ['kabupaten.id'], name=op.f('fk_standard_decree_texts_kabupaten_id_kabupaten'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_standard_decree_texts')),
    sa.UniqueConstraint('kabupaten_id', 'year', name=op.f('uq_standard_decree_texts_kabupaten_id_year'))
    )
    with op.batch_alter_table('standard_decree_texts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_standard_decree_texts_kabupaten_id'), ['kabupaten_id'], unique=False)


def downgrade():
    with op.batch_alter_table('standard_decree_texts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_standard_decree_texts_kabupaten_id'))
    op.drop_table('standard_decree_texts')
