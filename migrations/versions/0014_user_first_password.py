"""users: must_change_password — a password set by an admin or an import is replaced at first sign-in

Revision ID: 0014_user_first_password
Revises: 0013_kabupaten
Create Date: 2026-12-02 03:00:00

Existing users chose (or were given) their passwords before this existed: they keep them (false).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014_user_first_password'
down_revision = '0013_kabupaten'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('must_change_password')
