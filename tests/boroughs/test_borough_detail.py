import pytest

from boroughs.models import Borough, Membership
from tests.conftest import assert_redirects_to_login


@pytest.fixture
def contact(alice):
    membership = Membership.objects.get(user=alice)
    membership.job_title = "Community Safety Manager"
    membership.phone = "0121 303 0000"
    membership.save()
    return membership


def test_officer_sees_partnership_details_and_contacts(client, alice, contact):
    client.force_login(alice)
    response = client.get("/boroughs/birmingham/")
    assert response.status_code == 200
    assert response.context["borough"].slug == "birmingham"
    assert "Birmingham Community Safety Partnership" in response.text
    assert "E08000025" in response.text
    assert "Community Safety Manager" in response.text
    assert "alice@example.org" in response.text


def test_officer_of_another_borough_gets_404(client, bob, birmingham):
    client.force_login(bob)
    response = client.get("/boroughs/birmingham/")
    assert response.status_code == 404
    assert "Page not found" in response.text


def test_user_without_permission_gets_403(client, charlie):
    client.force_login(charlie)
    assert client.get("/boroughs/birmingham/").status_code == 403


def test_anonymous_is_sent_to_login(client, birmingham):
    assert_redirects_to_login(client.get("/boroughs/birmingham/"), "/boroughs/birmingham/")


def test_reviewer_sees_any_borough(client, rita):
    client.force_login(rita)
    for borough in Borough.objects.all():
        assert client.get(f"/boroughs/{borough.slug}/").status_code == 200


def test_unknown_borough_is_404_even_for_reviewers(client, rita):
    client.force_login(rita)
    assert client.get("/boroughs/atlantis/").status_code == 404


def test_inactive_user_sees_nothing(client, alice):
    alice.is_active = False
    alice.save()
    assert Borough.objects.for_user(alice).count() == 0
