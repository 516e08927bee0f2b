"""survey: running totals of the answers per (period, service type), kept by triggers

Revision ID: 0007_skm_totals
Revises: 0006_decree
Create Date: 2026-11-24 15:20:00

The IKM of a period is read from these totals instead of summing nine columns over every response
(bench/survey.py). The triggers (one UPSERT per row on SQLite, statement triggers with transition
tables on PostgreSQL) are the ones `iku_workflow.models.survey_totals` gives create_all, so a migrated
database and a test database behave alike. Existing responses are summed into the table once.
"""
from alembic import op
import sqlalchemy as sa

from iku_workflow.models.survey_totals import BACKFILL, trigger_ddl


# revision identifiers, used by Alembic.
revision = '0007_skm_totals'
down_revision = '0006_decree'
branch_labels = None
depends_on = None

_SUMS = [f"s{i}" for i in range(1, 10)]


def upgrade():
    op.create_table('survey_totals',
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('respondents', sa.BigInteger(), nullable=False),
    *[sa.Column(name, sa.BigInteger(), nullable=False) for name in _SUMS],
    sa.CheckConstraint('respondents >= 0', name=op.f('ck_survey_totals_respondents_nonnegative')),
    sa.ForeignKeyConstraint(['period_id'], ['survey_periods.id'], name=op.f('fk_survey_totals_period_id_survey_periods'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_id'], ['survey_services.id'], name=op.f('fk_survey_totals_service_id_survey_services'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('period_id', 'service_id', name=op.f('pk_survey_totals'))
    )
    for statement in trigger_ddl(op.get_bind().dialect.name):
        op.execute(statement)
    op.execute(BACKFILL)


def downgrade():
    for name in ('survey_totals_insert', 'survey_totals_delete', 'survey_totals_update'):
        if op.get_bind().dialect.name == 'postgresql':
            op.execute(f'DROP TRIGGER IF EXISTS {name} ON survey_responses')
        else:
            op.execute(f'DROP TRIGGER IF EXISTS {name}')
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP FUNCTION IF EXISTS survey_totals_apply()')
    op.drop_table('survey_totals')
