"""Issue 11, "input that breaks later": control characters, numbers out of range, too-large requests and
unreadable SKM files are refused where they come in, and documents survive what is already stored.

The walks find their cases themselves: every module-level ``IkuForm`` subclass and its text fields, every
route of ``url_map`` with a number in it, every GET route with the numeric query parameters the app reads.
A new form or route is covered without listing it here.
"""
from __future__ import annotations

import importlib
import io
import pkgutil
import sys

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import MultiDict
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.fields.core import UnboundField

import iku_workflow
from conftest import PASSWORD, get_user
from iku_workflow.domain.text import SafeSheet, control_characters, xml_safe
from iku_workflow.extensions import db
from iku_workflow.forms_base import IkuForm, NumberField
from iku_workflow import audit
from iku_workflow.models import SurveyResponse
from iku_workflow.url_params import BoundedInt

CONTROL = "Teks mengandung karakter kendali yang tidak diizinkan."
TWENTY_DIGITS = "9" * 20


def form_classes() -> list[type]:
    for info in pkgutil.walk_packages(iku_workflow.__path__, "iku_workflow."):
        importlib.import_module(info.name)
    found, stack = set(), [IkuForm]
    while stack:
        for sub in stack.pop().__subclasses__():
            stack.append(sub)
            if getattr(sys.modules.get(sub.__module__), sub.__name__, None) is sub:
                found.add(sub)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


def text_fields(cls) -> dict[str, type]:
    return {name: value.field_class for name in dir(cls)
            if isinstance((value := getattr(cls, name, None)), UnboundField)
            and issubclass(value.field_class, StringField)}


def build(cls, data: dict):
    """``cls`` posted with ``data`` (choices the view would fill are left empty)."""
    form = cls(formdata=MultiDict(data), meta={"csrf": False})
    for field in form:
        if getattr(field, "choices", "") is None:
            field.choices = []
    return form


FORMS_WITH_TEXT = [cls for cls in form_classes() if text_fields(cls)]


# ---------------------------------------------------------------- control characters, every text field

def test_the_walk_finds_the_forms_of_the_issue():
    names = {cls.__name__ for cls in FORMS_WITH_TEXT}
    assert len(FORMS_WITH_TEXT) >= 10, names


@pytest.mark.parametrize("cls", FORMS_WITH_TEXT, ids=lambda c: c.__qualname__)
def test_every_text_field_refuses_control_characters(app, cls):
    """NUL, a C0, DEL and a C1 control: each text field refuses it next to the field, keeps what was typed."""
    for name, field_class in text_fields(cls).items():
        for bad in ("a\x00b", "a\x07b", "a\x7fb", "a\x85b", "a\ud800b"):
            with app.test_request_context(method="POST"):
                form = build(cls, {name: bad})
                valid = form.validate()
                field = form[name]
                if field.type == "HiddenField":  # nobody typed it: the characters are dropped, no message
                    assert field.data == "ab" and CONTROL not in field.errors
                    continue
                assert valid is False and CONTROL in field.errors, (cls.__name__, name, repr(bad), field.errors)
                assert field.data == bad or field.type == "PasswordField" or getattr(field, "raw_data", [bad]) == [bad]
        with app.test_request_context(method="POST"):
            form = build(cls, {name: "a\tb\r\nc"})
            form.validate()
            if issubclass(field_class, HiddenField):
                assert form[name].data == "abc"
            elif issubclass(field_class, TextAreaField):  # multi-line: tab and line breaks are text
                assert CONTROL not in form[name].errors, (cls.__name__, name)
            else:
                assert CONTROL in form[name].errors, (cls.__name__, name)


def test_the_refusal_is_shown_on_the_page_and_nothing_is_stored(client_as, office):
    c = client_as("admin")
    before = office.full_name
    from factories import forms

    page = c.get("/admin/kantor").get_data(as_text=True)
    form = next(f for f in forms(page) if "full_name" in f.names or "name" in f.names)
    key = "full_name" if "full_name" in form.names else "name"
    response = c.post(form.action or "/admin/kantor", data=form.data(**{key: "Kecamatan\x00 Gumukmas"}))
    assert response.status_code in (200, 422)
    assert CONTROL in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(type(office), office.id).full_name == before


