"""Every field where a new password is typed carries the minimum length for the browser's message at once
(app.js), and the server's message stays (issue 14)."""
from __future__ import annotations

import re

from conftest import get_user
from iku_workflow.extensions import db
from iku_workflow.security import MIN_PASSWORD_LENGTH


def _password_inputs(html: str, name: str) -> list[str]:
    return re.findall(rf'<input[^>]*name="{name}"[^>]*>', html)


def test_new_password_fields_carry_the_minimum(client_as, office):
    admin = client_as("admin")
    pages = [(admin, "/admin/pengguna/baru", "password"),
             (admin, f"/admin/pengguna/{get_user('pemerintahan').id}", "password"),
             (client_as("camat"), "/akun", "pw-new")]
    for client, url, name in pages:
        inputs = _password_inputs(client.get(url).get_data(as_text=True), name)
        assert len(inputs) == 1, url
        assert f'minlength="{MIN_PASSWORD_LENGTH}"' in inputs[0], url
        assert 'data-minlength-message="Kata sandi minimal 10 karakter."' in inputs[0], url
        assert 'autocomplete="new-password"' in inputs[0], url


def test_the_first_password_page_carries_it_and_the_server_still_refuses(client_as, office):
    user = get_user("trantib")
    user.must_change_password = True
    db.session.commit()
    client = client_as("trantib")
    page = client.get("/kata-sandi-baru", follow_redirects=True).get_data(as_text=True)
    (new,) = _password_inputs(page, "new")
    assert f'minlength="{MIN_PASSWORD_LENGTH}"' in new and "data-minlength-message" in new
    (current,) = _password_inputs(page, "current")
    assert "minlength" not in current  # the old password is whatever it is


def test_english_pages_give_the_message_in_english(client_as, office):
    admin_user = get_user("admin")
    admin_user.locale = "en"
    db.session.commit()
    html = client_as("admin").get("/admin/pengguna/baru").get_data(as_text=True)
    (field,) = _password_inputs(html, "password")
    assert 'data-minlength-message="The password must have at least 10 characters."' in field


def test_a_short_password_posted_anyway_gets_the_server_error_and_keeps_the_form(client_as, office):
    response = client_as("admin").post("/admin/pengguna/baru", data={
        "username": "baru.pendek", "full_name": "Pengguna Baru", "role": "camat", "section_id": "0",
        "password": "pendek123"})
    html = response.get_data(as_text=True)
    assert "Kata sandi minimal 10 karakter." in html and 'value="baru.pendek"' in html
    assert get_user("baru.pendek") is None
