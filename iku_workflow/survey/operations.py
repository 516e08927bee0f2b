"""Changes to survey periods and responses; each flushes and leaves the commit to the caller.

The life of a period: `open_period` (draft result entry, in the section that runs the survey) →
responses → `close_period` (freezes the answers, snapshots the sums, submits the result set in the
name of whoever closed it) → reviewed through the generic workflow → `measures` counts it for IKU 2.
Whoever closes is the submitter, so nobody approves a result they closed: an operator of the running
section (or the admin) closes and the sekcam approves; when the sekcam closes, the Camat approves.
Returning or reopening the entry opens the period again so the answers can be corrected, and the next
closing submits a new snapshot.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import audit
from ..access import can
from ..domain import skm
from ..domain import skm_response as fields
from ..domain.dates import PERIOD_LABELS, period_range
from ..formatting import format_decimal
from ..extensions import db
from ..models import (PeriodStatus, ResponseSource, Section, SurveyPeriod, SurveyResponse, SurveyResult,
                      SurveyService, User, WorkflowAction)
from ..models._types import utcnow
from ..models.survey import PERBAIKAN_MAX, SARAN_MAX, UNSUR_COLUMNS, SurveyComment
from ..workflow import operations as wf
from . import compute, validation

KIND = "survey_result"
DEFAULT_SERVICES = ("KTP-el", "Kartu Keluarga", "Surat Pindah", "Legalisasi", "Izin")


class SurveyError(ValueError):
    """A refused survey change; ``str(exc)`` is the Indonesian message."""


class ResponseRefused(SurveyError):
    """A questionnaire with a field the domain refuses; ``error`` is the `skm_response.FieldError`."""

    def __init__(self, error: fields.FieldError):
        self.error = error
        super().__init__(validation.refusal(error))


def _new_code() -> str:
    while True:
        code = secrets.token_urlsafe(6)  # 8 URL-safe characters
        if db.session.scalar(sa.select(SurveyPeriod.id).where(SurveyPeriod.code == code)) is None:
            return code


def find_period(office_id: int, year: int, label: str) -> SurveyPeriod | None:
    return db.session.scalar(sa.select(SurveyPeriod).where(
        SurveyPeriod.office_id == office_id, SurveyPeriod.year == year, SurveyPeriod.label == label.upper()))


def default_section(office_id: int) -> Section | None:
    """The section that usually runs the survey: Pelayanan Umum (the front desk), when the office has it."""
    return db.session.scalar(sa.select(Section).where(Section.office_id == office_id, Section.code == "pelayanan",
                                                      Section.active.is_(True)))


def period_due_date(year: int, label: str) -> date:
    """When a period's result is due: ``IKU_SKM_DUE_DAYS`` days after the period ends (empty: the registers'
    ``IKU_REGISTER_DUE_DAYS``, default 10), so the section closes it and submits its IKM in time."""
    from flask import current_app

    from ..registers.operations import DEFAULT_DUE_DAYS

    config = current_app.config
    setting = str(config.get("IKU_SKM_DUE_DAYS") or "").strip() or str(config.get("IKU_REGISTER_DUE_DAYS") or "")
    try:
        days = int(setting)
    except ValueError:
        days = DEFAULT_DUE_DAYS
    return period_range(year, label)[1] + timedelta(days=max(0, min(days, 366)))


def open_period(
    office_id: int, year: int, label: str, *, user: User | None, services=DEFAULT_SERVICES,
    population: int | None = None, weighting: str = "exact", section: Section | None = None,
) -> SurveyPeriod:
    """Create an open period with its service types and its (draft) result entry.

    ``section`` runs the survey: its operators may close the period (submitting the result for the
    sekcam). Without one, only the sekcam or the admin closes it.
    """
    label = str(label).strip().upper()
    if label not in PERIOD_LABELS:
        raise SurveyError(_("Periode tidak dikenal: %(label)r. Pilih salah satu: %(choices)s.", label=label, choices=", ".join(PERIOD_LABELS)))
    if find_period(office_id, year, label) is not None:
        raise SurveyError(_("Periode survei %(label)s %(year)s sudah ada.", label=label, year=year))
    names = [" ".join(str(n).split()) for n in services if str(n).strip()]
    if not names:
        raise SurveyError(_("Isi paling sedikit satu jenis layanan."))
    if len({n.casefold() for n in names}) != len(names):
        raise SurveyError(_("Jenis layanan tidak boleh ganda."))
    if population is not None and population <= 0:
        raise SurveyError(_("Jumlah populasi harus lebih dari 0 atau dikosongkan."))
    skm.Weighting(weighting)
    if section is not None and section.office_id != office_id:
        raise SurveyError(_("Seksi tidak ditemukan."))
    period = SurveyPeriod(office_id=office_id, year=year, label=label, population=population, code=_new_code(),
                          weighting=weighting, created_by_id=user.id if user else None)
    period.entry = wf.create_entry(office_id=office_id, kind=KIND, title=f"Hasil SKM {label} {year}",
                                   year=year, user=user, section_id=section.id if section else None,
                                   due_date=period_due_date(year, label))
    period.services = [SurveyService(name=n[:80], position=i) for i, n in enumerate(names)]
    db.session.add(period)
    db.session.flush()
    audit.record("survey.period_opened", office_id=office_id, user=user, obj=period, label=label, year=year)
    return period


def close_period(period: SurveyPeriod, user: User) -> SurveyResult:
    """Freeze the answers, store their sums and submit the result set for review in ``user``'s name.

    ``user`` must be allowed to close (``survey.close``: an operator of the section running the survey,
    the sekcam or the admin) and becomes the submitter (`workflow.operations.submit_result`), so the
    one rule holds: nobody approves what they submitted — the sekcam approves an operator's closing,
    the Camat the sekcam's.
    """
    if not period.is_open:
        raise SurveyError(_("Periode survei ini sudah ditutup."))
    if not can(user, "survey.close", period.entry):
        raise SurveyError(_("Periode ini ditutup oleh operator seksi pelaksana survei atau Sekretaris Camat."))
    # Lock the period row while summing, so no response slips in between the sums and the status.
    db.session.execute(sa.select(SurveyPeriod.id).where(SurveyPeriod.id == period.id).with_for_update())
    row = db.session.execute(compute.sums_query(period.id)).one()
    respondents, sums = row[0] or 0, [s or 0 for s in row[1:]]
    if respondents == 0:
        raise SurveyError(_("Periode belum memiliki responden; tidak ada hasil untuk diajukan."))
    result = skm.compute_from_sums(respondents, dict(zip(skm.UNSUR_KEYS, sums)), weighting=period.weighting)
    snapshot = period.result or SurveyResult(period_id=period.id)
    snapshot.respondents = respondents
    for i, value in enumerate(sums, start=1):
        setattr(snapshot, f"s{i}", int(value))
    snapshot.weighting, snapshot.ikm, snapshot.konversi = period.weighting, result.ikm, result.konversi
    snapshot.mutu, snapshot.kinerja, snapshot.computed_at = result.mutu, result.kinerja, utcnow()
    period.result = snapshot
    period.status, period.closed_at = PeriodStatus.CLOSED, utcnow()
    db.session.flush()
    wf.submit_result(period.entry, user, note=f"Periode ditutup: {respondents} responden, IKM {format_decimal(result.konversi)}.")
    audit.record("survey.period_closed", office_id=period.office_id, user=user, obj=period,
                 respondents=respondents, konversi=str(result.konversi), mutu=result.mutu)
    return snapshot


def _reopen_on_return(entry, action, user) -> None:
    """Hook: a returned or reopened result set opens its period again for corrections."""
    if action not in (WorkflowAction.RETURN, WorkflowAction.REOPEN):
        return
    period = db.session.scalar(sa.select(SurveyPeriod).where(SurveyPeriod.entry_id == entry.id))
    if period is not None and not period.is_open:
        period.status, period.closed_at = PeriodStatus.OPEN, None
        audit.record("survey.period_reopened", office_id=period.office_id, user=user, obj=period)


@dataclass
class Answers:
    """A validated questionnaire, ready to store."""

    tanggal: date
    service_id: int
    jenis_kelamin: str
    usia: int
    pendidikan: str
    pekerjaan: str
    answers: tuple[int, ...]
    #: the respondent's "Saran dan masukan" and, per unsur ("u1" ..), what should be improved
    saran: str = ""
    perbaikan: dict[str, str] = field(default_factory=dict)

    def by_field(self) -> dict:
        """The values by the field names of `skm_response.FIELDS`."""
        return {"tanggal": self.tanggal, "jenis_layanan": self.service_id, "jenis_kelamin": self.jenis_kelamin,
                "usia": self.usia, "pendidikan": self.pendidikan, "pekerjaan": self.pekerjaan,
                **dict(zip(skm.UNSUR_KEYS, self.answers))}

    def row(self, period_id: int, source: ResponseSource, **extra) -> dict:
        return {"period_id": period_id, "service_id": self.service_id, "tanggal": self.tanggal,
                "jenis_kelamin": self.jenis_kelamin, "usia": self.usia, "pendidikan": self.pendidikan,
                "pekerjaan": self.pekerjaan, "source": source, **dict(zip(UNSUR_COLUMNS, self.answers)),
                "created_at": utcnow(), **extra}


def check_answers(period: SurveyPeriod, values: Answers) -> None:
    """Raise `ResponseRefused` unless every field passes its check in `domain.skm_response` (the first
    refused field in field order) and the questionnaire has exactly its nine answers."""
    if len(values.answers) > len(skm.UNSUR_KEYS):
        raise SurveyError(_("Kuesioner berisi lebih dari %(n)d jawaban.", n=len(skm.UNSUR_KEYS)))
    try:
        fields.check_response(values.by_field(), validation.frame_of(period))
    except fields.FieldError as exc:
        raise ResponseRefused(exc) from None


def ensure_open(period: SurveyPeriod, message: str | None = None) -> None:
    """Raise unless the period takes answers; holds a share lock (PostgreSQL) so closing waits for us."""
    status = db.session.scalar(
        sa.select(SurveyPeriod.status).where(SurveyPeriod.id == period.id).with_for_update(read=True))
    if status is not PeriodStatus.OPEN:
        raise SurveyError(message or _("Survei periode ini sudah ditutup."))


FROZEN = _l("Periode sudah ditutup: jawaban dibekukan dan tidak dapat diubah atau dihapus.")


def add_response(period: SurveyPeriod, values: Answers, *, source: ResponseSource,
                 user: User | None = None) -> SurveyResponse:
    """Store one complete questionnaire in an open period."""
    ensure_open(period)
    check_answers(period, values)
    response = SurveyResponse(**values.row(period.id, source, entered_by_id=user.id if user else None))
    db.session.add(response)
    db.session.flush()
    add_comments(period, response, values)
    return response


def add_comments(period: SurveyPeriod, response: SurveyResponse, values: Answers) -> None:
    """Store the saran and the improvement notes of ``values`` (only for an unsur answered 1 or 2)."""
    answered = dict(zip(skm.UNSUR_KEYS, values.answers))
    saran = (values.saran or "").strip()
    if len(saran) > SARAN_MAX:
        raise SurveyError(_("Saran dan masukan paling panjang %(max)d karakter.", max=SARAN_MAX))
    if saran:
        db.session.add(SurveyComment(response_id=response.id, period_id=period.id, unsur=None, text=saran))
    for key, text in (values.perbaikan or {}).items():
        text = " ".join((text or "").split())
        if key not in answered or answered[key] not in (1, 2) or not text:
            continue
        if len(text) > PERBAIKAN_MAX:
            raise SurveyError(_("Catatan perbaikan paling panjang %(max)d karakter.", max=PERBAIKAN_MAX))
        db.session.add(SurveyComment(response_id=response.id, period_id=period.id, unsur=key, text=text))
    db.session.flush()


REASON_MAX = 500


def _recorded(response: SurveyResponse) -> dict:
    """A response's stored values in plain JSON form, for the audit log."""
    return {"tanggal": response.tanggal.isoformat(), "service_id": response.service_id,
            "jenis_kelamin": response.jenis_kelamin, "usia": response.usia, "pendidikan": response.pendidikan,
            "pekerjaan": response.pekerjaan, "answers": list(response.answers)}


