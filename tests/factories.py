"""Data builders and small readers shared by the whole suite (fixtures live in conftest.py files).

Builders make what a test needs itself: register rows, documents' files, SKM responses, report contexts,
images and PDFs. Readers take back what the app made: a .docx's paragraphs, a page's forms as a browser
would submit them. Import from here (``from factories import ...``; tests/ is on ``sys.path`` through
its rootdir conftest.py, the test folders are packages).
"""
from __future__ import annotations

import hashlib
import io
import os
import struct
import uuid
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from decimal import Decimal as D
from html.parser import HTMLParser

import docx
import sqlalchemy as sa

from conftest import get_user
from iku_workflow.extensions import db
from iku_workflow.models import (
    ActivityKind, ComplaintChannel, ComplaintStatus, DocumentFile, DocumentType, Indicator, RequiredDocument,
    ResponseSource, SurveyPeriod, SurveyResponse, Target, Unit,
)
from iku_workflow.models._types import utcnow
from iku_workflow.registers import operations as reg_ops
from iku_workflow.reports.context import (
    AnnexContent, CapaianReportContext, CapaianRow, DecreeContext, Diktum, IkuRow, OfficeInfo,
    Signatory, SkmReportContext,
)
from iku_workflow.seed import gumukmas_2025 as seed
from iku_workflow.workflow import operations as wf

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


# ---------------------------------------------------------------- register rows and their approval

def _claimed_evidence(row, evidence):
    """A row that claims the work done needs evidence before it is submitted (issue 13): unless told
    otherwise, such a row gets an evidence entry naming a file (as ``give_evidence`` does for documents:
    tests of counting and review, where the evidence rule is not what is being tested)."""
    if evidence:
        row.evidence_file, row.evidence_filename, row.evidence_mime = (
            uuid.uuid4().hex + ".pdf", "bukti.pdf", "application/pdf")
        db.session.flush()
    return row


def complaint(office, received=date(2025, 2, 10), status="selesai", resolved=date(2025, 2, 12), user="trantib",
              evidence=None):
    row = reg_ops.create_row(
        office, get_user(user), "pengaduan", received.year, received_on=received, channel=ComplaintChannel.SURAT,
        desa="Gumukmas", summary="Keributan di pasar", status=ComplaintStatus(status),
        resolved_on=resolved if status == "selesai" else None, resolution="Mediasi" if status == "selesai" else "")
    return _claimed_evidence(row, status == "selesai" if evidence is None else evidence)


def activity(office, tw=1, facilitated=True, year=2025, evidence=None):
    row = reg_ops.create_row(
        office, get_user("pmks"), "kegiatan", year, name=f"Pelatihan TW{tw}", kind=ActivityKind.PELATIHAN,
        planned_triwulan=tw, desa="Karangrejo", facilitated=facilitated,
        facilitated_on=date(year, 3 * tw, 1) if facilitated else None)
    return _claimed_evidence(row, facilitated if evidence is None else evidence)


def program(office, target="100", realisation="100", year=2025):
    return reg_ops.create_row(
        office, get_user("sekretariat"), "program", year, program="Program Penunjang", indicator="Dokumen tepat waktu",
        unit="%", polarity="higher", target=Decimal(target), realisation=Decimal(realisation) if realisation else None)


def sakip(office, score="72.5", year=2025):
    return reg_ops.create_row(office, get_user("sekretariat"), "sakip", year, score=Decimal(score),
                              lhe_reference="700/12/2025", lhe_date=date(year, 11, 20))


def approve(*rows, submitter=None):
    sekcam = get_user("sekcam")
    for row in rows:
        user = submitter or (row.entry.created_by)
        wf.submit(row.entry, user)
        wf.approve(row.entry, sekcam)
    db.session.commit()


def bring_to(entry, state):
    """``entry`` brought to ``state`` by the proper people: submitted by Seksi Pelayanan Umum's operator,
    returned (with a note) or approved by the sekcam; committed."""
    from iku_workflow.models import EntryState

    operator, sekcam = get_user("pelayanan"), get_user("sekcam")
    if state is not EntryState.DRAFT:
        wf.submit(entry, operator)
    if state is EntryState.RETURNED:
        wf.return_for_revision(entry, sekcam, note="Lengkapi tanda tangan")
    if state is EntryState.APPROVED:
        wf.approve(entry, sekcam)
    db.session.commit()
    return entry


# ---------------------------------------------------------------- indicators

def seeded_iku(office, number: int, year: int = 2025) -> Indicator:
    """The office's IKU ``number`` of ``year`` as the demo seed stored it from the 2025 decree (for tests about
    that catalogue: its formulations, year rules, measures and targets)."""
    return db.session.scalar(sa.select(Indicator).where(Indicator.office_id == office.id, Indicator.year == year,
                                                        Indicator.number == number))


def indicator(office, number: int, year: int = 2025, *, measure: str, name: str = "Indikator uji",
              kinerja_utama: str = "Kinerja uji", unit: Unit = Unit.PERSEN, target=None, **fields) -> Indicator:
    """A new indicator of ``office`` (not one of the seeded decree's), with its year target when given."""
    row = Indicator(office_id=office.id, year=year, number=number, kinerja_utama=kinerja_utama, name=name,
                    unit=unit, measure=measure, **fields)
    db.session.add(row)
    db.session.flush()
    if target is not None:
        db.session.add(Target(office_id=office.id, indicator_id=row.id, triwulan=None, value=Decimal(target)))
        db.session.flush()
    return row


# ---------------------------------------------------------------- documents: files of each type, required documents

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"


def docx_bytes(extra: dict[str, bytes] | None = None) -> bytes:
    buf = io.BytesIO()
    docx.Document().save(buf)
    if extra:
        with zipfile.ZipFile(buf, "a", compression=zipfile.ZIP_DEFLATED) as z:
            for name, data in extra.items():
                z.writestr(name, data)
    return buf.getvalue()


def xlsx_bytes() -> bytes:
    import openpyxl

    buf = io.BytesIO()
    openpyxl.Workbook().save(buf)
    return buf.getvalue()


def plain_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "bukan dokumen")
    return buf.getvalue()


def required(office, code: str, year: int | None = None) -> RequiredDocument:
    """The demo office's required document of ``code`` for ``year`` (the seed creates them)."""
    year = year or date.today().year
    return db.session.scalar(
        sa.select(RequiredDocument).join(RequiredDocument.type)
        .where(RequiredDocument.office_id == office.id, RequiredDocument.year == year, DocumentType.code == code)
    )


def upload(client, doc, *files, description="", follow=False):
    """POST files [(bytes, name), ...] to a document's upload form.

    The body is encoded here (werkzeug's builder spools bodies over 500 KB to a temporary file it
    never closes, which pytest reports as a ResourceWarning).
    """
    from werkzeug.datastructures import FileStorage, MultiDict
    from werkzeug.test import encode_multipart

    values = MultiDict([("description", description)])
    for content, name in files:
        # quoted-string escaping, as a careful client sends it: the server then sees the name as given
        quoted = name.replace("\\", "\\\\")
        values.add("files", FileStorage(io.BytesIO(content), filename=quoted, content_type="application/octet-stream"))
    boundary, body = encode_multipart(values)
    return client.post(f"/dokumen/wajib/{doc.id}/unggah", data=body, follow_redirects=follow,
                       content_type=f"multipart/form-data; boundary={boundary}")


def stored_keys(app) -> list[str]:
    """Every key in the app's file store (a folder or an S3 prefix, whichever the test runs on)."""
    return sorted(app.extensions["iku_storage"].iter_keys())


def give_evidence(office) -> None:
    """Record one evidence file row on every required document of ``office`` (tests of the workflow
    itself, where the submit rule "evidence first" is not what is being tested)."""
    docs = db.session.scalars(sa.select(RequiredDocument).where(RequiredDocument.office_id == office.id)).all()
    for doc in docs:
        if not doc.files:
            db.session.add(DocumentFile(
                office_id=office.id, document_id=doc.id, version=1, original_name="bukti.pdf",
                stored_name=uuid.uuid4().hex, relative_dir=f"{office.code}/{doc.year}", size=len(PDF),
                sha256=hashlib.sha256(PDF).hexdigest(), mime="application/pdf", extension="pdf",
            ))
    db.session.commit()


# ---------------------------------------------------------------- SKM responses

WORKED_EXAMPLE = [  # RULES.md §1, five respondents
    (4, 3, 3, 4, 3, 4, 4, 3, 3),
    (3, 3, 2, 4, 3, 3, 4, 3, 2),
    (4, 4, 3, 4, 4, 4, 4, 4, 3),
    (3, 2, 3, 4, 3, 3, 3, 2, 3),
    (4, 3, 4, 4, 3, 4, 4, 3, 3),
]


def add_rows(period: SurveyPeriod, answers, *, day: date | None = None, service=None, **profile) -> None:
    """Insert one response per answer tuple (directly, as an import would)."""
    from iku_workflow.domain.dates import period_range

    day = day or period_range(period.year, period.label)[0]
    service = service or period.services[0]
    base = {"jenis_kelamin": "L", "usia": 30, "pendidikan": "SMA", "pekerjaan": "SWASTA", **profile}
    rows = [{"period_id": period.id, "service_id": service.id, "tanggal": day, "source": ResponseSource.STAFF,
             "created_at": utcnow(), **base, **{f"u{i}": a for i, a in enumerate(row, start=1)}}
            for row in answers]
    if rows:
        db.session.execute(sa.insert(SurveyResponse), rows)
    db.session.flush()


def fresh_user(client_as, username: str):
    """client_as(username) after forgetting the user Flask-Login cached on ``g``: the test's app context
    is reused by every request, so the previous client's user would otherwise answer the login."""
    from flask import g

    g.pop("_login_user", None)
    return client_as(username)


# ---------------------------------------------------------------- images and PDFs

