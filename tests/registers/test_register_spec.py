"""A register is one record plus its model, form and provider: this test declares a small register
("Hitungan uji", IKU 7) in the test suite only and walks it through the real pages and operations,
create → submit → approve → measure, without touching the application's code.

The model lives on its own MetaData (so the application's schema and migrations do not see it); the
test creates its table in the test database and drops it afterwards.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from flask_wtf.file import FileField
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

import factories
from iku_workflow import measures
from iku_workflow.capability import registry
from iku_workflow.extensions import NAMING_CONVENTION, db
from iku_workflow.forms_base import IkuForm
from iku_workflow.models import EntryState, Office, Unit, WorkflowEntry
from iku_workflow.models.registers import _RegisterRow
from iku_workflow.registers import spec as register_spec
from iku_workflow.registers.spec import RegisterSpec


# ------------------------------------------------------------------ the new register: model, form, provider, record

class TallyBase(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


class Tally(_RegisterRow, TallyBase):
    """One thing to count: done or not (its IKU is the share done, of the approved rows)."""

    __tablename__ = "test_tallies"

    office_id: Mapped[int] = mapped_column(sa.ForeignKey(Office.__table__.c.id, ondelete="CASCADE"))
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey(WorkflowEntry.__table__.c.id, ondelete="RESTRICT"),
                                          unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    done: Mapped[bool] = mapped_column(default=False)

    entry: Mapped[WorkflowEntry] = relationship(WorkflowEntry)


class TallyForm(IkuForm):
    name = StringField("Nama hitungan", validators=[DataRequired(), Length(max=120)])
    done = BooleanField("Sudah selesai")
    evidence_note = TextAreaField("Bukti", validators=[Optional(), Length(max=2000)])
    evidence_upload = FileField("Berkas bukti")


def tally_ratio(office_id: int, year: int, rule=None) -> measures.Measured:
    done, total = db.session.execute(
        sa.select(sa.func.sum(sa.case((Tally.done.is_(True), 1), else_=0)), sa.func.count())
        .join(WorkflowEntry, sa.and_(WorkflowEntry.id == Tally.entry_id, WorkflowEntry.state == EntryState.APPROVED))
        .where(Tally.office_id == office_id, Tally.year == year)).one()
    if not total:
        return measures.empty()
    return measures.from_counts({4: (int(done or 0), int(total))}, "Hitungan selesai ÷ seluruh hitungan.")


TALLY = RegisterSpec(
    slug="hitungan", iku=7, label="Hitungan uji (IKU 7)", title="Hitungan uji", model=Tally, kind="test_tally",
    section="pelayanan", form=TallyForm, fields=("name", "done", "evidence_note"),
    convert=lambda d: dict(name=d["name"].strip(), done=bool(d["done"]), evidence_note=(d["evidence_note"] or "").strip()),
    check=lambda d, year: {"name": "Nama ini dicadangkan."} if d["name"].strip() == "terlarang" else {},
    title_of=lambda row: f"Hitungan {row.name}", order=(Tally.id,),
    measure_key="ratio:tally", measure_label="Rasio hitungan yang selesai", provider=tally_ratio, nav_order=24,
    columns=(("Nama", "name"), ("Selesai", "done")),
)


@pytest.fixture
def extra_capabilities():
    return (register_spec.capability("test-register", (TALLY,)),)


@pytest.fixture
def tally_table(app):
    TallyBase.metadata.create_all(db.engine)
    yield
    db.session.remove()
    TallyBase.metadata.drop_all(db.engine)


@pytest.fixture
def iku7(office, tally_table):
    """The office's IKU 7 of 2025, measured by the new register, target 100 %."""
    indicator = factories.indicator(office, 7, kinerja_utama="Hitungan uji", name="Rasio hitungan", unit=Unit.PERSEN,
                                    measure="ratio:tally", target=100)
    db.session.commit()
    return indicator


def _create(client, name: str, done: bool):
    data = {"name": name, "evidence_note": "Arsip uji"} | ({"done": "y"} if done else {})
    return client.post("/register/hitungan/2025/baru", data=data)


def _row(name: str) -> Tally:
    db.session.expire_all()
    return db.session.scalar(sa.select(Tally).where(Tally.name == name))


# ------------------------------------------------------------------ the walk

def test_the_declared_register_gets_its_menu_kind_and_measure(app, tally_table):
    reg = registry()
    assert reg.registers["hitungan"] is TALLY
    assert str(reg.kinds["test_tally"].label) == "Hitungan uji (IKU 7)"
    assert reg.measures["ratio:tally"].provider is tally_ratio
    assert any(n.key == "registers.hitungan" and n.values == {"register": "hitungan"} for n in reg.nav)


