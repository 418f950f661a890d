"""Changing a person's role and boroughs, deactivating and reactivating their account, resetting their two-step
verification: each recorded in their history with who, when and why. Never a superuser's account or one's own."""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied

from boroughs.formats import govuk_datetime
from boroughs.models import Membership, PersonEvent
from boroughs.people import services
from tests.boroughs.accounts.conftest import with_totp
from tests.conftest import PASSWORD, make_user

from .conftest import person_url


def roles_of(user):
    return set(user.groups.values_list("name", flat=True))


def boroughs_of(user):
    return list(Membership.objects.filter(user=user).order_by("borough__name").values_list("borough__slug", flat=True))


def history_text(client, person):
    html = client.get(person_url(person)).text
    return html[html.index('id="history"') :]


def test_person_page_shows_the_account(client, adam, olive):
    client.force_login(adam)
    response = client.get(person_url(olive))
    page = response.text
    assert '<h1 class="govuk-heading-l">Olive Oakes</h1>' in page
    for text in ["olive@example.org", "CSP officer", "Birmingham, Dudley", "Active", "Never"]:
        assert text in page
    assert f'href="{person_url(olive, "two-step-verification/")}">Reset' in page
    assert response.context["form"].initial == {"role": "officer", "boroughs": response.context["person"].boroughs}


def test_change_an_officers_boroughs_keeping_job_titles(client, adam, olive, birmingham, coventry):
    client.force_login(adam)
    response = client.post(person_url(olive), {"role": "officer", "boroughs": [birmingham.pk, coventry.pk]})
    assert response["Location"] == person_url(olive)
    assert "Olive Oakes’s role and boroughs have been saved." in client.get(person_url(olive)).text
    assert boroughs_of(olive) == ["birmingham", "coventry"]
    # The membership kept is the same row: its job title survives.
    assert Membership.objects.get(user=olive, borough=birmingham).job_title == "Partnership manager"
    event = PersonEvent.objects.get(person=olive)
    assert (event.action, event.by, event.reason) == ("role_changed", adam, "")
    assert event.details == "From CSP officer of Birmingham and Dudley to CSP officer of Birmingham and Coventry"


def test_make_an_officer_a_reviewer(client, adam, olive):
    client.force_login(adam)
    client.post(person_url(olive), {"role": "reviewer", "reason": "Joined the OPCC"})
    assert roles_of(olive) == {"OPCC reviewer"}
    assert boroughs_of(olive) == []
    assert olive.has_perm("boroughs.view_all_boroughs")
    history = history_text(client, olive)
    assert "Changed role or boroughs: From CSP officer of Birmingham and Dudley to OPCC reviewer" in history
    assert "Reason: Joined the OPCC" in history
    assert "Adam" in history


def test_make_a_reviewer_an_admin_and_back(client, adam, rita):
    client.force_login(adam)
    client.post(person_url(rita), {"role": "admin"})
    assert roles_of(rita) == {"OPCC admin"}
    client.post(person_url(rita), {"role": "reviewer"})
    assert roles_of(rita) == {"OPCC reviewer"}
    assert PersonEvent.objects.filter(person=rita, action="role_changed").count() == 2


def test_other_groups_are_left_alone(client, adam, rita, everything_group):
    # Only superusers hand out other groups (in the Django admin); the People page neither adds nor removes them.
    rita.groups.add(everything_group)
    client.force_login(adam)
    client.post(person_url(rita), {"role": "admin"})
    assert roles_of(rita) == {"OPCC admin", "Everything"}


def test_saving_the_same_role_records_nothing(client, adam, rita):
    client.force_login(adam)
    response = client.post(person_url(rita), {"role": "reviewer"}, follow=True)
    assert "Rita’s role and boroughs were already as you chose: nothing changed." in response.text
    assert not PersonEvent.objects.exists()


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"role": "officer"}, "Select the boroughs this officer files returns for"),
        (
            {"role": "reviewer", "boroughs": ["birmingham"]},  # its pk, below: ids differ between databases
            "Only CSP officers have boroughs: clear the boroughs, or choose CSP officer",
        ),
    ],
)
def test_role_form_errors_are_summarised(client, adam, olive, birmingham, data, error):
    client.force_login(adam)
    if "boroughs" in data:
        data = {**data, "boroughs": [str(birmingham.pk)]}
    response = client.post(person_url(olive), data)
    assert response.status_code == 200
    assert "govuk-error-summary" in response.text
    assert response.context["form"].errors["boroughs"] == [error]
    assert response.text.index("govuk-error-summary") < response.text.index("<h1")
    assert boroughs_of(olive) == ["birmingham", "dudley"]
    assert roles_of(olive) == {"CSP officer"}
    assert not PersonEvent.objects.exists()


