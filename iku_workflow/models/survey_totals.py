"""Running totals of a period's answers per service type, kept by database triggers.

The IKM of a period needs COUNT(*) and SUM(u1) .. SUM(u9) of its responses (RULES.md §1). Summing
nine columns over a million rows costs several times a single ``AVG`` on both engines (nine aggregate
steps per row instead of one; see bench/survey.py), so the database keeps these sums up to date itself:
triggers on ``survey_responses`` add every inserted row to its (period, service) line and take every
deleted row out again, in the same transaction as the change. No insert path (public form, staff entry,
import, demo seed, bulk COPY) can forget them, and a rolled-back insert rolls its totals back with it.

The raw aggregation over the rows (``survey.compute.sums_query``) stays the verification path: the
tests compare both after every insert path, and closing a period snapshots the raw sums.

SQLite has only row triggers (one UPSERT per row); PostgreSQL uses statement triggers with transition
tables, so a bulk insert or COPY updates each (period, service) line once per statement.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .survey import UNSUR_COLUMNS, SurveyResponse

SUM_COLUMNS = tuple(f"s{c[1:]}" for c in UNSUR_COLUMNS)  # s1 .. s9, the sum of u1 .. u9


class SurveyTotal(db.Model):
    """COUNT and SUM(u1..u9) of the responses of one service type in one period (trigger-maintained)."""

    __tablename__ = "survey_totals"
    __table_args__ = (sa.CheckConstraint("respondents >= 0", name="respondents_nonnegative"),)

    period_id: Mapped[int] = mapped_column(
        sa.ForeignKey("survey_periods.id", ondelete="CASCADE"), primary_key=True)
    service_id: Mapped[int] = mapped_column(
        sa.ForeignKey("survey_services.id", ondelete="CASCADE"), primary_key=True)
    respondents: Mapped[int] = mapped_column(sa.BigInteger)
    s1: Mapped[int] = mapped_column(sa.BigInteger)
    s2: Mapped[int] = mapped_column(sa.BigInteger)
    s3: Mapped[int] = mapped_column(sa.BigInteger)
    s4: Mapped[int] = mapped_column(sa.BigInteger)
    s5: Mapped[int] = mapped_column(sa.BigInteger)
    s6: Mapped[int] = mapped_column(sa.BigInteger)
    s7: Mapped[int] = mapped_column(sa.BigInteger)
    s8: Mapped[int] = mapped_column(sa.BigInteger)
    s9: Mapped[int] = mapped_column(sa.BigInteger)


_COLS = ", ".join(("respondents", *SUM_COLUMNS))
_ADD = ", ".join(f"{c} = survey_totals.{c} + excluded.{c}" for c in ("respondents", *SUM_COLUMNS))


def _sqlite_add(row: str) -> str:
    values = ", ".join(f"{row}.{c}" for c in UNSUR_COLUMNS)
    return (f"INSERT INTO survey_totals (period_id, service_id, {_COLS}) "
            f"VALUES ({row}.period_id, {row}.service_id, 1, {values}) "
            f"ON CONFLICT (period_id, service_id) DO UPDATE SET {_ADD};")


def _sqlite_take(row: str) -> str:
    less = ", ".join(f"{s} = {s} - {row}.{u}" for s, u in zip(SUM_COLUMNS, UNSUR_COLUMNS))
    key = f"period_id = {row}.period_id AND service_id = {row}.service_id"
    return (f"UPDATE survey_totals SET respondents = respondents - 1, {less} WHERE {key}; "
            f"DELETE FROM survey_totals WHERE {key} AND respondents = 0;")


_WATCHED = ", ".join(("period_id", "service_id", *UNSUR_COLUMNS))

SQLITE = [
    f"CREATE TRIGGER survey_totals_insert AFTER INSERT ON survey_responses BEGIN {_sqlite_add('NEW')} END",
    f"CREATE TRIGGER survey_totals_delete AFTER DELETE ON survey_responses BEGIN {_sqlite_take('OLD')} END",
    f"CREATE TRIGGER survey_totals_update AFTER UPDATE OF {_WATCHED} ON survey_responses "
    f"BEGIN {_sqlite_take('OLD')} {_sqlite_add('NEW')} END",
]

_GROUPED = ", ".join(f"SUM({u})" for u in UNSUR_COLUMNS)
_LESS = ", ".join(f"{c} = t.{c} - d.{c}" for c in ("respondents", *SUM_COLUMNS))
_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION survey_totals_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE survey_totals AS t SET {_LESS}
        FROM (SELECT period_id, service_id, COUNT(*) AS respondents,
                     {", ".join(f"SUM({u}) AS {s}" for u, s in zip(UNSUR_COLUMNS, SUM_COLUMNS))}
              FROM old_rows GROUP BY period_id, service_id) AS d
        WHERE t.period_id = d.period_id AND t.service_id = d.service_id;
        DELETE FROM survey_totals AS t USING (SELECT DISTINCT period_id, service_id FROM old_rows) AS d
        WHERE t.period_id = d.period_id AND t.service_id = d.service_id AND t.respondents = 0;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO survey_totals (period_id, service_id, {_COLS})
        SELECT period_id, service_id, COUNT(*), {_GROUPED} FROM new_rows GROUP BY period_id, service_id
        ON CONFLICT (period_id, service_id) DO UPDATE SET {_ADD};
    END IF;
    RETURN NULL;
END
$$
"""

POSTGRESQL = [
    _PG_FUNCTION,
    "CREATE TRIGGER survey_totals_insert AFTER INSERT ON survey_responses "
    "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION survey_totals_apply()",
    "CREATE TRIGGER survey_totals_delete AFTER DELETE ON survey_responses "
    "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION survey_totals_apply()",
    "CREATE TRIGGER survey_totals_update AFTER UPDATE ON survey_responses "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION survey_totals_apply()",
]

#: Fill the totals from the rows already stored (used by the migration that introduces the table).
BACKFILL = (f"INSERT INTO survey_totals (period_id, service_id, {_COLS}) "
            f"SELECT period_id, service_id, COUNT(*), {_GROUPED} FROM survey_responses "
            f"GROUP BY period_id, service_id")


def trigger_ddl(dialect: str) -> list[str]:
    """The statements that create the triggers on this dialect ("sqlite" or "postgresql")."""
    if dialect == "postgresql":
        return POSTGRESQL
    if dialect == "sqlite":
        return SQLITE
    raise NotImplementedError(f"survey totals triggers are written for SQLite and PostgreSQL, not {dialect}")


# The triggers name survey_responses, so create_all must create that table first.
SurveyTotal.__table__.add_is_dependent_on(SurveyResponse.__table__)


@sa.event.listens_for(SurveyTotal.__table__, "after_create")
def _create_triggers(target, connection, **kw) -> None:
    """create_all (tests, bench, ``db create``) gets the same triggers as the migration."""
    for statement in trigger_ddl(connection.dialect.name):
        connection.exec_driver_sql(statement)
