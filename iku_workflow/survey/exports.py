"""Excel export and the Word report of a period, and attaching the report as the year's "Laporan SKM"."""
from __future__ import annotations

import io
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from ..domain.text import SafeSheet
from ..letterhead.identity import office_info, paper_of, signatory
from ..letterhead.kop import template_bytes
from ..documents import operations as doc_ops
from ..domain import skm
from ..domain.dates import period_range
from ..formatting import format_date, format_decimal
from ..extensions import db
from ..models import DocumentType, EntryState, RequiredDocument, SurveyPeriod, SurveyResponse, SurveyService, User
from ..models.survey import UNSUR_COLUMNS
from ..reports import cells
from ..reports.context import SkmReportContext
from ..reports.skm_report import build_skm_report_docx
from ..storage import uploads
from ..workflow import operations as workflow
from . import compute
from .operations import SurveyError

#: Type code of the required document the report is attached to (documents capability).
LAPORAN_SKM = "laporan_skm"


def workbook(period: SurveyPeriod) -> bytes:
    """Two sheets: every response (streamed in write-only mode) and the results per unsur."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = SafeSheet(wb.create_sheet("Responden"))
    ws.append(cells.row(ws, ["no", "tanggal", "jenis_layanan", "jenis_kelamin", "usia", "pendidikan",
                             "pekerjaan", *UNSUR_COLUMNS, "sumber"]))
    rows = db.session.execute(
        sa.select(SurveyResponse.tanggal, SurveyService.name, SurveyResponse.jenis_kelamin, SurveyResponse.usia,
                  SurveyResponse.pendidikan, SurveyResponse.pekerjaan,
                  *[getattr(SurveyResponse, c) for c in UNSUR_COLUMNS], SurveyResponse.source)
        .join(SurveyService, SurveyService.id == SurveyResponse.service_id)
        .where(SurveyResponse.period_id == period.id).order_by(SurveyResponse.id)
        .execution_options(yield_per=5000))
    for number, row in enumerate(rows, start=1):
        ws.append(cells.row(ws, [number, *row[:-1], row[-1].value]))
    result = compute.period_index(period)
    reason = provisional_reason(period)
    res = SafeSheet(wb.create_sheet("Hasil"))
    res.append(cells.row(res, [f"Hasil SKM {period.office.full_name} {period.title}"
                               + (" (SEMENTARA)" if reason else "")]))
    res.append(cells.row(res, ["Unsur", "Nama unsur", "NRR", "NRR tertimbang"]))
    weighted = skm.weighted_nrr(result.nrr, period.weighting) if result else {}
    for u in skm.UNSUR:
        value = result.nrr[u.key] if result else None
        res.append(cells.row(res, [u.key.upper(), u.name, None if value is None else float(round(value, 4)),
                                   None if weighted.get(u.key) is None else float(round(weighted[u.key], 4))]))
    res.append(cells.row(res, []))
    res.append(cells.row(res, ["Status hasil", f"Sementara: {reason}" if reason else "Disetujui"]))
    res.append(cells.row(res, ["Jumlah responden", result.respondents if result else 0]))
    res.append(cells.row(res, ["IKM (1–4)", float(result.ikm) if result else None]))
    res.append(cells.row(res, ["IKM konversi (25–100)", float(result.konversi) if result else None]))
    res.append(cells.row(res, ["Mutu", result.mutu if result else ""]))
    res.append(cells.row(res, ["Kinerja", result.kinerja if result else ""]))
    res.append(cells.row(res, ["Sampel minimal", skm.min_sample(period.population)]))
    res.append(cells.row(res, ["Prioritas perbaikan",
                               ", ".join(k.upper() for k in result.priorities) if result else ""]))
    counts = compute.comment_counts(period)
    res.append(cells.row(res, []))
    res.append(cells.row(res, ["Unsur", "Nama unsur", "Catatan perlu diperbaiki (responden)"]))
    for u in skm.UNSUR:
        res.append(cells.row(res, [u.key.upper(), u.name, counts.get(u.key, 0)]))
    res.append(cells.row(res, ["Saran", "Saran dan masukan", counts.get(None, 0)]))
    _comments_sheet(wb, period)
    _followup_sheet(wb, period)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _comments_sheet(wb, period: SurveyPeriod) -> None:
    """Every respondent's own words: the saran and the improvement notes per unsur (text, never formulas)."""
    from ..models import SurveyComment

    names = {u.key: u.name for u in skm.UNSUR}
    ws = SafeSheet(wb.create_sheet("Saran"))
    ws.append(cells.row(ws, ["id_responden", "tanggal", "unsur", "nama_unsur", "jawaban", "teks"]))
    rows = db.session.execute(
        sa.select(SurveyComment.response_id, SurveyResponse.tanggal, SurveyComment.unsur, SurveyComment.text,
                  *[getattr(SurveyResponse, c) for c in UNSUR_COLUMNS])
        .join(SurveyResponse, SurveyResponse.id == SurveyComment.response_id)
        .where(SurveyComment.period_id == period.id).order_by(SurveyComment.response_id, SurveyComment.id)
        .execution_options(yield_per=5000))
    for row in rows:
        response_id, tanggal, key, text, answers = row[0], row[1], row[2], row[3], row[4:]
        answer = answers[skm.UNSUR_KEYS.index(key)] if key else None
        ws.append(cells.row(ws, [response_id, tanggal, key.upper() if key else "saran",
                                 names.get(key, "Saran dan masukan"), answer, text]))