def test_create_submit_approve_measure(client_as, office, iku7):
    operator, sekcam = client_as("pelayanan"), client_as("sekcam")

    # the menu leads to this year's list
    home = operator.get("/dasbor/2025").get_data(as_text=True)
    assert "Hitungan uji (IKU 7)" in home and 'href="/register/hitungan"' in home
    assert operator.get("/register/hitungan").headers["Location"].endswith(f"/register/hitungan/{date.today().year}")

    # create: the form comes from the record; its check refuses with the message next to the field
    form = operator.get("/register/hitungan/2025/baru").get_data(as_text=True)
    assert "Nama hitungan" in form and "Sudah selesai" in form
    refused = _create(operator, "terlarang", True)
    assert refused.status_code == 200 and "Nama ini dicadangkan." in refused.get_data(as_text=True)
    assert _row("terlarang") is None
    assert _create(operator, "Satu", True).status_code == 302
    assert _create(operator, "Dua", False).status_code == 302
    one, two = _row("Satu"), _row("Dua")
    assert one.entry.kind == "test_tally" and one.entry.state is EntryState.DRAFT and one.entry.title == "Hitungan Satu"
    assert one.entry.section.code == "pelayanan" and one.evidence_note == "Arsip uji"
    listing = operator.get("/register/hitungan/2025").get_data(as_text=True)
    assert "Satu" in listing and "Dua" in listing and ">Ya</td>" in listing and ">Tidak</td>" in listing

    # submit (the operator), then the sekcam sees it in the queue, linked to the row's page
    for row in (one, two):
        assert operator.post(f"/entri/{row.entry_id}/ajukan", data={"note": ""}).status_code == 302
    queue = sekcam.get("/tinjauan").get_data(as_text=True)
    assert "Hitungan uji (IKU 7)" in queue and f'href="/register/hitungan/data/{one.id}?next=%2Ftinjauan"' in queue
    assert measures.measure("ratio:tally", office.id, 2025).year is None  # nothing approved yet

    # approve one: 1 done of 1
    assert sekcam.post(f"/entri/{one.entry_id}/setujui", data={"note": ""}).status_code == 302
    assert _row("Satu").entry.state is EntryState.APPROVED
    assert measures.measure("ratio:tally", office.id, 2025).year == Decimal(100)

    # approve the other: 1 done of 2, on the dashboard with a link to the data
    sekcam.post(f"/entri/{two.entry_id}/setujui", data={"note": ""})
    measured = measures.measure("ratio:tally", office.id, 2025)
    assert measured.year == Decimal(50) and measured.counts[4] == (1, 2)
    dashboard = sekcam.get("/dasbor/2025").get_data(as_text=True)
    assert "Rasio hitungan" in dashboard and 'href="/register/hitungan/2025"' in dashboard
    assert "50,00" in dashboard


def test_edit_and_delete_go_through_the_record(client_as, office, tally_table):
    operator = client_as("pelayanan")
    _create(operator, "Tiga", False)
    row = _row("Tiga")
    page = operator.get(f"/register/hitungan/data/{row.id}/ubah").get_data(as_text=True)
    assert 'value="Tiga"' in page
    assert operator.post(f"/register/hitungan/data/{row.id}/ubah",
                         data={"name": "Tiga baru", "done": "y", "evidence_note": ""}).status_code == 302
    row = _row("Tiga baru")
    assert row.done and row.entry.title == "Hitungan Tiga baru"
    response = operator.post(f"/register/hitungan/data/{row.id}/hapus", data={"version": row.entry.version})
    assert response.status_code == 302
    assert _row("Tiga baru") is None
    assert db.session.get(WorkflowEntry, row.entry_id) is None


def test_an_app_without_the_record_has_no_such_register(office, tally_table, tmp_path):
    from conftest import PASSWORD, base_config
    from iku_workflow import create_app

    plain = create_app(base_config(db.engine.url.render_as_string(hide_password=False), tmp_path))
    try:
        client = plain.test_client()
        client.post("/login", data={"username": "pelayanan", "password": PASSWORD})
        assert client.get("/register/hitungan/2025").status_code == 404
        assert "Hitungan uji" not in client.get("/dasbor/2025").get_data(as_text=True)
    finally:
        with plain.app_context():
            db.session.remove()
            db.engine.dispose()


def test_only_the_owning_sections_operators_create(client_as, viewer, tally_table):
    for username in ("sekcam", "viewer", "trantib"):
        assert client_as(username).get("/register/hitungan/2025/baru").status_code == 403, username
    assert client_as("pelayanan").get("/register/hitungan/2025/baru").status_code == 200
