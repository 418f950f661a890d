"""Two-step verification (allauth's TOTP and recovery codes): required of OPCC staff when MFA_REQUIRED_FOR_OPCC
is on, offered to everyone."""

import pytest
from allauth.mfa.models import Authenticator

from tests.conftest import PASSWORD

from .conftest import AUTHENTICATE, LOGIN, RECOVERY_CODES, SET_UP, secret_on_page, totp_code, with_totp


@pytest.fixture
def required(settings):
    settings.MFA_REQUIRED_FOR_OPCC = True


def sign_in(client, username):
    return client.post(LOGIN, {"login": username, "password": PASSWORD})


def test_reviewer_must_set_up_two_step_verification_before_anything_else(client, rita, required):
    response = client.post(LOGIN, {"login": "rita", "password": PASSWORD}, follow=True)
    # Straight to the set-up page: no other page first, and no second password prompt.
    assert [url for url, _ in response.redirect_chain][-1] == SET_UP
    assert "Set up two-step verification" in response.text
    assert "OPCC staff must sign in with a code as well as a password" in response.text

    for path in ["/", "/boroughs/", "/boroughs/birmingham/", "/review/", "/accounts/", "/accounts/notifications/"]:
        assert client.get(path)["Location"] == SET_UP, path
    # The session timeout still works, and so does signing out.
    assert client.post("/accounts/keep-alive/").status_code == 204

    secret = secret_on_page(client.get(SET_UP).text)
    response = client.post(SET_UP, {"code": totp_code(secret)})
    assert response["Location"] == RECOVERY_CODES
    codes_page = client.get(RECOVERY_CODES)
    assert codes_page.status_code == 200
    assert codes_page.text.count("<li><code>") == 10
    assert Authenticator.objects.filter(user=rita, type=Authenticator.Type.TOTP).exists()
    # Now the service opens up.
    assert client.get("/boroughs/").status_code == 200


def test_a_wrong_code_does_not_turn_it_on(client, rita, required):
    sign_in(client, "rita")
    client.get(SET_UP)
    response = client.post(SET_UP, {"code": "000000"})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.text
    assert "The code is not correct" in response.text
    assert not Authenticator.objects.filter(user=rita).exists()
    assert client.get("/boroughs/")["Location"] == SET_UP


@pytest.mark.parametrize("persona", ["adam", "sam"])
def test_admins_and_superusers_are_held_to_it_too(client, persona, required, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/boroughs/")["Location"] == SET_UP
    assert client.get("/admin/")["Location"] == SET_UP


def test_an_officer_is_not_held_to_it(client, alice, required):
    response = client.post(LOGIN, {"login": "alice", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/boroughs/birmingham/"


def test_signing_out_is_allowed_before_set_up(client, rita, required):
    sign_in(client, "rita")
    assert client.post("/accounts/logout/")["Location"] == LOGIN
    assert client.get("/boroughs/")["Location"].startswith(LOGIN)


def test_without_the_requirement_staff_are_offered_it_not_made_to(client, rita):
    sign_in(client, "rita")
    assert client.get("/boroughs/").status_code == 200
    page = client.get("/accounts/")
    assert "Two-step verification" in page.text
    assert 'href="/accounts/2fa/totp/activate/"' in page.text


def test_an_officer_may_turn_it_on(client, alice):
    sign_in(client, "alice")
    secret = secret_on_page(client.get(SET_UP).text)
    assert client.post(SET_UP, {"code": totp_code(secret)})["Location"] == RECOVERY_CODES
    assert "On: you sign in with a code from your authenticator app" in client.get("/accounts/").text


def test_signing_in_with_a_code_then_with_a_recovery_code(client, rita, required):
    secret, codes = with_totp(rita)
    response = sign_in(client, "rita")
    assert response["Location"] == AUTHENTICATE
    # The password alone signs nobody in.
    assert client.get("/boroughs/")["Location"].startswith(LOGIN)

    wrong = client.post(AUTHENTICATE, {"code": "000000"})
    assert "govuk-error-summary" in wrong.text
    assert "The code is not correct" in wrong.text
    assert client.post(AUTHENTICATE, {"code": totp_code(secret)})["Location"] == "/"
    assert client.get("/boroughs/").status_code == 200
    client.post("/accounts/logout/")

    sign_in(client, "rita")
    assert client.post(AUTHENTICATE, {"code": codes[0]})["Location"] == "/"
    assert client.get("/boroughs/").status_code == 200
    client.post("/accounts/logout/")

    # A recovery code works once.
    sign_in(client, "rita")
    assert "The code is not correct" in client.post(AUTHENTICATE, {"code": codes[0]}).text


def test_codes_are_throttled_like_passwords(client, alice):
    secret, _ = with_totp(alice)
    sign_in(client, "alice")
    for _ in range(10):
        client.post(AUTHENTICATE, {"code": "000000"})
    response = client.post(AUTHENTICATE, {"code": totp_code(secret)})
    assert "You have tried to sign in too many times" in response.text
    assert client.get("/boroughs/")["Location"].startswith(LOGIN)


def test_staff_cannot_turn_it_off_while_it_is_required(client, rita, required):
    secret, _ = with_totp(rita)
    sign_in(client, "rita")
    client.post(AUTHENTICATE, {"code": totp_code(secret)})
    response = client.post("/accounts/2fa/totp/deactivate/")
    assert response.status_code == 200
    assert "You cannot turn off two-step verification: OPCC staff must use it." in response.text
    assert Authenticator.objects.filter(user=rita, type=Authenticator.Type.TOTP).exists()


def test_an_officer_may_turn_it_off(client, alice):
    secret, _ = with_totp(alice)
    sign_in(client, "alice")
    client.post(AUTHENTICATE, {"code": totp_code(secret)})
    assert client.post("/accounts/2fa/totp/deactivate/")["Location"] == "/accounts/2fa/"
    assert not Authenticator.objects.filter(user=alice).exists()


def test_cancelling_at_the_code_step_starts_sign_in_again(client, rita):
    with_totp(rita)
    assert sign_in(client, "rita")["Location"] == AUTHENTICATE
    # The page's "Cancel and sign out" button: signed-out people may post it.
    response = client.post("/accounts/logout/", {"next": LOGIN})
    assert response["Location"] == LOGIN
    page = client.get(LOGIN)
    assert page.status_code == 200
    assert "Sign in to CSP Returns" in page.text
    assert client.get(AUTHENTICATE)["Location"] == LOGIN