def test_give_a_role_to_someone_with_none(client, adam, charlie):
    client.force_login(adam)
    assert "No role" in client.get(person_url(charlie)).text
    client.post(
        person_url(charlie), {"role": "officer", "boroughs": [Membership.objects.get(user=charlie).borough_id]}
    )
    assert roles_of(charlie) == {"CSP officer"}
    assert PersonEvent.objects.get(person=charlie).details == "From no role to CSP officer of Birmingham"


def test_deactivation_stops_sign_in_and_ends_sessions(client, adam, alice):
    alices_browser = client.__class__()
    alices_browser.force_login(alice)
    assert alices_browser.get("/boroughs/birmingham/").status_code == 200

    client.force_login(adam)
    assert "Deactivate Alice’s account" in client.get(person_url(alice, "account/")).text
    response = client.post(person_url(alice, "account/"), {"reason": "Left Birmingham City Council"})
    assert response["Location"] == person_url(alice)
    assert "Alice’s account has been deactivated: they can no longer sign in." in client.get(person_url(alice)).text
    alice.refresh_from_db()
    assert not alice.is_active
    # Role and boroughs are kept for reactivation.
    assert roles_of(alice) == {"CSP officer"}
    assert boroughs_of(alice) == ["birmingham"]

    # Her open session ends at its next request, and her password no longer signs her in.
    assert alices_browser.get("/boroughs/birmingham/")["Location"].startswith("/accounts/login/")
    fresh = client.__class__()
    response = fresh.post("/accounts/login/", {"login": "alice", "password": PASSWORD}, follow=True)
    assert "Your account is not active" in response.text
    assert "_auth_user_id" not in fresh.session

    history = history_text(client, alice)
    assert "Deactivated the account" in history
    assert "Reason: Left Birmingham City Council" in history


def test_reactivation_lets_them_sign_in_again(client, adam, dora):
    client.force_login(adam)
    assert "Deactivated" in client.get(person_url(dora)).text
    assert "Reactivate Dora’s account" in client.get(person_url(dora, "account/")).text
    client.post(person_url(dora, "account/"), {"reason": "Back from secondment"})
    dora.refresh_from_db()
    assert dora.is_active
    fresh = client.__class__()
    assert fresh.post("/accounts/login/", {"login": "dora", "password": PASSWORD})["Location"] == "/"
    event = PersonEvent.objects.get(person=dora)
    assert (event.action, event.by, event.reason) == ("reactivated", adam, "Back from secondment")


