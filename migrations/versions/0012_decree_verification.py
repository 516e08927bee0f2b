"""a verification token on every generated decree version (the QR in its footer)

Revision ID: 0012_decree_verification
Revises: 0010_sign_in_and_public_tokens
Create Date: 2026-12-01 23:00:00

Each generated .docx prints a public verification link (and its QR code) in its footer; the random token
of that link is kept on the version. The public page answers only for the version a final decree names.
Versions made before this migration have no token (their documents print no link).
"""
from alembic import op
import sqlalchemy as sa


revision = '0012_decree_verification'
down_revision = '0010_sign_in_and_public_tokens'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('decree_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('verify_token', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_decree_versions_verify_token'), ['verify_token'], unique=True)


def downgrade():
    with op.batch_alter_table('decree_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decree_versions_verify_token'))
        batch_op.drop_column('verify_token')