def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bytes(width: int = 120, height: int = 150, rgb: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    """A valid RGB PNG: a coloured field with a white diagonal (so it is not one flat colour)."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter: none
        for x in range(width):
            rows += bytes((255, 255, 255)) if abs(x * height - y * width) < width * 2 else bytes(rgb)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", zlib.compress(bytes(rows), 9))
            + _chunk(b"IEND", b""))


def jpeg_bytes() -> bytes:
    """A real JPEG (395 × 512 px): the thumbnail python-docx ships in its default template."""
    path = os.path.join(os.path.dirname(docx.__file__), "templates", "default.docx")
    with zipfile.ZipFile(path) as zf:
        return zf.read("docProps/thumbnail.jpeg")


def tiny_pdf(text: str = "Keputusan ditandatangani") -> bytes:
    """A one-page PDF with correct xref offsets (a real, if minimal, signed scan stand-in)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# ---------------------------------------------------------------- report contexts built from the seed decree

def make_office(**kw) -> OfficeInfo:
    o = seed.OFFICE
    values = dict(name=o["name"], kabupaten=o["kabupaten"], address=o["address"],
                  telephone=o["telephone"], city=o["city"])
    values.update(kw)
    return OfficeInfo(**values)


def make_signatory(**kw) -> Signatory:
    o = seed.OFFICE
    values = dict(jabatan="CAMAT GUMUKMAS", name=o["camat_name"], pangkat=o["camat_pangkat"],
                  nip=o["camat_nip"])
    values.update(kw)
    return Signatory(**values)


def make_annex(year: int = 2025) -> AnnexContent:
    rows = [IkuRow(r["number"], r["kinerja_utama"], r["indikator"], r["formulation"],
                   r["bidang_text"], r["sumber_data"]) for r in seed.iku_rows(year)]
    return AnnexContent("Kecamatan Gumukmas", seed.TUGAS, seed.FUNGSI, seed.TUJUAN,
                        seed.INDIKATOR_TUJUAN, rows)


def make_decree(**kw) -> DecreeContext:
    values = dict(
        office=make_office(), nomor=seed.NOMOR, tempat="Gumukmas", tanggal=date(2025, 2, 12),
        tentang=seed.default_tentang("Gumukmas", "Jember"),
        menimbang=seed.default_menimbang("Gumukmas", "Jember"),
        mengingat=seed.default_mengingat(), memperhatikan=[],
        diktum=[Diktum(**d) for d in seed.default_diktum("Gumukmas", "Jember")],
        signatory=make_signatory(), tembusan=[], annex=make_annex(), paper="F4")
    values.update(kw)
    return DecreeContext(**values)


def make_capaian(**kw) -> CapaianReportContext:
    rows = [
        CapaianRow(1, "Jumlah Dokumen Penataan Organisasi", "dokumen", D(4),
                   {"tw1": D(1), "tw2": D(2), "tw3": None, "tw4": None, "year": D(2)},
                   D(50), "Sangat Rendah", sasaran="Meningkatnya kualitas tata kelola"),
        CapaianRow(2, "Indeks Kepuasan Masyarakat", "indeks", D(80),
                   {"tw1": D("83.33"), "tw2": None, "tw3": None, "tw4": None,
                    "year": D("83.33")}, D("104.1625"), "Sangat Tinggi",
                   sasaran="Meningkatnya kualitas pelayanan publik"),
        CapaianRow(5, "Nilai SAKIP OPD", "nilai", D(70),
                   {"tw1": None, "tw2": D("82.50"), "tw3": None, "tw4": None, "year": D("82.50")},
                   D("117.86"), "Sangat Tinggi", sasaran="Meningkatnya akuntabilitas kinerja",
                   predikat="A (Memuaskan)"),
    ]
    values = dict(office=make_office(), year=2025, period_label="s.d. Triwulan II 2025",
                  rows=rows, completion_rate=D("18.18"), completion_counts=(2, 11), printed_on=date(2025, 7, 1),
                  signatory=make_signatory(), upto_tw=2)
    values.update(kw)
    return CapaianReportContext(**values)


UNSUR = ["Persyaratan", "Sistem, Mekanisme, dan Prosedur", "Waktu Penyelesaian", "Biaya/Tarif",
         "Produk Spesifikasi Jenis Pelayanan", "Kompetensi Pelaksana", "Perilaku Pelaksana",
         "Sarana dan Prasarana", "Penanganan Pengaduan, Saran dan Masukan"]
NRR = ["3.60", "3.00", "3.00", "4.00", "3.20", "3.60", "3.80", "3.00", "2.80"]  # RULES.md §1


def make_skm(**kw) -> SkmReportContext:
    names = {f"u{i}": n for i, n in enumerate(UNSUR, 1)}
    values = dict(
        office=make_office(), year=2025, period_label="Semester I 2025",
        method_text="Kuesioner diisi di loket pelayanan.", respondents=5, min_sample=4,
        nrr={k: D(v) for k, v in zip(names, NRR)}, unsur_names=names, ikm=D("3.333333"),
        konversi=D("83.33"), mutu="B", kinerja="Baik", priorities=["u9", "u2", "u3"],
        profile={"Jenis Kelamin": [("Laki-laki", 3), ("Perempuan", 2)]},
        per_service=[("KTP-el", 3, D("84.00"), "B"), ("Surat Pindah", 2, D("82.5"), "B")],
        signatory=make_signatory(), printed_on=date(2025, 7, 1), provisional=False,
        weighted_nrr={k: D(v) / 9 for k, v in zip(names, NRR)}, weight_text="1/9")
    values.update(kw)
    return SkmReportContext(**values)


# ---------------------------------------------------------------- reading back a .docx

def open_docx(data: bytes):
    return docx.Document(io.BytesIO(data))


def body_texts(document) -> list[str]:
    """Every paragraph of the body in document order, tables included (cell by cell)."""
    return ["".join("\t" if t.tag == W + "tab" else (t.text or "")
                    for r in p.iter(W + "r") for t in r.iter(W + "t", W + "tab"))
            for p in document.element.body.iter(W + "p")]


def header_text(header) -> str:
    return " ".join(t.text or "" for t in header._element.iter(W + "t"))


def index_of(texts: list[str], needle: str, start: int = 0) -> int:
    for i in range(start, len(texts)):
        if needle in texts[i]:
            return i
    raise AssertionError(f"{needle!r} not found after position {start}")


# ---------------------------------------------------------------- reading back a page's forms

NUMERIC_INPUTMODES = {"numeric", "decimal"}


@dataclass
class Form:
    action: str
    method: str
    pairs: list[tuple[str, str]] = field(default_factory=list)
    inputs: dict[str, dict] = field(default_factory=dict)  # name -> attributes of the (first) input of that name
    submit: tuple[str, str] | None = None

    @property
    def names(self) -> set[str]:
        return {name for name, _ in self.pairs}

    def value(self, name: str) -> str:
        return next(v for n, v in self.pairs if n == name)

    def data(self, **changes) -> dict:
        """What the browser sends (a MultiDict-like dict of lists), with ``changes`` typed over it."""
        out: dict[str, list[str]] = {}
        for name, value in self.pairs + ([self.submit] if self.submit else []):
            out.setdefault(name, []).append(value)
        for name, value in changes.items():
            out[name] = [value]
        return out


def is_numeric_input(attrs: dict) -> bool:
    return ("data-number" in attrs or attrs.get("inputmode") in NUMERIC_INPUTMODES
            or attrs.get("type") in ("number", "range"))


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.current: Form | None = None
        self.orphans: list[dict] = []  # numeric inputs outside any form
        self.select: dict | None = None
        self.option: dict | None = None
        self.textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: ("" if v is None else v) for k, v in attrs}
        if tag == "form":
            self.current = Form(action=a.get("action", ""), method=a.get("method", "get").lower())
            self.forms.append(self.current)
            return
        if tag == "input":
            self._input(a)
        elif tag == "button" and self.current is not None:
            if a.get("type", "submit") == "submit" and "disabled" not in a and self.current.submit is None and a.get("name"):
                self.current.submit = (a["name"], a.get("value", ""))
        elif tag == "select":
            self.select = {"attrs": a, "options": [], "selected": []}
        elif tag == "option" and self.select is not None:
            self.option = {"value": a.get("value"), "text": "", "selected": "selected" in a}
        elif tag == "textarea":
            self.textarea = {"attrs": a, "text": ""}

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def _input(self, a):
        kind = a.get("type", "text").lower()
        if self.current is None:
            if is_numeric_input(a):
                self.orphans.append(a)
            return
        name = a.get("name")
        if not name:
            return
        self.current.inputs.setdefault(name, a)
        if "disabled" in a or kind in ("file", "reset", "button", "image"):
            return
        if kind == "submit":
            if self.current.submit is None:
                self.current.submit = (name, a.get("value", ""))
            return
        if kind in ("checkbox", "radio"):
            if "checked" in a:
                self.current.pairs.append((name, a.get("value", "on")))
            return
        self.current.pairs.append((name, a.get("value", "")))

    def handle_data(self, data):
        if self.option is not None:
            self.option["text"] += data
        if self.textarea is not None:
            self.textarea["text"] += data

    def handle_endtag(self, tag):
        if tag == "option" and self.option is not None and self.select is not None:
            option = self.option
            value = option["value"] if option["value"] is not None else option["text"].strip()
            self.select["options"].append(value)
            if option["selected"]:
                self.select["selected"].append(value)
            self.option = None
        elif tag == "select" and self.select is not None:
            select, self.select = self.select, None
            name = select["attrs"].get("name")
            if self.current is None or not name or "disabled" in select["attrs"]:
                return
            chosen = select["selected"] or ([] if "multiple" in select["attrs"] else select["options"][:1])
            self.current.pairs.extend((name, v) for v in chosen)
        elif tag == "textarea" and self.textarea is not None:
            area, self.textarea = self.textarea, None
            name = area["attrs"].get("name")
            if self.current is not None and name and "disabled" not in area["attrs"]:
                text = area["text"]
                # a browser drops the newline right after <textarea>
                text = text[2:] if text.startswith("\r\n") else text[1:] if text.startswith("\n") else text
                self.current.pairs.append((name, text))
        elif tag == "form":
            self.current = None


def _parse(html: str) -> _Parser:
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return parser


def forms(html: str) -> list[Form]:
    return _parse(html).forms


def form_with(html: str, name: str) -> Form:
    """The form of the page that has an input (or select/textarea) called ``name``."""
    found = [f for f in forms(html) if name in f.names or name in f.inputs]
    assert found, f"no form with a field {name!r} on the page"
    return found[0]


def numeric_inputs(html: str) -> list[tuple[Form | None, str, dict]]:
    """(form, name, attributes) of every input on the page a person types a number into."""
    parser = _parse(html)
    out = [(f, name, attrs) for f in parser.forms for name, attrs in f.inputs.items() if is_numeric_input(attrs)]
    out += [(None, a.get("name", ""), a) for a in parser.orphans]
    return out