def test_text_helpers():
    assert control_characters("a\tb\nc\r", multiline=True) == []
    assert control_characters("a\tb", multiline=False) == ["\t"]
    assert xml_safe("a\x00b\x0bc\ufffed\U0001f600") == "abcd\U0001f600"
    assert xml_safe(5) == 5


# ---------------------------------------------------------------- documents survive what is stored

def test_documents_build_from_text_with_control_characters(app, office):
    """A row stored before the check: the docx writers and every openpyxl sheet drop what XML cannot hold."""
    from docx import Document
    from openpyxl import Workbook

    from iku_workflow.reports import docx_common, xml_writer

    doc = Document()
    docx_common.para(doc, "Kecamatan\x00 Gumukmas\x0b")
    p = doc.add_paragraph()
    xml_writer.write_run(p._p, "IKU\x01 satu\tdua\x1f")
    out = io.BytesIO()
    doc.save(out)
    text = "\n".join(par.text for par in Document(io.BytesIO(out.getvalue())).paragraphs)
    assert "Kecamatan Gumukmas" in text and "IKU satu\tdua" in text

    wb = Workbook()
    ws = SafeSheet(wb.active)
    ws.append(["a\x00b", 1])
    ws.cell(2, 1, value="c\x1bd")
    wb.save(io.BytesIO())
    assert wb.active["A1"].value == "ab" and wb.active["A2"].value == "cd"


# ---------------------------------------------------------------- numbers in addresses

def _int_rules(app):
    return [rule for rule in app.url_map.iter_rules()
            if any(isinstance(conv, BoundedInt) for conv in rule._converters.values())]


def test_every_int_in_a_route_is_bounded(app):
    rules = _int_rules(app)
    assert len(rules) >= 40
    assert all(type(conv) is BoundedInt for rule in rules for name, conv in rule._converters.items()
               if conv.regex == BoundedInt.regex)


def test_twenty_digit_ids_and_years_out_of_range_are_404(client_as, app):
    c = client_as("admin")
    tried = 0
    for rule in _int_rules(app):
        for name, conv in rule._converters.items():
            if not isinstance(conv, BoundedInt):
                continue
            parts = {n: (1 if isinstance(cv, BoundedInt) else "x") for n, cv in rule._converters.items()}
            parts[name] = 10**20
            # written by hand: url_for would refuse to build it, the converter must refuse it on the way in
            built = "/" + "/".join(seg for seg in rule.rule.split("/") if seg)
            for n, value in parts.items():
                built = built.replace(f"<int:{n}>", str(value)).replace(f"<{n}>", str(value))
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                response = c.open(built, method=method)
                assert response.status_code == 404, (method, built, response.status_code)
                tried += 1
            if name == "year":
                for year in (0, 10000, 2**31 - 1):
                    parts[name] = year
                    b = "/" + "/".join(seg for seg in rule.rule.split("/") if seg)
                    for n, value in parts.items():
                        b = b.replace(f"<int:{n}>", str(value)).replace(f"<{n}>", str(value))
                    response = c.open(b, method=sorted(rule.methods - {"HEAD", "OPTIONS"})[0])
                    assert response.status_code == 404, (b, response.status_code)
    assert tried >= 40


# ---------------------------------------------------------------- numbers and names in query strings

BAD_QUERY = {"hal": ["1e309", "NaN", "Infinity", "-1", TWENTY_DIGITS, "²"],
             "layanan": ["1e309", TWENTY_DIGITS], "section": [TWENTY_DIGITS, "NaN"], "year": [TWENTY_DIGITS, "1e309"],
             "periode": ["tw99999999999999999999"], "endpoint": ["x"], "_external": ["1"], "_anchor": ["x"],
             "_method": ["DELETE"], "_scheme": ["ftp"]}


