from conftest import PASSWORD, get_user


def test_login_and_home(client, office, auth):
    response = auth.login("sekcam")
    assert response.status_code == 302
    page = client.get("/", follow_redirects=True)
    assert page.status_code == 200
    assert "Kecamatan Gumukmas" in page.get_data(as_text=True)
    assert get_user("sekcam").last_login_at is not None


def test_wrong_password(client, office, auth):
    response = auth.login("sekcam", "salah-sekali-123")
    assert response.status_code == 401
    assert "Nama pengguna atau kata sandi salah." in response.get_data(as_text=True)