def test_deactivation_needs_a_reason(client, adam, alice):
    client.force_login(adam)
    response = client.post(person_url(alice, "account/"), {"reason": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == ["Enter the reason"]
    alice.refresh_from_db()
    assert alice.is_active
    assert not PersonEvent.objects.exists()


def test_mfa_reset_removes_authenticators_and_records_the_reason(client, adam, olive, alice):
    client.force_login(adam)
    other = Authenticator.objects.filter(user=olive).count()
    assert other == 2  # the app and the recovery codes
    page = client.get(person_url(olive, "two-step-verification/")).text
    assert "This removes their authenticator app and their recovery codes." in page
    response = client.post(person_url(olive, "two-step-verification/"), {"reason": "Lost her phone; checked by call"})
    assert response["Location"] == person_url(olive)
    assert not Authenticator.objects.filter(user=olive).exists()
    assert "Olive Oakes’s two-step verification has been reset." in client.get(person_url(olive)).text
    event = PersonEvent.objects.get(person=olive)
    assert (event.action, event.by, event.reason) == ("mfa_reset", adam, "Lost her phone; checked by call")
    history = history_text(client, olive)
    assert "Reset two-step verification" in history
    assert "Reason: Lost her phone; checked by call" in history
    # She signs in with her password alone now.
    assert client.__class__().post("/accounts/login/", {"login": "olive", "password": PASSWORD})["Location"] == "/"


def test_mfa_reset_needs_a_reason(client, adam, olive):
    client.force_login(adam)
    response = client.post(person_url(olive, "two-step-verification/"), {"reason": ""})
    assert response.context["form"].errors["reason"] == ["Enter the reason"]
    assert Authenticator.objects.filter(user=olive).count() == 2


def test_no_mfa_reset_without_mfa(client, adam, alice):
    client.force_login(adam)
    page = client.get(person_url(alice, "two-step-verification/")).text
    assert "Two-step verification is not on for Alice: there is nothing to reset." in page
    assert 'name="reason"' not in page
    client.post(person_url(alice, "two-step-verification/"), {"reason": "Because"})
    assert not PersonEvent.objects.exists()


def test_history_shows_each_action_with_who_when_and_why(client, adam, olive):
    other_admin = make_user("ada", role="OPCC admin", last_name="Admin")
    client.force_login(adam)
    client.post(person_url(olive), {"role": "reviewer", "reason": "Moved to the OPCC"})
    client.post(person_url(olive, "two-step-verification/"), {"reason": "New phone"})
    client.force_login(other_admin)
    client.post(person_url(olive, "account/"), {"reason": "Left"})
    client.post(person_url(olive, "account/"), {"reason": "Came back"})
    events = list(
        PersonEvent.objects.filter(person=olive).order_by("at", "pk").values_list("action", "by__username", "reason")
    )
    assert events == [
        ("role_changed", "adam", "Moved to the OPCC"),
        ("mfa_reset", "adam", "New phone"),
        ("deactivated", "ada", "Left"),
        ("reactivated", "ada", "Came back"),
    ]
    history = history_text(client, olive)
    # Newest first, each with its time and author.
    order = [history.index(text) for text in ["Reactivated", "Deactivated", "Reset two-step", "Changed role"]]
    assert order == sorted(order)
    assert history.count("Ada Admin") == 2
    assert history.count("Adam") == 2
    when = PersonEvent.objects.filter(person=olive).first().at
    assert govuk_datetime(when) in history


def test_an_admin_cannot_demote_themselves(client, adam):
    client.force_login(adam)
    response = client.get(person_url(adam))
    assert response.status_code == 200
    assert "You cannot change your own role, boroughs or account here: ask another OPCC admin." in response.text
    assert response.context["form"] is None
    assert 'name="role"' not in response.text
    assert f'href="{person_url(adam, "account/")}"' not in response.text

    response = client.post(person_url(adam), {"role": "officer", "boroughs": ["1"]})
    assert response.status_code == 403
    assert "You cannot change your own role" in response.text
    for action in ["account/", "two-step-verification/", "invitation/"]:
        assert client.get(person_url(adam, action)).status_code == 403
        assert client.post(person_url(adam, action), {"reason": "x"}).status_code == 403
    adam.refresh_from_db()
    assert adam.is_active
    assert roles_of(adam) == {"OPCC admin", "OPCC reviewer"}
    assert not PersonEvent.objects.exists()


def test_an_admin_cannot_edit_a_superuser(client, adam, sam):
    with_totp(sam)
    client.force_login(adam)
    response = client.get(person_url(sam))
    assert response.status_code == 200
    assert "This is a superuser’s account. Only superusers can change it, in the Django admin." in response.text
    assert "Superuser" in response.text
    assert response.context["form"] is None

    assert client.post(person_url(sam), {"role": "officer", "boroughs": ["1"]}).status_code == 403
    for action in ["account/", "two-step-verification/", "invitation/"]:
        assert client.get(person_url(sam, action)).status_code == 403
        assert client.post(person_url(sam, action), {"reason": "x"}).status_code == 403
    sam.refresh_from_db()
    assert sam.is_active
    assert sam.is_superuser
    assert roles_of(sam) == set()
    assert Authenticator.objects.filter(user=sam).count() == 2
    assert not PersonEvent.objects.exists()


def test_the_services_hold_the_same_rule(adam, sam):
    """The rule lives in the services too, so no other caller can get round it."""
    for person in (adam, sam):
        with pytest.raises(PermissionDenied):
            services.change_role(by=adam, person=person, role="officer", boroughs=[])
        with pytest.raises(PermissionDenied):
            services.deactivate_person(by=adam, person=person, reason="x")
        with pytest.raises(PermissionDenied):
            services.reset_mfa(by=adam, person=person, reason="x")
    assert Group.objects.get(name="OPCC admin").user_set.filter(pk=adam.pk).exists()


def test_a_reason_with_a_control_character_is_refused(client, adam, alice):
    # People forms follow the service's one clean-text rule (GDSForm), like every other form.
    client.force_login(adam)
    response = client.post(person_url(alice, "account/"), {"reason": "Left\x0bthe council"})
    assert response.status_code == 200
    assert "U+000B (vertical tab)" in response.context["form"].errors["reason"][0]
    alice.refresh_from_db()
    assert alice.is_active
    assert not PersonEvent.objects.exists()