@pytest.mark.parametrize("username", ["admin", "sekcam", "camat", "pelayanan"])
def test_no_get_route_gives_500_for_hostile_query_strings(client_as, app, username):
    c = client_as(username)
    from iku_workflow.models import SurveyPeriod
    period_id = db.session.scalar(sa.select(SurveyPeriod.id).limit(1)) or 1
    walked = 0
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static" or rule.endpoint.startswith("auth.logout"):
            continue
        parts = {}
        for name, conv in rule._converters.items():
            if isinstance(conv, BoundedInt):
                parts[name] = 2025 if name == "year" else (period_id if name == "period_id" else 1)
            else:
                parts[name] = {"fmt": "xlsx", "register": "x", "code": "x"}.get(name, "x")
        built = rule.rule
        for n, value in parts.items():
            built = built.replace(f"<int:{n}>", str(value)).replace(f"<{n}>", str(value))
        for key, values in BAD_QUERY.items():
            for value in values:
                response = c.get(built, query_string={key: value})
                assert response.status_code != 500, (username, built, key, value)
                walked += 1
    assert walked > 100


def test_audit_page_keeps_only_its_filters_in_links(client_as, office):
    c = client_as("admin")
    for i in range(60):
        audit.record("uji.aksi", office_id=office.id, username="admin")
    db.session.commit()
    response = c.get("/audit", query_string={"endpoint": "x", "_external": "1", "action": "uji"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "hal=2" in page and "action=uji" in page and "endpoint=" not in page and "http://localhost" not in page
    assert c.get("/audit?hal=1e309").status_code == 400
    assert c.get("/audit?hal=" + TWENTY_DIGITS).status_code == 400


# ---------------------------------------------------------------- numbers in forms

@pytest.mark.parametrize("cls", [c for c in form_classes()
                                 if any(isinstance(getattr(c, n, None), UnboundField)
                                        and issubclass(getattr(c, n).field_class, NumberField) for n in dir(c))],
                         ids=lambda c: c.__qualname__)
def test_every_number_field_has_a_range(app, cls):
    names = [n for n in dir(cls) if isinstance(getattr(cls, n, None), UnboundField)
             and issubclass(getattr(cls, n).field_class, NumberField)]
    for name in names:
        for text in ("1e309", "Infinity", "NaN", TWENTY_DIGITS, "-" + TWENTY_DIGITS):
            with app.test_request_context(method="POST"):
                form = build(cls, {name: text})
                form.validate()
                assert form[name].errors, (cls.__name__, name, text)
                assert form[name].data is None


# ---------------------------------------------------------------- a request over the upload limit

def test_a_request_over_the_limit_gets_the_apps_page(make_app, office):
    app = make_app(MAX_CONTENT_LENGTH=1024, IKU_MAX_UPLOAD_MB=1)
    c = app.test_client()
    c.post("/login", data={"username": "pelayanan", "password": PASSWORD})
    from iku_workflow.models import SurveyPeriod
    with app.app_context():
        period_id = db.session.scalar(sa.select(SurveyPeriod.id).limit(1))
        before = db.session.scalar(sa.select(sa.func.count()).select_from(SurveyResponse))
    response = c.post(f"/skm/periode/{period_id}/impor", data={"file": (io.BytesIO(b"x" * 4096), "a.csv")},
                      content_type="multipart/form-data")
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "Berkas terlalu besar" in page and "1 MB" in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SurveyResponse)) == before


# ---------------------------------------------------------------- SKM import of unreadable files

@pytest.mark.demo_without("survey")
@pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
                                  "Tanggal,jenis\n2025-01-01,\u4e2d\u6587\n".encode("utf-16"),
                                  "Tanggal,x\n\u0410\u0411\n".encode("utf-8")[:-1] + b"\x81\x8d\n"],
                         ids=["binary", "utf-16", "undefined-cp1252"])
def test_skm_import_of_an_unreadable_csv_gives_the_importers_message(client_as, office, data):
    from iku_workflow.survey.operations import open_period
    period_id = open_period(office.id, 2025, "S1", user=get_user("sekcam")).id
    db.session.commit()
    c = client_as("pelayanan")
    before = db.session.scalar(sa.select(sa.func.count()).select_from(SurveyResponse))
    response = c.post(f"/skm/periode/{period_id}/impor", data={"file": (io.BytesIO(data), "a.csv")},
                      content_type="multipart/form-data")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Berkas CSV tidak dapat dibaca" in page, page[page.find("<main"):][:3000]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SurveyResponse)) == before
