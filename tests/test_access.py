"""Authorisation: role checks on every admin view, the `can` table, office scoping."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_login import login_user

from conftest import get_user
from iku_workflow import access
from iku_workflow.extensions import db
from iku_workflow.models import Desa, Role, Section, User

NON_ADMINS = ["camat", "sekcam", "pemerintahan", "viewer"]  # pemerintahan is a seksi operator


def admin_routes(app, office) -> list[tuple[str, str]]:
    """(method, url) of EVERY view of the admin blueprint, with ids of the demo office."""
    ids = {
        "user_id": get_user("pemerintahan").id,
        "section_id": db.session.scalar(
            sa.select(Section.id).where(Section.office_id == office.id, Section.code == "trantib")),
        "desa_id": db.session.scalar(sa.select(Desa.id).where(Desa.office_id == office.id).order_by(Desa.id)),
    }
    out = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("admin."):
            continue
        url = rule.rule
        for name in rule.arguments:
            url = url.replace(f"<int:{name}>", str(ids[name]))
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            out.append((method, url))
    return sorted(set(out))


def test_the_admin_views_listed_are_the_ones_the_issue_names(app, office):
    urls = {url.rsplit("/", 1)[0] if url[-1].isdigit() else url for _, url in admin_routes(app, office)}
    for expected in ["/admin/pengguna", "/admin/pengguna/baru", "/admin/seksi", "/admin/seksi/baru", "/admin/kantor",
                     "/admin/desa"]:
        assert expected in urls


@pytest.mark.parametrize("username", NON_ADMINS)
def test_every_admin_view_refuses_other_roles(app, office, viewer, client_as, username):
    client = client_as(username)
    before = db.session.scalar(sa.select(sa.func.count()).select_from(User))
    for method, url in admin_routes(app, office):
        response = client.open(url, method=method, data={"password": "sandi-baru-yang-panjang",
                                                         "code": "baru", "name": "X", "short_name": "X"})
        assert response.status_code == 403, (method, url)
        html = response.get_data(as_text=True)
        assert "Akses ditolak" in html and "Anda tidak memiliki izin" in html
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == before
    assert get_user("pemerintahan").active is True


def test_every_admin_view_sends_anonymous_to_login(app, office, client):
    for method, url in admin_routes(app, office):
        response = client.open(url, method=method)
        assert response.status_code == 302, (method, url)
        assert response.headers["Location"].startswith("/login"), (method, url)


def test_every_admin_view_admits_the_admin(app, office, client_as):
    client = client_as("admin")
    for method, url in admin_routes(app, office):
        if method == "GET":
            response = client.get(url)
            assert response.status_code == 200, url
        else:  # POST with an empty form: re-shown (200, or 422 with the field's error) or redirected, never refused
            response = client.post(url, data={})
            assert response.status_code in (200, 302, 422), (method, url)


# ------------------------------------------------------------------- the can() table

# What the foundation promises, written out independently of RULES so a change to RULES shows here.
EXPECTED = {
    "admin.manage": {"admin"},
    "office.edit": {"admin"},
    "audit.view": {"admin", "sekcam"},
    "dashboard.view": {"admin", "camat", "sekcam", "seksi", "viewer"},
    "entry.view": {"admin", "camat", "sekcam", "seksi", "viewer"},
    "entry.edit": {"seksi"},
    "entry.submit": {"seksi"},
    # the Camat reviews only what a sekcam submitted (object rule, tests/test_review_rule.py)
    "entry.review": {"sekcam", "camat"},
    "entry.reopen": {"sekcam"},
    "register.delete": {"seksi", "sekcam"},
}


def _user(role: Role, office_id: int = 1, section_id: int | None = 10, active: bool = True) -> User:
    return User(id=1, office_id=office_id, username="u", full_name="U", role=role,
                section_id=section_id, active=active, password_hash="x")


class Thing:
    def __init__(self, office_id: int = 1, section_id: int | None = 10):
        self.office_id = office_id
        self.section_id = section_id


@pytest.mark.parametrize("action", sorted(access.RULES))
@pytest.mark.parametrize("role", list(Role))
def test_can_follows_the_rules(app, action, role):
    user = _user(role)
    assert access.can(user, action) is (role in access.RULES[action])
    if action in EXPECTED:
        assert access.can(user, action) is (role.value in EXPECTED[action])
    # whatever the role: never for an inactive user, never on another office's object
    assert access.can(_user(role, active=False), action) is False
    assert access.can(user, action, Thing(office_id=2)) is False


@pytest.mark.parametrize("action", sorted(access.RULES))
def test_anonymous_may_do_nothing(app, action):
    from flask_login import AnonymousUserMixin

    assert access.can(AnonymousUserMixin(), action) is False
    assert access.can(None, action) is False


@pytest.mark.parametrize("action", ["entry.edit", "entry.submit", "register.delete", "survey.close", "survey.kiosk"])
def test_operator_only_on_own_section(app, action):
    operator = _user(Role.SEKSI, section_id=10)
    assert access.can(operator, action, Thing(section_id=10)) is True
    assert access.can(operator, action, Thing(section_id=11)) is False
    assert access.can(operator, action, Thing(section_id=None)) is False


def test_unknown_action_is_a_programming_error(app):
    with pytest.raises(KeyError):
        access.can(_user(Role.ADMIN), "no.such.action")


# ------------------------------------------------------------------- scoped() and load_or_404()

def test_scoped_and_load_or_404(app, office, other_office):
    from werkzeug.exceptions import NotFound

    puger_admin = get_user("admin-puger")
    own = db.session.scalar(sa.select(Section).where(Section.office_id == other_office.id))
    foreign = db.session.scalar(sa.select(Section).where(Section.office_id == office.id))
    with app.test_request_context():
        login_user(puger_admin)
        users = db.session.scalars(access.scoped(User)).all()
        assert {u.username for u in users} == {"admin-puger", "sekcam-puger", "trantib-puger"}
        assert {s.office_id for s in db.session.scalars(access.scoped(Section))} == {other_office.id}
        assert access.load_or_404(Section, own.id) is own
        with pytest.raises(NotFound):
            access.load_or_404(Section, foreign.id)
        with pytest.raises(NotFound):
            access.load_or_404(Section, 999_999)


def test_require_aborts_403(app, office):
    from werkzeug.exceptions import Forbidden

    with app.test_request_context():
        login_user(get_user("camat"))
        access.require("dashboard.view")
        with pytest.raises(Forbidden):
            access.require("admin.manage")


# ------------------------------------------------------------------- office isolation through the views

def test_admin_of_another_office_cannot_see_or_touch_gumukmas(office, other_office, client_as):
    puger = client_as("admin-puger")
    html = puger.get("/admin/pengguna").get_data(as_text=True)
    assert 'data-username="admin-puger"' in html
    assert 'data-username="sekcam"' not in html and 'data-username="admin"' not in html

    sections = puger.get("/admin/seksi").get_data(as_text=True)
    gumukmas_trantib = db.session.scalar(
        sa.select(Section).where(Section.office_id == office.id, Section.code == "trantib"))
    assert f"/admin/seksi/{gumukmas_trantib.id}" not in sections

    target = get_user("trantib")
    assert puger.get(f"/admin/pengguna/{target.id}").status_code == 404
    assert puger.post(f"/admin/pengguna/{target.id}", data={
        "username": "dicuri", "full_name": "X", "role": "admin", "section_id": "0"}).status_code == 404
    assert puger.post(f"/admin/pengguna/{target.id}/status").status_code == 404
    assert puger.get(f"/admin/pengguna/{target.id}/nonaktifkan").status_code == 404
    assert puger.post(f"/admin/pengguna/{target.id}/nonaktifkan").status_code == 404
    assert puger.post(f"/admin/pengguna/{target.id}/sandi", data={"password": "sandi-curian-123"}).status_code == 404
    assert puger.get(f"/admin/seksi/{gumukmas_trantib.id}").status_code == 404
    assert puger.post(f"/admin/seksi/{gumukmas_trantib.id}", data={
        "code": "curian", "name": "X", "short_name": "X"}).status_code == 404
    db.session.expire_all()
    target = get_user("trantib")
    assert target.active and target.username == "trantib" and target.role is Role.SEKSI
    assert db.session.get(Section, gumukmas_trantib.id).code == "trantib"

    # the office page edits the admin's own office only
    assert "Puger" in puger.get("/admin/kantor").get_data(as_text=True)


def test_admin_cannot_assign_a_section_of_another_office(office, other_office, client_as):
    puger = client_as("admin-puger")
    foreign = db.session.scalar(sa.select(Section).where(Section.office_id == office.id, Section.code == "pmks"))
    response = puger.post("/admin/pengguna/baru", data={
        "username": "operator-x", "full_name": "Operator X", "role": "seksi",
        "section_id": str(foreign.id), "password": "sandi-operator-x",
    })
    assert response.status_code == 200  # the form is shown again, with the field marked invalid
    assert 'id="section_id" name="section_id"' in response.get_data(as_text=True)
    assert "is-invalid" in response.get_data(as_text=True)
    assert get_user("operator-x") is None


# ------------------------------------------------------------------ role checks go through access.RULES

def test_the_dashboards_review_count_follows_the_rules_table(client_as, office, monkeypatch):
    for username, shown in (("camat", True), ("admin", True), ("sekcam", True), ("trantib", False)):
        page = client_as(username).get("/dasbor/2025").get_data(as_text=True)
        assert ('data-testid="pending-review"' in page) is shown, username
    monkeypatch.setitem(access.RULES, "dashboard.pending", frozenset({Role.SEKCAM}))
    assert 'data-testid="pending-review"' not in client_as("camat").get("/dasbor/2025").get_data(as_text=True)


def test_copying_targets_with_the_year_follows_the_rules_table(client_as, office, monkeypatch):
    from iku_workflow.models import Indicator, Target

    def copied_targets(dest: int) -> int:
        return db.session.scalar(sa.select(sa.func.count(Target.id)).join(Target.indicator).where(Indicator.year == dest))

    admin = client_as("admin")
    assert "with_targets" not in admin.get("/iku/2025").get_data(as_text=True)
    admin.post("/iku/2025/salin", data={"dest": 2031, "with_targets": "y"})
    assert copied_targets(2031) == 0  # targets are not the admin's
    monkeypatch.setitem(access.RULES, "targets.manage", frozenset({Role.SEKCAM, Role.ADMIN}))
    assert "with_targets" in admin.get("/iku/2025").get_data(as_text=True)
    admin.post("/iku/2025/salin", data={"dest": 2032, "with_targets": "y"})
    assert copied_targets(2032) == 6


def test_the_review_badge_follows_the_rules_table(client_as, office, monkeypatch):
    import factories as mk
    from iku_workflow.workflow import operations as wf
    from iku_workflow.workflow.views import review_count

    row = mk.complaint(office)
    wf.submit(row.entry, get_user("trantib"))
    db.session.commit()
    # the Camat reviews only what a sekcam submitted (tests/test_review_rule.py): nothing here
    assert review_count(get_user("sekcam")) == 1 and review_count(get_user("camat")) == 0
    assert 'data-badge="workflow.queue">1<' in client_as("sekcam").get("/dasbor/2025").get_data(as_text=True)
    monkeypatch.setitem(access.RULES, "entry.review", frozenset({Role.CAMAT}))
    assert review_count(get_user("sekcam")) == 0
