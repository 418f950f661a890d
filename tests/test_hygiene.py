"""Session and cache hygiene: no copies of signed-in pages, an absolute session lifetime, HSTS preload as an opt-in."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.contrib.messages import get_messages

from boroughs.middleware import SIGNED_IN_AT
from tests.conftest import PASSWORD, login_url
from tests.test_settings import PROD_ENV, run_manage

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)


def _cache_control(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


# Cache-Control


@pytest.mark.parametrize(
    ("persona", "path", "status"),
    [
        ("alice", "/boroughs/birmingham/", 200),
        ("alice", "/boroughs/coventry/", 404),
        ("charlie", "/review/", 403),
        ("rita", "/review/", 200),
        ("adam", "/boroughs/", 200),
    ],
)
def test_every_page_for_a_signed_in_person_is_private_and_never_stored(request, client, persona, path, status):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(path)
    assert response.status_code == status
    assert {"private", "no-store"} <= _cache_control(response)


def test_a_background_post_for_a_signed_in_person_is_not_stored_either(client, alice):
    client.force_login(alice)
    response = client.post("/accounts/keep-alive/")
    assert response.status_code == 204
    assert {"private", "no-store"} <= _cache_control(response)


def test_anonymous_pages_and_static_files_stay_cacheable(client, alice, west_midlands):
    # (The sign-in page is never cached anyway: Django and allauth mark it so.)
    for path in ("/accessibility/", "/privacy/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "no-store" not in _cache_control(response), path
    client.force_login(alice)
    response = client.get("/static/js/session-timeout.js")
    assert response.status_code == 200
    assert "no-store" not in _cache_control(response)


# The absolute session lifetime


@pytest.fixture
def clock(monkeypatch):
    """The middleware's clock, moved by hand; the session's idle expiry keeps real time."""
    moment = SimpleNamespace(now=T0)
    monkeypatch.setattr("boroughs.middleware.timezone", SimpleNamespace(now=lambda: moment.now))
    return moment


def test_signing_in_stamps_the_session_and_the_page_counts_down(client, alice, clock):
    assert client.login(username="alice", password=PASSWORD)
    assert client.session[SIGNED_IN_AT] == int(T0.timestamp())  # stamped at sign-in, before any request
    clock.now = T0 + timedelta(hours=2)
    html = client.get("/boroughs/birmingham/").text
    assert f'data-session-ends-in="{10 * 3600}"' in html
    assert f'data-session-user="{alice.pk}"' in html
    # Signing in again, even within the same session, restarts the clock.
    clock.now = T0 + timedelta(hours=5)
    assert client.login(username="alice", password=PASSWORD)
    assert client.session[SIGNED_IN_AT] == int((T0 + timedelta(hours=5)).timestamp())


def test_a_session_from_before_the_rule_is_stamped_on_its_first_request(client, alice, clock):
    client.force_login(alice)
    session = client.session
    session.pop(SIGNED_IN_AT, None)
    session.save()
    assert client.get("/boroughs/birmingham/").status_code == 200
    assert client.session[SIGNED_IN_AT] == int(T0.timestamp())


def test_activity_does_not_keep_a_session_alive_past_the_limit(client, alice, clock):
    client.force_login(alice)
    session = client.session
    session[SIGNED_IN_AT] = int(T0.timestamp())
    session.save()
    # A page that polls every few minutes for almost twelve hours stays signed in…
    for hours in (1, 6, 11.99):
        clock.now = T0 + timedelta(hours=hours)
        assert client.post("/accounts/keep-alive/").status_code == 204, hours
    # …until twelve hours after signing in, whatever it does.
    clock.now = T0 + timedelta(hours=12)
    response = client.get("/boroughs/birmingham/?year=2026-27")
    assert response.status_code == 302
    assert response["Location"] == login_url("/boroughs/birmingham/%3Fyear%3D2026-27")
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "You have been signed out because you signed in more than 12 hours ago. Sign in again to carry on."
    ]
    assert "_auth_user_id" not in client.session
    # Signed out for good, not just redirected once.
    clock.now = T0 + timedelta(hours=12, minutes=1)
    assert client.post("/accounts/keep-alive/").status_code == 302
    # Signing in again starts a new twelve hours.
    assert client.login(username="alice", password=PASSWORD)
    assert client.get("/boroughs/birmingham/").status_code == 200


def test_at_the_limit_the_sign_in_page_the_script_sends_people_to_just_shows(client, alice, clock):
    client.force_login(alice)
    session = client.session
    session[SIGNED_IN_AT] = int(T0.timestamp())
    session.save()
    clock.now = T0 + timedelta(hours=12, seconds=1)
    # session-timeout.js goes here, keeping what was typed, when the time is up: no redirect in between,
    # or the page would lose the ?expired=1 that tells the script to keep it.
    response = client.get("/accounts/login/", {"expired": "1", "next": "/boroughs/birmingham/"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "You have been signed out because you signed in more than 12 hours ago." in response.text


def test_the_limit_comes_from_session_max_hours(client, alice, clock, settings):
    settings.SESSION_MAX_HOURS = 2
    client.force_login(alice)
    session = client.session
    session[SIGNED_IN_AT] = int(T0.timestamp())
    session.save()
    clock.now = T0 + timedelta(hours=1, minutes=59)
    assert client.get("/boroughs/birmingham/").status_code == 200
    clock.now = T0 + timedelta(hours=2)
    response = client.get("/boroughs/birmingham/", follow=True)
    assert response.redirect_chain[0] == (login_url("/boroughs/birmingham/"), 302)
    assert "You have been signed out because you signed in more than 2 hours ago." in response.text


# HSTS preload


def _prod_shell(code, **env):
    return run_manage("shell", "--no-imports", "-c", code, env={**PROD_ENV, **env})


def test_hsts_preload_is_off_unless_the_environment_opts_in():
    code = "from django.conf import settings; print(settings.SECURE_HSTS_PRELOAD, settings.SECURE_HSTS_SECONDS)"
    default = _prod_shell(code)
    assert default.returncode == 0, default.stderr
    assert default.stdout.split() == ["False", "31536000"]
    opted_in = _prod_shell(code, SECURE_HSTS_PRELOAD="true")
    assert opted_in.returncode == 0, opted_in.stderr
    assert opted_in.stdout.split() == ["True", "31536000"]


def test_the_deploy_check_passes_either_way_and_only_preload_is_left_out_by_default():
    default = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PROD_ENV)
    assert default.returncode == 0, default.stdout + default.stderr
    # security.W021 ("not preloaded") is the one deliberate choice, so it is the one check silenced.
    assert "System check identified no issues (1 silenced)." in default.stdout
    opted_in = run_manage("check", "--deploy", "--fail-level", "WARNING", env={**PROD_ENV, "SECURE_HSTS_PRELOAD": "1"})
    assert opted_in.returncode == 0, opted_in.stdout + opted_in.stderr
    assert "System check identified no issues (0 silenced)." in opted_in.stdout
