import re

from django.core import mail

from tests.conftest import PASSWORD, assert_redirects_to_login


def test_change_password(client, alice):
    client.force_login(alice)
    page = client.get("/accounts/password/change/")
    assert page.status_code == 200
    assert "Change your password" in page.text
    response = client.post(
        "/accounts/password/change/",
        {
            "old_password": PASSWORD,
            "new_password1": "a-much-longer-secret-42",
            "new_password2": "a-much-longer-secret-42",
        },
    )
    assert response["Location"] == "/accounts/password/change/done/"
    alice.refresh_from_db()
    assert alice.check_password("a-much-longer-secret-42")


def test_change_password_errors_are_summarised(client, alice):
    client.force_login(alice)
    response = client.post(
        "/accounts/password/change/", {"old_password": "nope", "new_password1": "x", "new_password2": "y"}
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.text
    assert response.context["form"].errors["old_password"]


def test_change_password_needs_sign_in(client, db):
    assert_redirects_to_login(client.get("/accounts/password/change/"), "/accounts/password/change/")


def test_user_without_role_may_still_change_their_password(client, charlie):
    client.force_login(charlie)
    assert client.get("/accounts/password/change/").status_code == 200


def test_reset_password_by_email(client, alice):
    assert client.get("/accounts/password/reset/").status_code == 200
    response = client.post("/accounts/password/reset/", {"email": "alice@example.org"})
    assert response["Location"] == "/accounts/password/reset/sent/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.org"]
    assert message.subject == "Reset your CSP Returns password"
    assert message.alternatives  # an HTML part beside the text
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.text
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "reset-and-renewed-77", "new_password2": "reset-and-renewed-77"},
    )
    assert response["Location"] == "/accounts/password/reset/done/"
    alice.refresh_from_db()
    assert alice.check_password("reset-and-renewed-77")


def test_reset_does_not_reveal_unknown_addresses(client, db):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert response["Location"] == "/accounts/password/reset/sent/"
    assert mail.outbox == []


def test_bad_reset_link_says_so(client, alice):
    response = client.get("/accounts/password/reset/MQ/bad-token/")
    assert "This link has expired" in response.text