def update_response(period: SurveyPeriod, response: SurveyResponse, values: Answers, *, user: User) -> SurveyResponse:
    """Correct a staff-entered or imported questionnaire of an open period (all fields at once).

    The database triggers move the period's running totals from the old answers to the new ones in
    the same transaction. Answers from the public form are the respondent's own words: they are not
    rewritten, only deleted (`delete_response`).
    """
    if response.period_id != period.id:
        raise SurveyError(_("Responden tidak termasuk periode ini."))
    ensure_open(period, str(FROZEN))
    if response.source is ResponseSource.PUBLIC:
        raise SurveyError(_("Jawaban dari formulir publik tidak dapat diubah, hanya dapat dihapus."))
    check_answers(period, values)
    old = _recorded(response)
    new = values.row(period.id, response.source)
    for key in ("service_id", "tanggal", "jenis_kelamin", "usia", "pendidikan", "pekerjaan", *UNSUR_COLUMNS):
        setattr(response, key, new[key])
    db.session.flush()
    after = _recorded(response)
    changed = sorted(k for k in after if after[k] != old[k])
    audit.record("survey.response_updated", office_id=period.office_id, user=user, obj=response,
                 period_id=period.id, source=response.source.value, changed=changed, old=old, new=after)
    return response


def delete_response(period: SurveyPeriod, response: SurveyResponse, reason: str, *, user: User) -> None:
    """Remove one questionnaire from an open period, keeping its answers and the reason in the audit log."""
    if response.period_id != period.id:
        raise SurveyError(_("Responden tidak termasuk periode ini."))
    ensure_open(period, str(FROZEN))
    reason = " ".join((reason or "").split())
    if not reason:
        raise SurveyError(_("Alasan penghapusan wajib diisi."))
    if len(reason) > REASON_MAX:
        raise SurveyError(_("Alasan penghapusan paling panjang %(max)d karakter.", max=REASON_MAX))
    details = {"period_id": period.id, "source": response.source.value, "entered_by_id": response.entered_by_id,
               "reason": reason, "old": _recorded(response)}
    response_id = response.id
    db.session.delete(response)
    db.session.flush()
    audit.record("survey.response_deleted", office_id=period.office_id, user=user,
                 object_type=SurveyResponse.__tablename__, object_id=response_id, **details)
