from datetime import timedelta
from unittest import mock

from django.contrib.sessions.models import Session
from django.utils import timezone

from tests.conftest import assert_redirects_to_login


def _expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def _later(seconds, *, since=None):
    """Patch the clock the session code reads, `seconds` from now (or from `since`, to count from one fixed moment)."""
    moment = (since or timezone.now()) + timedelta(seconds=seconds)
    return mock.patch("django.utils.timezone.now", return_value=moment)


def test_keep_alive_renews_the_session(client, alice, settings):
    client.force_login(alice)
    client.get("/boroughs/birmingham/")
    before = _expiry(client)
    with _later(10):
        response = client.post("/accounts/keep-alive/")
    assert response.status_code == 204
    # Always renewed, even within the minute in which pages leave the session alone.
    assert _expiry(client) > before


def test_keep_alive_is_post_only(client, alice):
    client.force_login(alice)
    assert client.get("/accounts/keep-alive/").status_code == 405


def test_keep_alive_for_anonymous_redirects_to_login(client, db):
    assert_redirects_to_login(client.post("/accounts/keep-alive/"), "/accounts/keep-alive/")


def test_pages_tell_the_browser_when_the_session_ends(client, alice, settings):
    # One moment for the sign-in and the page: a second's tick between them would leave 1,799 seconds.
    with _later(0):
        client.force_login(alice)
        response = client.get("/boroughs/birmingham/")
    assert f'data-session-seconds="{settings.SESSION_COOKIE_AGE}"' in response.text
    assert settings.SESSION_COOKIE_AGE == 30 * 60


def test_a_page_load_writes_the_session_at_most_once_a_minute(client, alice, settings):
    assert not settings.SESSION_SAVE_EVERY_REQUEST
    settings.SESSION_RENEW_SECONDS = 60  # as in production (the test settings renew daily)
    start = timezone.now()  # every moment counted from the sign-in's, so no second ticks between them
    with _later(0, since=start):
        client.force_login(alice)
        client.get("/boroughs/birmingham/")
    first = _expiry(client)
    with _later(30, since=start):
        response = client.get("/boroughs/birmingham/")
    assert _expiry(client) == first  # not written
    # The page says how long is really left: the timeout runs from the last renewal.
    assert f'data-session-seconds="{settings.SESSION_COOKIE_AGE - 30}"' in response.text
    with _later(61, since=start):
        client.get("/boroughs/birmingham/")
    assert _expiry(client) > first  # renewed


def test_the_idle_timeout_still_holds_on_the_server(client, alice, settings):
    settings.SESSION_RENEW_SECONDS = 60
    client.force_login(alice)
    client.get("/boroughs/birmingham/")
    with _later(settings.SESSION_COOKIE_AGE + 1):
        assert_redirects_to_login(client.get("/boroughs/birmingham/"), "/boroughs/birmingham/")