def _followup_sheet(wb, period: SurveyPeriod) -> None:
    from . import followup

    ws = SafeSheet(wb.create_sheet("Tindak lanjut"))
    ws.append(cells.row(ws, ["unsur", "rencana_tindak_lanjut", "penanggung_jawab", "batas_waktu", "selesai"]))
    for item in followup.of_period(period):
        ws.append(cells.row(ws, [item.unsur.upper(), item.action, item.section.short_name if item.section else "",
                                 item.due_date, item.done_at.date() if item.done_at else None]))


def _method_text(period: SurveyPeriod, respondents: int) -> str:
    """What this period adds to the builder's fixed method paragraph: its dates, the weighting it used,
    the population and whether the sample reaches the minimum (Krejcie and Morgan, PermenPANRB 14/2017)."""
    first, last = period_range(period.year, period.label)
    parts = [f"Periode survei {period.title}: {format_date(first)} s.d. {format_date(last)}."]
    if period.weighting == skm.Weighting.ROUNDED.value:
        parts.append("Bobot tiap unsur yang dipakai adalah angka tercetak dalam peraturan, yaitu 0,111.")
    minimum = skm.min_sample(period.population)
    if minimum is not None:
        parts.append(f"Populasi penerima layanan {format_decimal(period.population, places=0)} orang; sampel minimal "
                     f"(tabel Krejcie dan Morgan) {minimum} orang.")
        if respondents < minimum:
            parts.append("Jumlah responden di bawah sampel minimal, sehingga hasil belum mewakili populasi.")
    return " ".join(parts)


def provisional_reason(period: SurveyPeriod) -> str:
    """Why the period's result is provisional ("" once it is approved): it counts for IKU 2, and the
    report is final, only when the Sekretaris Camat has approved the closed period's result."""
    if period.entry is not None and period.entry.state is EntryState.APPROVED:
        return ""
    if period.is_open:
        return "periode survei masih dibuka"
    return "hasil survei belum disetujui Sekretaris Camat"


def report_context(period: SurveyPeriod, today: date | None = None) -> SkmReportContext:
    """The shared SKM report's plain context from the period's results (the closed snapshot, or live)."""
    result = compute.period_index(period)
    respondents = result.respondents if result else 0
    office = period.office
    reason = provisional_reason(period)
    answered = sum(1 for v in result.nrr.values() if v is not None) if result else len(skm.UNSUR_KEYS)
    weighted = skm.weighted_nrr(result.nrr, period.weighting) if result else {}
    return SkmReportContext(
        office=office_info(office), year=period.year, period_label=period.title,
        method_text=_method_text(period, respondents), respondents=respondents,
        min_sample=skm.min_sample(period.population),
        nrr={k: v for k, v in result.nrr.items() if v is not None} if result else {},
        unsur_names={u.key: u.name for u in skm.UNSUR},
        ikm=result.ikm if result else None, konversi=result.konversi if result else None,
        mutu=result.mutu if result else "", kinerja=result.kinerja if result else "",
        priorities=list(result.priorities) if result else [],
        profile=dict(compute.profile(period).sections()) if result else {},
        per_service=[(s.name, r.respondents if r else 0, r.konversi if r else None, r.mutu if r else "")
                     for s, r in compute.per_service(period)],
        signatory=signatory(office), printed_on=today or date.today(),
        provisional=bool(reason), provisional_reason=reason,
        weighted_nrr={k: v for k, v in weighted.items() if v is not None},
        weight_text=skm.weight_text(period.weighting, answered), paper=paper_of(office),
        **_notes(period),
    )


