"""sign-in failures per username and address; public questionnaire tokens good for one answer

Revision ID: 0010_sign_in_and_public_tokens
Revises: 0009_file_store
Create Date: 2026-12-01 19:20:00

The failure counter and lock move from ``users`` (one per account: anybody could lock a colleague out
by typing wrong passwords) to ``login_failures``, one row per (username, address). The counters of the
old columns are not carried over: they only ever held a few minutes' backoff. ``survey_public_tokens``
records the random id of each answered public form.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_sign_in_and_public_tokens'
down_revision = '0009_file_store'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_failures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=60), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_failed_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('failures >= 0', name=op.f('ck_login_failures_failures_nonneg')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_failures')),
    sa.UniqueConstraint('username', 'address', name=op.f('uq_login_failures_username_address'))
    )
    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_failures_last_failed_at'), ['last_failed_at'], unique=False)

    op.create_table('survey_public_tokens',
    sa.Column('nonce', sa.String(length=32), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['period_id'], ['survey_periods.id'], name=op.f('fk_survey_public_tokens_period_id_survey_periods'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('nonce', name=op.f('pk_survey_public_tokens'))
    )
    with op.batch_alter_table('survey_public_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_public_tokens_period_id'), ['period_id'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_users_failed_logins_nonneg'), type_='check')
        batch_op.drop_column('locked_until')
        batch_op.drop_column('failed_logins')


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failed_logins', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_check_constraint(batch_op.f('ck_users_failed_logins_nonneg'), 'failed_logins >= 0')

    with op.batch_alter_table('survey_public_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_public_tokens_period_id'))
    op.drop_table('survey_public_tokens')

    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_failures_last_failed_at'))
    op.drop_table('login_failures')
