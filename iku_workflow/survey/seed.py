"""Demo survey data: an approved S1 2025 with ~60 plausible answers and an open period for today."""
from __future__ import annotations

import random
from datetime import date, timedelta

import sqlalchemy as sa

from ..domain import skm
from ..domain.dates import period_range
from ..formatting import format_decimal
from ..extensions import db
from ..models import Notification, Office, ResponseSource, Role, SurveyResponse, User
from ..models._types import utcnow
from ..models.survey import UNSUR_COLUMNS
from ..workflow import operations as wf
from .operations import close_period, default_section, find_period, open_period

# How the demo office's answers lean, per unsur: the chance of a 4, 3 and 2 (rest is 1). Waiting
# time and complaint handling are the usual weak spots of a kecamatan front desk.
_LEAN = {"u3": (0.15, 0.55, 0.25), "u9": (0.10, 0.55, 0.30), "u8": (0.25, 0.55, 0.17)}
_DEFAULT_LEAN = (0.40, 0.52, 0.07)


def _answer(rng: random.Random, key: str) -> int:
    p4, p3, p2 = _LEAN.get(key, _DEFAULT_LEAN)
    x = rng.random()
    return 4 if x < p4 else 3 if x < p4 + p3 else 2 if x < p4 + p3 + p2 else 1


def demo_rows(period, count: int, seed: int, source=ResponseSource.STAFF, until: date | None = None) -> list[dict]:
    rng = random.Random(seed)
    first, last = period_range(period.year, period.label)
    last = min(last, until or last)
    days = max((last - first).days, 0)
    services = [s.id for s in period.services]
    rows = []
    for _ in range(count):
        rows.append({
            "period_id": period.id, "service_id": rng.choice(services),
            "tanggal": first + timedelta(days=rng.randint(0, days)),
            "jenis_kelamin": rng.choice("LP"), "usia": rng.randint(18, 70),
            "pendidikan": rng.choices([c for c, _ in skm.PENDIDIKAN], [8, 14, 38, 10, 24, 5, 1])[0],
            "pekerjaan": rng.choices([c for c, _ in skm.PEKERJAAN], [8, 1, 1, 30, 35, 25])[0],
            "source": source, "created_at": utcnow(),
            **{k: _answer(rng, k) for k in UNSUR_COLUMNS},
        })
    return rows


def seed_demo_survey(office: Office, echo) -> None:
    """Idempotent: creates what is missing only."""
    sekcam = db.session.scalar(sa.select(User).where(User.office_id == office.id, User.role == Role.SEKCAM))
    if sekcam is None:
        return
    section = default_section(office.id)  # Pelayanan Umum runs the survey
    operator = section and db.session.scalar(sa.select(User).where(
        User.office_id == office.id, User.section_id == section.id, User.role == Role.SEKSI, User.active.is_(True)))
    if find_period(office.id, 2025, "S1") is None:
        period = open_period(office.id, 2025, "S1", user=sekcam, population=2400, section=section)
        db.session.execute(sa.insert(SurveyResponse), demo_rows(period, 60, seed=2025))
        # the section's operator closes (and so submits); the sekcam approves — or, without an operator,
        # the sekcam closes and the Camat approves: nobody approves what they submitted
        camat = db.session.scalar(sa.select(User).where(User.office_id == office.id, User.role == Role.CAMAT))
        closer, approver = (operator, sekcam) if operator is not None else (sekcam, camat)
        if approver is None:
            return
        close_period(period, closer)
        wf.approve(period.entry, approver, note="Hasil SKM semester I sesuai kuesioner.")
        # demo history, not news: its notifications start read
        db.session.execute(sa.update(Notification).where(Notification.entry_id == period.entry.id)
                           .values(read_at=utcnow()))
        echo(f"SKM S1 2025: 60 responden, IKM {format_decimal(period.result.konversi)} ({period.result.mutu}), disetujui.")
    today = date.today()
    label = "S1" if today.month <= 6 else "S2"
    if find_period(office.id, today.year, label) is None:
        period = open_period(office.id, today.year, label, user=sekcam, population=2500, section=section)
        db.session.execute(sa.insert(SurveyResponse), demo_rows(period, 12, seed=today.year, until=today))
        db.session.flush()
        echo(f"SKM {label} {today.year} dibuka: formulir publik /s/{period.code}.")
