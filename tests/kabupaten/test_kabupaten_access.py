"""The access table across offices and kabupaten: every GET route of the app walked as every kind of user.

Office roles stay confined to their office and never reach a kabupaten page; kabupaten users reach the
kabupaten's pages (the admin also its managing ones) and no office page of the office roles; a kabupaten
user of another kabupaten reaches nothing of Jember. No route is listed by hand (``download_walk``).
"""
from __future__ import annotations

import pytest
from flask import g

from download_walk import get_urls
from iku_workflow import access
from iku_workflow.models import Role

#: pages every signed-in user has, whatever the role (the account, the language, the public pages)
EVERYONE = ("auth.", "survey_public.", "decree_public.", "main.healthz", "static", "workflow.notifications",
            "api-docs.")  # the API's OpenAPI document is public documentation
MANAGE_ONLY = {"kabupaten.office_new", "kabupaten.standard_indicator", "kabupaten.standard_document",
               "kabupaten.standard_indicator_new", "kabupaten.standard_goals",
               "kabupaten.office_users_import", "kabupaten.user_import_template",
               "kabupaten.standard_document_new"}


def _get(client, url):
    g.pop("_login_user", None)
    return client.get(url)


def _sheet_text(data: bytes) -> str:
    import io

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    return " ".join(str(v) for ws in wb for row in ws.iter_rows(values_only=True) for v in row if v is not None)


def _walk(app):
    return [(endpoint, url) for endpoint, url in get_urls(app) if not endpoint.startswith(EVERYONE)]


@pytest.mark.parametrize("username", ["kabupaten", "kabadmin"])
def test_kabupaten_users_reach_no_office_page(app, office, client_as, username):
    client = client_as(username)
    for endpoint, url in _walk(app):
        status = _get(client, url).status_code
        if endpoint.startswith("kabupaten."):
            if endpoint in MANAGE_ONLY and username == "kabupaten":
                assert status == 403, (endpoint, url, status)
            else:
                assert status in (200, 302, 404), (endpoint, url, status)  # 404: a walked id of another kind
        elif endpoint == "main.home":
            assert status == 302, url
        else:
            if status == 302:  # a redirect to this year's page (e.g. /iku): that page refuses
                status = _get(client, _get(client, url).headers["Location"]).status_code
            assert status in (401, 403, 404) if endpoint.startswith("api_v1.") else status in (403, 404), \
                (endpoint, url, status)  # the API answers a cookie without a token with 401


@pytest.mark.parametrize("username", ["admin", "camat", "sekcam", "pmks", "viewer"])
def test_office_roles_reach_no_kabupaten_page(app, office, viewer, client_as, username):
    client = client_as(username)
    for endpoint, url in _walk(app):
        if endpoint.startswith("kabupaten."):
            assert _get(client, url).status_code == 403, (endpoint, url)


def test_another_kabupatens_user_reaches_nothing_of_jember(app, office, bondowoso, client_as):
    client = client_as("kab-bondowoso")
    for endpoint, url in _walk(app):
        if not endpoint.startswith("kabupaten."):
            continue
        response = _get(client, url)
        body = response.get_data(as_text=True) if response.mimetype == "text/html" else _sheet_text(response.data)
        assert response.status_code in (200, 302, 403, 404), (endpoint, url)
        assert "Gumukmas" not in body and "Kencong" not in body, (endpoint, url)


def test_the_rules_table_names_the_kabupaten_roles(app):
    assert access.RULES["kabupaten.view"] == {Role.KABUPATEN, Role.KABUPATEN_ADMIN}
    assert access.RULES["kabupaten.manage"] == {Role.KABUPATEN_ADMIN}
    office_actions = [a for a in access.RULES if not a.startswith("kabupaten.")]
    for action in office_actions:
        assert not access.RULES[action] & {Role.KABUPATEN, Role.KABUPATEN_ADMIN}, action


def test_a_kabupaten_user_lands_on_the_console_and_has_an_account_page(office, kab_viewer):
    response = kab_viewer.get("/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/kabupaten/")
    account = kab_viewer.get("/akun").get_data(as_text=True)
    assert "Kabupaten Jember" in account
    menu = kab_viewer.get("/kabupaten/").get_data(as_text=True)
    assert 'data-menu="kabupaten.console"' in menu and 'data-menu="documents"' not in menu
