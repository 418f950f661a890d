from tests.conftest import assert_redirects_to_login


def test_keep_alive_renews_the_session(client, alice, settings):
    client.force_login(alice)
    before = client.session.get_expiry_date()
    response = client.post("/accounts/keep-alive/")
    assert response.status_code == 204
    assert client.session.get_expiry_date() >= before


def test_keep_alive_is_post_only(client, alice):
    client.force_login(alice)
    assert client.get("/accounts/keep-alive/").status_code == 405


def test_keep_alive_for_anonymous_redirects_to_login(client, db):
    assert_redirects_to_login(client.post("/accounts/keep-alive/"), "/accounts/keep-alive/")


def test_pages_tell_the_browser_when_the_session_ends(client, alice, settings):
    client.force_login(alice)
    response = client.get("/boroughs/birmingham/")
    assert f'data-session-seconds="{settings.SESSION_COOKIE_AGE}"' in response.text
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST
