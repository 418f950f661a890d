"""Every People view for the personas: OPCC admin 200; officers (own or other borough), the role-less and the
reviewer 403 (people are reference data); anonymous to sign-in. Writes by anyone but an admin change nothing."""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model

from boroughs.models import PersonEvent
from tests.conftest import assert_redirects_to_login

from .conftest import INVITE, PEOPLE, invite_data, person_url


@pytest.fixture
def paths(olive, ivan):
    """Each People page, at a person for whom it has something to offer."""
    return [
        PEOPLE,
        INVITE,
        person_url(olive),
        person_url(olive, "account/"),
        person_url(olive, "two-step-verification/"),
        person_url(ivan, "invitation/"),
    ]


def test_opcc_admin_sees_every_people_page(client, adam, paths):
    client.force_login(adam)
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "People" in response.text


@pytest.mark.parametrize("persona", ["alice", "bob", "charlie", "rita"])
def test_everyone_else_signed_in_is_refused(client, request, persona, paths):
    client.force_login(request.getfixturevalue(persona))
    for path in paths:
        assert client.get(path).status_code == 403, path


def test_anonymous_is_sent_to_sign_in(client, paths):
    for path in paths:
        assert_redirects_to_login(client.get(path), path)


@pytest.mark.parametrize("persona", ["alice", "charlie", "rita"])
def test_writes_by_anyone_but_an_admin_change_nothing(client, request, persona, olive, ivan, birmingham):
    client.force_login(request.getfixturevalue(persona))
    users_before = get_user_model().objects.count()
    posts = [
        (INVITE, invite_data(boroughs=[birmingham.pk])),
        (person_url(olive), {"role": "admin"}),
        (person_url(olive, "account/"), {"reason": "Left the council"}),
        (person_url(olive, "two-step-verification/"), {"reason": "Lost phone"}),
        (person_url(ivan, "invitation/"), {}),
    ]
    for path, data in posts:
        assert client.post(path, data).status_code == 403, path
    olive.refresh_from_db()
    assert olive.is_active
    assert not olive.groups.filter(name="OPCC admin").exists()
    assert Authenticator.objects.filter(user=olive).count() == 2
    assert get_user_model().objects.count() == users_before
    assert not PersonEvent.objects.exists()


def test_anonymous_writes_are_sent_to_sign_in(client, olive):
    path = person_url(olive, "account/")
    assert_redirects_to_login(client.post(path, {"reason": "x"}), path)
    olive.refresh_from_db()
    assert olive.is_active


@pytest.mark.parametrize("pk", ["999999", "9" * 30])
def test_unknown_person_is_not_found(client, adam, pk):
    client.force_login(adam)
    for action in ["", "account/", "two-step-verification/", "invitation/"]:
        assert client.get(f"/people/{pk}/{action}").status_code == 404


def test_navigation_links_people_for_admins_only(client, adam, rita, alice):
    client.force_login(adam)
    assert 'href="/people/"' in client.get("/boroughs/").text
    for persona in (rita, alice):
        client.force_login(persona)
        assert 'href="/people/"' not in client.get("/boroughs/").text


def test_the_permission_belongs_to_the_admin_role_only(adam, rita, alice, charlie):
    assert adam.has_perm("boroughs.manage_people")
    for person in (rita, alice, charlie):
        assert not person.has_perm("boroughs.manage_people")
