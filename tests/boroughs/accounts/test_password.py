"""Changing and resetting passwords (allauth), and the throttle on reset emails."""

import re

from django.core import mail

from tests.conftest import PASSWORD, assert_redirects_to_login

CHANGE = "/accounts/password/change/"
RESET = "/accounts/password/reset/"
RESET_SENT = "/accounts/password/reset/done/"


def test_change_password(client, alice):
    client.force_login(alice)
    page = client.get(CHANGE)
    assert page.status_code == 200
    assert "Change your password" in page.text
    response = client.post(
        CHANGE,
        {"oldpassword": PASSWORD, "password1": "a-much-longer-secret-42", "password2": "a-much-longer-secret-42"},
    )
    assert response["Location"] == "/accounts/"
    alice.refresh_from_db()
    assert alice.check_password("a-much-longer-secret-42")
    # Still signed in, and told so.
    assert "Your password has been changed." in client.get("/accounts/").text


def test_change_password_errors_are_summarised(client, alice):
    client.force_login(alice)
    response = client.post(CHANGE, {"oldpassword": "nope", "password1": "x", "password2": "y"})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.text
    assert response.context["form"].errors["oldpassword"] == ["Enter your current password."]
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_change_password_needs_sign_in(client, db):
    assert_redirects_to_login(client.get(CHANGE), CHANGE)


def test_user_without_role_may_still_change_their_password(client, charlie):
    client.force_login(charlie)
    assert client.get(CHANGE).status_code == 200


def test_reset_password_by_email(client, alice):
    assert client.get(RESET).status_code == 200
    response = client.post(RESET, {"email": "alice@example.org"})
    assert response["Location"] == RESET_SENT
    assert "Check your email" in client.get(RESET_SENT).text
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.org"]
    assert message.subject == "Reset your CSP Returns password"
    assert message.alternatives  # an HTML part beside the text
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.text
    response = client.post(
        form_page.redirect_chain[-1][0], {"password1": "reset-and-renewed-77", "password2": "reset-and-renewed-77"}
    )
    assert response["Location"] == "/accounts/password/reset/key/done/"
    alice.refresh_from_db()
    assert alice.check_password("reset-and-renewed-77")
    # The link works once.
    assert "This link has expired" in client.get(link, follow=True).text


def test_reset_link_comes_from_site_url_not_the_host_header(client, alice, settings):
    settings.SITE_URL = "https://csp-returns.example.org"
    client.post(RESET, {"email": "alice@example.org"}, headers={"host": "localhost"})
    message = mail.outbox[0]
    html = message.alternatives[0][0]
    for body in (message.body, html):
        assert "https://csp-returns.example.org/accounts/password/reset/key/" in body
        assert "localhost" not in body
        assert "testserver" not in body


def test_reset_does_not_reveal_unknown_addresses(client, db):
    response = client.post(RESET, {"email": "nobody@example.org"})
    assert response["Location"] == RESET_SENT
    assert mail.outbox == []


def test_three_reset_emails_per_address_then_no_more_for_fifteen_minutes(client, alice, bob):
    for _ in range(3):
        assert client.post(RESET, {"email": "alice@example.org"})["Location"] == RESET_SENT
    assert len(mail.outbox) == 3
    # The fourth in a row, however the address is typed, sends nothing and says why.
    response = client.post(RESET, {"email": "Alice@Example.org"})
    assert response.status_code == 429
    assert "Too many attempts" in response.text
    assert "Wait 15 minutes, then try again." in response.text
    assert len(mail.outbox) == 3
    # Another address is not held up.
    assert client.post(RESET, {"email": "bob@example.org"})["Location"] == RESET_SENT
    assert mail.outbox[-1].to == ["bob@example.org"]


def test_bad_reset_link_says_so(client, alice):
    response = client.get("/accounts/password/reset/key/1-bad-token/")
    assert "This link has expired" in response.text
