"""Signing in and out (allauth), and the throttle on failed sign-ins."""

import time

import pytest
from django.contrib.auth import get_user_model

from tests.conftest import PASSWORD

from .conftest import LOGIN

LOCKED = "You have tried to sign in too many times. Wait 15 minutes, then try again."


def sign_in(client, username, password, path=LOGIN):
    return client.post(path, {"login": username, "password": password})


def test_login_page_is_public_and_gov_uk_styled(client, db):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert 'class="govuk-input"' in response.text
    assert "Sign in to CSP Returns" in response.text
    assert 'name="login"' in response.text
    assert "placeholder" not in response.text
    # No sign-up, and no "remember me": sessions end with the browser or after the idle timeout.
    assert "/accounts/signup/" not in response.text
    assert 'name="remember"' not in response.text


def test_signing_in_sends_an_officer_to_their_borough(client, alice):
    response = client.post(LOGIN, {"login": "alice", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/boroughs/birmingham/"
    assert response.context["user"] == alice


def test_signing_in_honours_next(client, alice):
    assert sign_in(client, "alice", PASSWORD, path=f"{LOGIN}?next=/boroughs/")["Location"] == "/boroughs/"


def test_signing_in_ignores_a_next_on_another_site(client, alice):
    response = sign_in(client, "alice", PASSWORD, path=f"{LOGIN}?next=https://evil.example/")
    assert response["Location"] == "/"


def test_wrong_password_shows_error_summary_and_keeps_username(client, alice):
    response = sign_in(client, "alice", "wrong")
    assert response.status_code == 200
    assert "govuk-error-summary" in response.text
    assert "Enter a correct username and password" in response.text
    assert 'value="alice"' in response.text
    assert response.context["user"].is_anonymous


def test_signed_in_user_visiting_login_is_sent_on(client, alice):
    client.force_login(alice)
    assert client.get(LOGIN)["Location"] == "/"


def test_ten_failed_sign_ins_lock_the_username_for_fifteen_minutes(client, alice, bob, monkeypatch):
    for _ in range(10):
        assert "Enter a correct username and password" in sign_in(client, "alice", "wrong").text

    # The right password is refused now, with the reason, and nobody is signed in.
    response = sign_in(client, "alice", PASSWORD)
    assert response.status_code == 200
    assert "govuk-error-summary" in response.text
    assert LOCKED in response.text
    assert response.context["user"].is_anonymous
    assert "_auth_user_id" not in client.session
    # Another username is not locked out by alice's failures.
    assert sign_in(client, "bob", PASSWORD)["Location"] == "/"
    client.post("/accounts/logout/")

    # Fifteen minutes later the right password works again.
    later = time.time() + 15 * 60 + 1
    monkeypatch.setattr("allauth.core.internal.ratelimit.time", _Clock(later))
    assert sign_in(client, "alice", PASSWORD)["Location"] == "/"


def test_signing_in_does_not_wipe_the_earlier_failures(client, alice):
    # The lock counts failures in the last 15 minutes, whatever succeeded in between.
    for _ in range(9):
        sign_in(client, "alice", "wrong")
    assert sign_in(client, "alice", PASSWORD)["Location"] == "/"
    client.post("/accounts/logout/")
    sign_in(client, "alice", "wrong")
    assert LOCKED in sign_in(client, "alice", PASSWORD).text


def test_sign_out_asks_on_get_and_signs_out_on_post(client, alice):
    client.force_login(alice)
    page = client.get("/accounts/logout/")
    assert page.status_code == 200
    assert "Do you want to sign out" in page.text
    assert client.get("/boroughs/").status_code == 200  # still signed in
    response = client.post("/accounts/logout/")
    assert response["Location"] == "/accounts/login/"
    assert client.get("/boroughs/")["Location"].startswith("/accounts/login/")
    assert "You have signed out." in client.get("/accounts/login/").text


def test_expired_session_explains_itself(client, db):
    response = client.get(f"{LOGIN}?expired=1&next=/boroughs/")
    assert "You were signed out because you had not done anything for a while" in response.text


def test_there_is_no_sign_up(client, db):
    page = client.get("/accounts/signup/")
    assert page.status_code == 200
    assert "You cannot create an account here" in page.text
    client.post(
        "/accounts/signup/",
        {
            "username": "mallory",
            "email": "m@example.org",
            "password1": "x-Long-enough-9",
            "password2": "x-Long-enough-9",
        },
    )
    assert not get_user_model().objects.filter(username="mallory").exists()


@pytest.mark.parametrize("path", ["/accounts/email/", "/accounts/confirm-email/"])
def test_email_addresses_are_not_managed_here(client, alice, path):
    client.force_login(alice)
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "path",
    [LOGIN, "/accounts/password/reset/", "/accounts/password/reset/done/", "/accounts/password/reset/key/done/"],
)
def test_sign_in_and_reset_pages_are_public(client, db, path):
    assert client.get(path).status_code == 200


def test_the_code_step_of_sign_in_is_public_but_needs_a_password_first(client, db):
    # Not LoginRequiredMiddleware's redirect (which would carry ?next=): allauth's own, back to the start.
    assert client.get("/accounts/2fa/authenticate/")["Location"] == LOGIN


class _Clock:
    """Stands in for the time module in allauth's rate limiter: the same clock, moved on."""

    monotonic = staticmethod(time.monotonic)
    sleep = staticmethod(time.sleep)

    def __init__(self, now):
        self._offset = now - time.time()

    def time(self):
        return time.time() + self._offset
