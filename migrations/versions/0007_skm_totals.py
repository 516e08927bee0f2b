"""survey: running totals of the answers per (period, service type), kept by triggers

Revision ID: 0007_skm_totals
Revises: 0006_decree
Create Date: 2026-11-24 15:20:00

The IKM of a period is read from these totals instead of summing nine columns over every response
(bench/survey.py). The triggers (one UPSERT per row on SQLite, statement triggers with transition
tables on PostgreSQL) are those `iku_workflow.models.survey_totals` gave create_all on the day of this
revision, copied here as text: a revision is history, so editing the app's trigger SQL must not rewrite
it (a change to the triggers is a new revision). tests/test_migrations.py checks that no revision
imports the app, that this text is unchanged, and that `db upgrade` builds the triggers create_all
builds. Existing responses are summed into the table once.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_skm_totals'
down_revision = '0006_decree'
branch_labels = None
depends_on = None

_SUMS = [f"s{i}" for i in range(1, 10)]

# The DDL as `iku_workflow.models.survey_totals` rendered it for this revision (frozen text).
SQLITE = [
    'CREATE TRIGGER survey_totals_insert'
    ' AFTER INSERT ON survey_responses'
    ' BEGIN '
    'INSERT INTO survey_totals (period_id, service_id, respondents, s1, s2, s3, s4, s5, s6, s7, s8, s9)'
    ' VALUES (NEW.period_id, NEW.service_id, 1, NEW.u1, NEW.u2, NEW.u3, NEW.u4, NEW.u5, NEW.u6, '
    'NEW.u7, NEW.u8, NEW.u9)'
    ' ON CONFLICT (period_id, service_id)'
    ' DO UPDATE SET respondents = survey_totals.respondents + excluded.respondents, '
    's1 = survey_totals.s1 + excluded.s1, s2 = survey_totals.s2 + excluded.s2, '
    's3 = survey_totals.s3 + excluded.s3, s4 = survey_totals.s4 + excluded.s4, '
    's5 = survey_totals.s5 + excluded.s5, s6 = survey_totals.s6 + excluded.s6, '
    's7 = survey_totals.s7 + excluded.s7, s8 = survey_totals.s8 + excluded.s8, '
    's9 = survey_totals.s9 + excluded.s9; '
    'END',
    'CREATE TRIGGER survey_totals_delete'
    ' AFTER DELETE ON survey_responses'
    ' BEGIN '
    'UPDATE survey_totals SET respondents = respondents - 1, s1 = s1 - OLD.u1, s2 = s2 - OLD.u2, '
    's3 = s3 - OLD.u3, s4 = s4 - OLD.u4, s5 = s5 - OLD.u5, s6 = s6 - OLD.u6, s7 = s7 - OLD.u7, '
    's8 = s8 - OLD.u8, s9 = s9 - OLD.u9'
    ' WHERE period_id = OLD.period_id AND service_id = OLD.service_id; '
    'DELETE FROM survey_totals'
    ' WHERE period_id = OLD.period_id AND service_id = OLD.service_id AND respondents = 0; '
    'END',
    'CREATE TRIGGER survey_totals_update'
    ' AFTER UPDATE OF period_id, service_id, u1, u2, u3, u4, u5, u6, u7, u8, u9 ON survey_responses'
    ' BEGIN '
    'UPDATE survey_totals SET respondents = respondents - 1, s1 = s1 - OLD.u1, s2 = s2 - OLD.u2, '
    's3 = s3 - OLD.u3, s4 = s4 - OLD.u4, s5 = s5 - OLD.u5, s6 = s6 - OLD.u6, s7 = s7 - OLD.u7, '
    's8 = s8 - OLD.u8, s9 = s9 - OLD.u9'
    ' WHERE period_id = OLD.period_id AND service_id = OLD.service_id; '
    'DELETE FROM survey_totals'
    ' WHERE period_id = OLD.period_id AND service_id = OLD.service_id AND respondents = 0; '
    'INSERT INTO survey_totals (period_id, service_id, respondents, s1, s2, s3, s4, s5, s6, s7, s8, s9)'
    ' VALUES (NEW.period_id, NEW.service_id, 1, NEW.u1, NEW.u2, NEW.u3, NEW.u4, NEW.u5, NEW.u6, '
    'NEW.u7, NEW.u8, NEW.u9)'
    ' ON CONFLICT (period_id, service_id)'
    ' DO UPDATE SET respondents = survey_totals.respondents + excluded.respondents, '
    's1 = survey_totals.s1 + excluded.s1, s2 = survey_totals.s2 + excluded.s2, '
    's3 = survey_totals.s3 + excluded.s3, s4 = survey_totals.s4 + excluded.s4, '
    's5 = survey_totals.s5 + excluded.s5, s6 = survey_totals.s6 + excluded.s6, '
    's7 = survey_totals.s7 + excluded.s7, s8 = survey_totals.s8 + excluded.s8, '
    's9 = survey_totals.s9 + excluded.s9; '
    'END',
]

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION survey_totals_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE survey_totals AS t SET respondents = t.respondents - d.respondents, s1 = t.s1 - d.s1, s2 = t.s2 - d.s2, s3 = t.s3 - d.s3, s4 = t.s4 - d.s4, s5 = t.s5 - d.s5, s6 = t.s6 - d.s6, s7 = t.s7 - d.s7, s8 = t.s8 - d.s8, s9 = t.s9 - d.s9
        FROM (SELECT period_id, service_id, COUNT(*) AS respondents,
                     SUM(u1) AS s1, SUM(u2) AS s2, SUM(u3) AS s3, SUM(u4) AS s4, SUM(u5) AS s5, SUM(u6) AS s6, SUM(u7) AS s7, SUM(u8) AS s8, SUM(u9) AS s9
              FROM old_rows GROUP BY period_id, service_id) AS d
        WHERE t.period_id = d.period_id AND t.service_id = d.service_id;
        DELETE FROM survey_totals AS t USING (SELECT DISTINCT period_id, service_id FROM old_rows) AS d
        WHERE t.period_id = d.period_id AND t.service_id = d.service_id AND t.respondents = 0;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO survey_totals (period_id, service_id, respondents, s1, s2, s3, s4, s5, s6, s7, s8, s9)
        SELECT period_id, service_id, COUNT(*), SUM(u1), SUM(u2), SUM(u3), SUM(u4), SUM(u5), SUM(u6), SUM(u7), SUM(u8), SUM(u9) FROM new_rows GROUP BY period_id, service_id
        ON CONFLICT (period_id, service_id) DO UPDATE SET respondents = survey_totals.respondents + excluded.respondents, s1 = survey_totals.s1 + excluded.s1, s2 = survey_totals.s2 + excluded.s2, s3 = survey_totals.s3 + excluded.s3, s4 = survey_totals.s4 + excluded.s4, s5 = survey_totals.s5 + excluded.s5, s6 = survey_totals.s6 + excluded.s6, s7 = survey_totals.s7 + excluded.s7, s8 = survey_totals.s8 + excluded.s8, s9 = survey_totals.s9 + excluded.s9;
    END IF;
    RETURN NULL;
END
$$
"""

POSTGRESQL = [
    _PG_FUNCTION,
    'CREATE TRIGGER survey_totals_insert'
    ' AFTER INSERT ON survey_responses'
    ' REFERENCING NEW TABLE AS new_rows'
    ' FOR EACH STATEMENT EXECUTE FUNCTION survey_totals_apply()',
    'CREATE TRIGGER survey_totals_delete'
    ' AFTER DELETE ON survey_responses'
    ' REFERENCING OLD TABLE AS old_rows'
    ' FOR EACH STATEMENT EXECUTE FUNCTION survey_totals_apply()',
    'CREATE TRIGGER survey_totals_update'
    ' AFTER UPDATE ON survey_responses'
    ' REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows'
    ' FOR EACH STATEMENT EXECUTE FUNCTION survey_totals_apply()',
]

BACKFILL = (
    'INSERT INTO survey_totals (period_id, service_id, respondents, s1, s2, s3, s4, s5, s6, s7, s8, s9)'
    ' SELECT period_id, service_id, COUNT(*), '
    'SUM(u1), SUM(u2), SUM(u3), SUM(u4), SUM(u5), SUM(u6), SUM(u7), SUM(u8), SUM(u9)'
    ' FROM survey_responses'
    ' GROUP BY period_id, service_id'
)


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
    dialect = op.get_bind().dialect.name
    if dialect not in ('sqlite', 'postgresql'):
        raise NotImplementedError(f'survey totals triggers are written for SQLite and PostgreSQL, not {dialect}')
    for statement in SQLITE if dialect == 'sqlite' else POSTGRESQL:
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
