from boroughs.models import NotificationKind, NotificationOptOut
from tests.conftest import assert_redirects_to_login

URL = "/accounts/notifications/"


def test_officer_turns_off_reminders_but_not_changes_requested(client, alice):
    client.force_login(alice)
    page = client.get(URL)
    assert page.status_code == 200
    assert "A return is due soon" in page.text
    assert "Changes are requested" not in page.text  # mandatory: not offered
    assert "Weekly digest" not in page.text  # an OPCC email

    keep = [NotificationKind.RETURN_ACCEPTED, NotificationKind.COMMENT_SHARED]
    response = client.post(URL, {"kinds": keep})
    assert response["Location"] == URL
    off = set(NotificationOptOut.objects.filter(user=alice).values_list("kind", flat=True))
    assert NotificationKind.DUE_SOON in off
    assert NotificationKind.RETURN_ACCEPTED not in off
    assert NotificationKind.CHANGES_REQUESTED not in off
    assert "Your email preferences have been saved" in client.get(URL).text

    client.post(URL, {"kinds": [*keep, NotificationKind.DUE_SOON]})
    assert not NotificationOptOut.objects.filter(user=alice, kind=NotificationKind.DUE_SOON).exists()


def test_reviewer_is_offered_the_opcc_emails(client, rita):
    client.force_login(rita)
    text = client.get(URL).text
    assert "Weekly digest of outstanding returns" in text
    assert "A return is submitted" in text


def test_unknown_kinds_are_refused_with_a_message(client, alice):
    client.force_login(alice)
    response = client.post(URL, {"kinds": ["weekly_digest"]})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.text
    assert not NotificationOptOut.objects.filter(user=alice).exists()


def test_any_signed_in_person_manages_only_their_own(client, charlie, alice):
    # Preferences are personal: no borough scope and no permission beyond being signed in.
    client.force_login(charlie)
    client.post(URL, {"kinds": []})
    assert NotificationOptOut.objects.filter(user=charlie).exists()
    assert not NotificationOptOut.objects.filter(user=alice).exists()


def test_anonymous_is_sent_to_login(client, db):
    assert_redirects_to_login(client.get(URL), URL)
