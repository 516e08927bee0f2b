"""office: the kabupaten's lambang for the kop, and whether "KABUPATEN …" is printed under the jabatan

Revision ID: 0008_office_logo
Revises: 0007_skm_totals
Create Date: 2026-11-26 10:00:00

The lambang is stored as the kop template is (bytes in the database, newest active row used); offices
print the kabupaten line by default, as the seed decree does.
"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '0008_office_logo'
down_revision = '0007_skm_totals'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('office_logos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('mime', sa.String(length=20), nullable=False),
    sa.Column('file_key', sa.String(length=255), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('width_px', sa.Integer(), nullable=False),
    sa.Column('height_px', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("mime IN ('image/png', 'image/jpeg')", name=op.f('ck_office_logos_mime_known')),
    sa.CheckConstraint('width_px > 0 AND height_px > 0', name=op.f('ck_office_logos_dimensions_positive')),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_office_logos_office_id_offices'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_office_logos_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_office_logos'))
    )
    with op.batch_alter_table('office_logos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_office_logos_office_id'), ['office_id'], unique=False)

    with op.batch_alter_table('offices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('show_kabupaten_line', sa.Boolean(), server_default=sa.true(), nullable=False))


def downgrade():
    with op.batch_alter_table('offices', schema=None) as batch_op:
        batch_op.drop_column('show_kabupaten_line')

    with op.batch_alter_table('office_logos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_office_logos_office_id'))

    op.drop_table('office_logos')
