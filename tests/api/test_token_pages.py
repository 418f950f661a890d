"""The account page's API tokens: list, create (shown once), revoke; each person's own, for role holders only."""

import pytest

from boroughs.accounts.tokens import ApiToken, issue_token
from tests.conftest import assert_redirects_to_login

LIST, NEW = "/accounts/api-tokens/", "/accounts/api-tokens/new/"


def revoke_url(token):
    return f"/accounts/api-tokens/{token.pk}/revoke/"


@pytest.fixture
def alices(alice):
    return issue_token(user=alice, name="Quarterly dashboard")[0]


@pytest.mark.parametrize("persona", ["alice", "bob", "rita", "adam"])
def test_officers_and_opcc_staff_list_and_create_tokens(request, client, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(LIST).status_code == 200
    assert client.get(NEW).status_code == 200


def test_charlie_with_no_role_gets_403_and_cannot_create_one(client, charlie):
    client.force_login(charlie)
    assert client.get(LIST).status_code == 403
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, {"name": "Mine", "lifetime": "30"}).status_code == 403
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("path", [LIST, NEW, "/accounts/api-tokens/1/revoke/"])
def test_anonymous_is_sent_to_sign_in(client, db, path):
    assert_redirects_to_login(client.get(path), path)


def test_the_account_page_links_to_the_tokens_for_role_holders_only(client, alice, charlie):
    client.force_login(alice)
    assert f'href="{LIST}"' in client.get("/accounts/").text
    client.force_login(charlie)
    assert f'href="{LIST}"' not in client.get("/accounts/").text


def test_creating_shows_the_token_once(client, alice):
    client.force_login(alice)
    response = client.post(NEW, {"name": "Quarterly dashboard", "lifetime": "90"})
    assert response.status_code == 200  # rendered here, not redirected: the token never enters the session
    token = ApiToken.objects.get()
    whole = response.context["whole"]
    assert whole.startswith(f"csp_{token.prefix}_")
    assert whole in response.text
    assert "no-store" in response["Cache-Control"]
    assert token.user == alice
    assert token.name == "Quarterly dashboard"
    assert token.expires_at is not None
    assert whole not in str(dict(client.session))
    listed = client.get(LIST).text
    assert "Quarterly dashboard" in listed
    assert token.display in listed
    assert whole not in listed
    # The token works.
    assert client.get("/api/returns/", headers={"Authorization": f"Bearer {whole}"}).status_code == 200


def test_never_is_a_choice(client, alice):
    client.force_login(alice)
    client.post(NEW, {"name": "Forever", "lifetime": "never"})
    assert ApiToken.objects.get().expires_at is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "lifetime": "30"}, "Enter what the token is for"),
        ({"name": "x" * 101, "lifetime": "30"}, "What the token is for must be 100 characters or fewer"),
        ({"name": "Dashboard"}, "Choose when the token stops working"),
        ({"name": "Dashboard", "lifetime": "7"}, "Choose one of the options"),
        ({"name": "Dash\x07board", "lifetime": "30"}, "control character"),
    ],
)
def test_bad_input_keeps_what_was_typed_and_says_why(client, alice, data, message):
    client.force_login(alice)
    response = client.post(NEW, data)
    assert response.status_code == 200
    assert message in response.text
    assert "govuk-error-summary" in response.text
    if data["name"] and "\x07" not in data["name"]:
        assert f'value="{data["name"]}"' in response.text
    assert not ApiToken.objects.exists()


def test_revoking_asks_first_then_stops_the_token(client, alice, alices):
    client.force_login(alice)
    page = client.get(revoke_url(alices))
    assert page.status_code == 200
    assert "Yes, revoke it" in page.text
    assert ApiToken.objects.live().filter(pk=alices.pk).exists()
    response = client.post(revoke_url(alices), follow=True)
    assert response.redirect_chain[-1][0] == LIST
    assert "has been revoked" in response.text
    assert "Revoked" in response.text
    alices.refresh_from_db()
    assert alices.revoked_at is not None
    again = client.post(revoke_url(alices), follow=True)
    assert "was already revoked" in again.text


def test_creating_and_revoking_are_recorded_with_who_did_it(client, alice, alices):
    client.force_login(alice)
    client.post(NEW, {"name": "Second", "lifetime": "30"})
    client.post(revoke_url(alices))
    made = ApiToken.history.filter(name="Second", history_type="+").get()
    revoked = ApiToken.history.filter(id=alices.pk, history_type="~").get()
    assert made.history_user == alice
    assert revoked.history_user == alice
    assert revoked.revoked_at is not None


@pytest.mark.parametrize("persona", ["bob", "rita", "adam"])
def test_nobody_else_sees_or_revokes_a_token(request, client, alices, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(revoke_url(alices)).status_code == 404
    assert client.post(revoke_url(alices)).status_code == 404
    assert "Quarterly dashboard" not in client.get(LIST).text
    alices.refresh_from_db()
    assert alices.revoked_at is None


def test_charlie_cannot_revoke_either(client, charlie, alices):
    client.force_login(charlie)
    assert client.post(revoke_url(alices)).status_code == 403
