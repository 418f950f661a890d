"""Inviting someone: the account, its role, the email and its set-password link (which expires and works once)."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from boroughs.models import Membership, PersonEvent
from boroughs.people.tokens import INVITATION_DAYS, InvitationTokenGenerator
from boroughs.people.views import INVITATION_SESSION_KEY
from tests.conftest import make_user

from .conftest import INVITE, invitation_link, invite_data, person_url

NEW_PASSWORD = "dudley-partnership-2026"


def invite(client, data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(INVITE, data)


def set_password(client, link, password=NEW_PASSWORD, confirm=None):
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    return client.post(form_page.redirect_chain[-1][0], {"password1": password, "password2": confirm or password})


def test_admin_invites_an_officer_who_sets_a_password_and_sees_only_their_borough(
    client, adam, dudley, birmingham, django_capture_on_commit_callbacks
):
    """The acceptance test of issue 10."""
    client.force_login(adam)
    response = invite(client, invite_data(boroughs=[dudley.pk]), django_capture_on_commit_callbacks)
    dee = get_user_model().objects.get(username="dee.dudley")
    assert response["Location"] == person_url(dee)
    page = client.get(response["Location"])
    assert "We have sent Dee Dudley an invitation at Dee.Dudley@dudley.gov.uk." in page.text
    assert "The link in it works for 7 days." in page.text

    # The account: a CSP officer of Dudley, no password anyone knows, nothing more.
    assert dee.email == "Dee.Dudley@dudley.gov.uk"
    assert not dee.has_usable_password()
    assert dee.is_active
    assert not dee.is_staff
    assert not dee.is_superuser
    assert list(dee.groups.values_list("name", flat=True)) == ["CSP officer"]
    assert not dee.user_permissions.exists()
    assert list(Membership.objects.filter(user=dee).values_list("borough__slug", flat=True)) == ["dudley"]

    # The email.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["Dee.Dudley@dudley.gov.uk"]
    assert message.subject == "You are invited to CSP Returns: choose your password"
    assert "Your username is: dee.dudley" in message.body
    assert "as CSP officer of Dudley" in message.body
    assert "The link works once, for 7 days" in message.body
    link = invitation_link(message)

    # The invitee, in their own browser, sets a password through the link.
    invitee = client.__class__()
    response = set_password(invitee, link)
    assert response["Location"] == "/accounts/login/"
    assert (
        "Your password has been set. Sign in with your username, dee.dudley." in invitee.get("/accounts/login/").text
    )
    dee.refresh_from_db()
    assert dee.check_password(NEW_PASSWORD)

    # They sign in, and see their borough only.
    assert invitee.post("/accounts/login/", {"login": "dee.dudley", "password": NEW_PASSWORD}).status_code == 302
    assert invitee.get("/")["Location"] == "/boroughs/dudley/"
    assert invitee.get("/boroughs/dudley/").status_code == 200
    listing = invitee.get("/boroughs/").text
    assert "Dudley" in listing
    assert "Birmingham" not in listing
    assert invitee.get(f"/boroughs/{birmingham.slug}/").status_code == 404

    # The history says who invited them and that they set their password.
    events = list(PersonEvent.objects.filter(person=dee).order_by("at", "pk").values_list("action", "by__username"))
    assert events == [("invited", "adam"), ("password_set", "dee.dudley")]


def test_the_link_works_once(client, adam, dudley, django_capture_on_commit_callbacks):
    client.force_login(adam)
    invite(client, invite_data(boroughs=[dudley.pk]), django_capture_on_commit_callbacks)
    link = invitation_link(mail.outbox[0])
    set_password(client.__class__(), link)
    again = client.__class__().get(link)
    assert again.status_code == 200
    assert "This invitation link does not work" in again.text
    assert "It has been used already" in again.text


def test_an_expired_link_is_refused_with_a_clear_message(
    client, adam, dudley, monkeypatch, django_capture_on_commit_callbacks
):
    client.force_login(adam)
    invite(client, invite_data(boroughs=[dudley.pk]), django_capture_on_commit_callbacks)
    link = invitation_link(mail.outbox[0])
    made_at = InvitationTokenGenerator()._now()

    # A day before it runs out it still works; a moment after, it does not.
    monkeypatch.setattr(InvitationTokenGenerator, "_now", lambda self: made_at + timedelta(days=INVITATION_DAYS - 1))
    assert client.__class__().get(link)["Location"].endswith("/set-password/")
    monkeypatch.setattr(
        InvitationTokenGenerator, "_now", lambda self: made_at + timedelta(days=INVITATION_DAYS, seconds=5)
    )
    invitee = client.__class__()
    response = invitee.get(link)
    assert response.status_code == 200
    assert "This invitation link has expired" in response.text
    assert "Invitation links work for 7 days. Ask an OPCC admin to send you a new invitation." in response.text
    assert "password1" not in response.text


def test_a_link_that_expires_while_the_form_is_open_is_refused(
    client, adam, dudley, monkeypatch, django_capture_on_commit_callbacks
):
    client.force_login(adam)
    invite(client, invite_data(boroughs=[dudley.pk]), django_capture_on_commit_callbacks)
    link = invitation_link(mail.outbox[0])
    invitee = client.__class__()
    form_url = invitee.get(link)["Location"]
    made_at = InvitationTokenGenerator()._now()
    monkeypatch.setattr(InvitationTokenGenerator, "_now", lambda self: made_at + timedelta(days=INVITATION_DAYS + 1))
    response = invitee.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert "This invitation link has expired" in response.text
    dee = get_user_model().objects.get(username="dee.dudley")
    assert not dee.has_usable_password()


def test_the_token_leaves_the_address_at_once(client, adam, dudley, django_capture_on_commit_callbacks):
    client.force_login(adam)
    invite(client, invite_data(boroughs=[dudley.pk]), django_capture_on_commit_callbacks)
    link = invitation_link(mail.outbox[0])
    token = link.rstrip("/").rsplit("/", 1)[1]
    invitee = client.__class__()
    response = invitee.get(link)
    assert token not in response["Location"]
    assert invitee.session[INVITATION_SESSION_KEY] == token
    # Without the session (another browser), the fixed address opens nothing.
    assert "This invitation link does not work" in client.__class__().get(response["Location"]).text


@pytest.mark.parametrize(
    ("password", "error"),
    [
        ("short", "This password is too short. It must contain at least 8 characters."),
        ("password123", "This password is too common."),
        ("12345678901", "This password is entirely numeric."),
    ],
)
def test_the_password_rules_apply(client, adam, dudley, password, error, django_capture_on_commit_callbacks):
    client.force_login(adam)
    invite(client, invite_data(boroughs=[dudley.pk]), django_capture_on_commit_callbacks)
    response = set_password(client.__class__(), invitation_link(mail.outbox[0]), password)
    assert response.status_code == 200
    assert "govuk-error-summary" in response.text
    assert error in response.text
    assert not get_user_model().objects.get(username="dee.dudley").has_usable_password()


def test_passwords_must_match(client, adam, dudley, django_capture_on_commit_callbacks):
    client.force_login(adam)
    invite(client, invite_data(boroughs=[dudley.pk]), django_capture_on_commit_callbacks)
    response = set_password(client.__class__(), invitation_link(mail.outbox[0]), NEW_PASSWORD, "something-else-99")
    assert "You must type the same password each time." in response.text


def test_the_link_comes_from_site_url_not_the_host_header(
    client, adam, dudley, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://csp-returns.example.org"
    client.force_login(adam)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(INVITE, invite_data(boroughs=[dudley.pk]), headers={"host": "localhost"})
    message = mail.outbox[0]
    for body in (message.body, message.alternatives[0][0]):
        assert "https://csp-returns.example.org/people/welcome/" in body
        assert "localhost" not in body
        assert "testserver" not in body


def test_a_deactivated_persons_link_does_not_work(client, adam, dudley, django_capture_on_commit_callbacks):
    client.force_login(adam)
    invite(client, invite_data(boroughs=[dudley.pk]), django_capture_on_commit_callbacks)
    link = invitation_link(mail.outbox[0])
    get_user_model().objects.filter(username="dee.dudley").update(is_active=False)
    assert "This invitation link does not work" in client.__class__().get(link).text


@pytest.mark.parametrize(
    "link", ["/people/welcome/xx/1-bad/", "/people/welcome/MQ/abc-def/", "/people/welcome/" + "9" * 40 + "/z/"]
)
def test_a_broken_link_says_so(client, db, link):
    response = client.get(link)
    assert response.status_code == 200
    assert "This invitation link does not work" in response.text


def test_a_new_invitation_replaces_the_old_link(client, adam, dudley, django_capture_on_commit_callbacks):
    client.force_login(adam)
    invite(client, invite_data(boroughs=[dudley.pk]), django_capture_on_commit_callbacks)
    dee = get_user_model().objects.get(username="dee.dudley")
    old_link = invitation_link(mail.outbox[0])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(person_url(dee, "invitation/"))
    assert response["Location"] == person_url(dee)
    assert "The earlier link no longer works." in client.get(person_url(dee)).text
    assert len(mail.outbox) == 2
    new_link = invitation_link(mail.outbox[1])
    assert new_link != old_link
    assert "This invitation link does not work" in client.__class__().get(old_link).text
    assert set_password(client.__class__(), new_link)["Location"] == "/accounts/login/"
    assert PersonEvent.objects.filter(person=dee, action="invitation_resent", by=adam).exists()


def test_no_new_invitation_once_a_password_is_set(client, adam, olive):
    client.force_login(adam)
    response = client.post(person_url(olive, "invitation/"))
    assert response["Location"] == person_url(olive)
    assert "Olive Oakes has set a password already" in client.get(person_url(olive)).text
    assert mail.outbox == []
    assert not PersonEvent.objects.exists()


def test_username_is_suggested_from_the_email_when_left_blank(
    client, adam, dudley, django_capture_on_commit_callbacks
):
    make_user("dee.dudley")
    client.force_login(adam)
    invite(client, invite_data(boroughs=[dudley.pk]), django_capture_on_commit_callbacks)
    assert get_user_model().objects.filter(username="dee.dudley2", email="Dee.Dudley@dudley.gov.uk").exists()


def test_a_typed_username_is_kept(client, adam, dudley, django_capture_on_commit_callbacks):
    client.force_login(adam)
    invite(client, invite_data(username="DDudley", boroughs=[dudley.pk]), django_capture_on_commit_callbacks)
    assert get_user_model().objects.filter(username="ddudley").exists()


def test_an_opcc_reviewer_has_no_boroughs(client, adam, dudley, django_capture_on_commit_callbacks):
    client.force_login(adam)
    invite(client, invite_data(role="reviewer"), django_capture_on_commit_callbacks)
    dee = get_user_model().objects.get(username="dee.dudley")
    assert list(dee.groups.values_list("name", flat=True)) == ["OPCC reviewer"]
    assert not Membership.objects.filter(user=dee).exists()
    assert "as OPCC reviewer." in mail.outbox[0].body


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        ({"boroughs": []}, "boroughs", "Select the boroughs this officer files returns for"),
        (
            {"role": "reviewer"},
            "boroughs",
            "Only CSP officers have boroughs: clear the boroughs, or choose CSP officer",
        ),
        ({"role": "admin"}, "boroughs", "Only CSP officers have boroughs: clear the boroughs, or choose CSP officer"),
        ({"boroughs": ["999"]}, "boroughs", "Select boroughs from the list"),
        ({"role": ""}, "role", "Select a role"),
        ({"role": "superuser"}, "role", "Select a role"),
        ({"first_name": ""}, "first_name", "Enter their first name"),
        ({"email": "not-an-address"}, "email", "Enter an email address in the correct format, like name@example.org"),
        ({"email": "ALICE@example.org"}, "email", "Someone already has an account with this email address"),
        ({"username": "Alice"}, "username", "Someone already has this username: choose another"),
        (
            {"username": "al ice!"},
            "username",
            "A username can only have letters, numbers and the characters . @ + - _",
        ),
        ({"username": "a" * 151}, "username", "The username must be 150 characters or fewer"),
    ],
)
def test_invitation_errors_are_summarised(client, adam, alice, dudley, changes, field, error):
    client.force_login(adam)
    users_before = get_user_model().objects.count()
    response = client.post(INVITE, invite_data(**{"boroughs": [dudley.pk], **changes}))
    assert response.status_code == 200
    assert "govuk-error-summary" in response.text
    assert response.context["form"].errors[field] == [error]
    # What was typed is still there.
    assert 'name="last_name" value="Dudley"' in response.text
    assert get_user_model().objects.count() == users_before
    assert mail.outbox == []