#: how many respondents' notes the Word report prints (the export holds all of them)
REPORT_COMMENTS = 200


def _notes(period: SurveyPeriod) -> dict:
    """The respondents' notes, the rencana tindak lanjut and the previous period's, for the report."""
    from . import followup

    counts = compute.comment_counts(period)
    carried = followup.carried_over(period)
    return {
        "comment_counts": counts,
        "comments": [(key, text) for _, key, text in reversed(compute.comments(period, limit=REPORT_COMMENTS))],
        "comments_total": sum(counts.values()),
        "followups": [(i.unsur, i.action, i.section.short_name if i.section else "", i.due_date,
                       i.done_at.date() if i.done_at else None) for i in followup.of_period(period)],
        "carried": (carried.period_title, carried.done, carried.total, carried.rows) if carried else None,
    }


def report(period: SurveyPeriod, today: date | None = None) -> bytes:
    """Laporan Hasil SKM on the office's kop: its active uploaded template, else the default one."""
    return build_skm_report_docx(report_context(period, today), template_bytes(period.office))


def report_filename(period: SurveyPeriod) -> str:
    return f"Laporan-SKM-{period.office.code}-{period.label}-{period.year}.docx"


def requirement(period: SurveyPeriod) -> RequiredDocument | None:
    """The year's required document of type "laporan_skm" of the period's office, or None."""
    return db.session.scalar(
        sa.select(RequiredDocument).join(DocumentType, DocumentType.id == RequiredDocument.type_id).where(
            RequiredDocument.office_id == period.office_id, RequiredDocument.year == period.year,
            DocumentType.code == LAPORAN_SKM))


def attach_refusal(period: SurveyPeriod, user: User, doc: RequiredDocument | None) -> str | None:
    """Why ``user`` cannot attach the report now (in the page's language, for the page and the flash), or None."""
    if period.is_open:
        return _("Tutup periode survei terlebih dahulu; laporan dilampirkan dari hasil yang sudah dibekukan.")
    if doc is None:
        return _("Dokumen wajib \"Laporan SKM\" tahun %(year)s belum ditetapkan di daftar dokumen wajib.",
                 year=period.year)
    try:
        workflow.ensure_editable(doc.entry, user)
    except workflow.WorkflowError as exc:
        section = doc.entry.section.name if doc.entry.section else _("seksi penanggung jawab")
        return _("Dokumen Laporan SKM %(year)s berstatus %(state)s: laporan hanya dapat dilampirkan oleh operator "
                 "%(section)s saat dokumen berstatus draf atau dikembalikan. %(reason)s",
                 year=period.year, state=doc.entry.state.label, section=section, reason=exc)
    return None


def attach_report(period: SurveyPeriod, user: User) -> list:
    """Add the generated report as a new file version of the year's required document "laporan_skm".

    Goes through the documents capability's own upload operation (file checks, version number,
    history, audit) instead of writing files here; that operation also re-checks that ``user`` may
    change the document now. Returns the new file rows: the caller commits (a rollback also deletes
    the file written).
    """
    doc = requirement(period)
    refusal = attach_refusal(period, user, doc)
    if refusal:
        raise SurveyError(refusal)
    try:
        return doc_ops.upload_files(
            doc, user, [(io.BytesIO(report(period)), report_filename(period))],
            description=f"Laporan Hasil SKM {period.title}, dibuat dari aplikasi")
    except (uploads.UploadError, doc_ops.DocumentError) as exc:
        raise SurveyError(str(exc)) from exc
