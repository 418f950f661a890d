"""Reminding every partnership overdue for a quarter now, with the OPCC contact copied: choose, confirm, send."""

from datetime import date

import pytest
from django.core import mail
from django.utils import timezone

from boroughs.models import SentNotification
from boroughs.roles import CSP_OFFICER
from returns.models import Return
from returns.reminders import send_reminders
from tests.conftest import assert_redirects_to_login, make_user
from tests.reviews.conftest import make_return

from .conftest import count_queries

PATH = "/review/bulk/remind/"
URL = f"{PATH}?year=2026-27"
# Q1 2026-27 was due on 30 July 2026: on 15 August it is 16 days overdue; Q2 has not opened yet.
TODAY = date(2026, 8, 15)


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a: TODAY)
    return TODAY


@pytest.fixture
def overdue(today, quarter, west_midlands, rita):
    """Sandwell's draft, and Solihull and Wolverhampton with no return: overdue, each with an officer.

    Sandwell's OPCC contact is rita, copied in.
    """
    sandwell = west_midlands.get(slug="sandwell")
    sandwell.opcc_contact = rita
    sandwell.save()
    for slug in ("sandwell", "solihull", "wolverhampton"):
        make_user(f"officer-{slug}", role=CSP_OFFICER, boroughs=[west_midlands.get(slug=slug)])
    return {slug: west_midlands.get(slug=slug) for slug in ("sandwell", "solihull", "wolverhampton")}


def seen(overdue):
    return [
        f"{overdue['sandwell'].pk}:draft",
        f"{overdue['solihull'].pk}:not_started",
        f"{overdue['wolverhampton'].pk}:not_started",
    ]


def confirm(client, q1, items):
    return client.post(URL, {"confirm": "yes", "period": q1.pk, "item": items})


def test_the_choice_lists_overdue_quarters_and_who_would_be_emailed(client, rita, overdue, q1):
    client.force_login(rita)
    html = client.get(URL).text
    assert "Q1 2026-27: 3 partnerships overdue" in html
    assert "Sandwell (draft, due 30 July 2026): Officer-Sandwell, Rita (copied)" in html
    assert "Solihull (not started, due 30 July 2026): Officer-Solihull" in html
    assert "Birmingham" not in html  # submitted: not overdue
    assert "Q2 2026-27" not in html  # not open yet


def test_the_confirmation_lists_every_partnership_and_recipient_and_sends_nothing(client, rita, overdue, q1):
    client.force_login(rita)
    response = client.post(URL, {"period": q1.pk})
    assert response.status_code == 200
    html = response.text
    rows = html.split('<tbody class="govuk-table__body">')[1].split("</tbody>")[0]
    assert rows.count('<tr class="govuk-table__row">') == 3
    for address in ("officer-sandwell@example.org", "officer-solihull@example.org", "officer-wolverhampton@"):
        assert address in rows
    assert "rita@example.org), copied as the OPCC contact" in rows
    for item in seen(overdue):
        assert f'name="item" value="{item}"' in html
    assert mail.outbox == []
    assert not SentNotification.objects.exists()


def test_confirming_sends_now_and_records_it_without_using_up_the_daily_reminder(
    client, rita, overdue, q1, django_capture_on_commit_callbacks
):
    client.force_login(rita)
    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(client, q1, seen(overdue))
    assert response.status_code == 302
    assert response["Location"] == "/review/?year=2026-27"
    assert sorted(m.to[0] for m in mail.outbox) == [
        "officer-sandwell@example.org",
        "officer-solihull@example.org",
        "officer-wolverhampton@example.org",
        "rita@example.org",
    ]
    assert {m.subject for m in mail.outbox} >= {"Overdue: Sandwell Q1 2026-27 return is still outstanding"}
    assert "16 days overdue" in mail.outbox[0].body
    # Recorded as the daily reminders are, under a key naming the quarter, the partnership, who and when.
    records = {r.key.split(":")[2]: r for r in SentNotification.objects.all()}
    assert {key: (r.kind, r.recipients) for key, r in records.items()} == {
        str(overdue["sandwell"].pk): ("overdue", 2),
        str(overdue["solihull"].pk): ("overdue", 1),
        str(overdue["wolverhampton"].pk): ("overdue", 1),
    }
    assert all(r.key.startswith(f"manual-overdue:{q1.pk}:") and f":{rita.pk}:" in r.key for r in records.values())
    assert "Sent the Q1 2026-27 reminder to 3 partnerships (4 emails)." in client.get(response["Location"]).text
    # A second one now is sent too (its key names the moment), and the daily run still sends its own.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert confirm(client, q1, seen(overdue)).status_code == 302
    assert len(mail.outbox) == 4
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders(TODAY)
    assert "officer-solihull@example.org" in [m.to[0] for m in mail.outbox]


def test_a_partnership_that_submitted_meanwhile_stops_them_all(client, rita, overdue, q1):
    client.force_login(rita)
    items = seen(overdue)
    Return.objects.filter(borough=overdue["sandwell"]).update(status=Return.Status.SUBMITTED)
    response = confirm(client, q1, items)
    assert response.status_code == 409
    assert "Nothing has been changed" in response.text
    assert "no longer overdue" in response.text
    assert mail.outbox == []
    assert not SentNotification.objects.exists()
    # Shown again as now: the two still overdue.
    assert f'value="{overdue["solihull"].pk}:not_started"' in response.text
    assert f'value="{overdue["sandwell"].pk}:draft"' not in response.text


def test_a_partnership_newly_overdue_stops_them_all(client, rita, overdue, q1, quarter):
    client.force_login(rita)
    Return.objects.filter(pk=quarter["coventry"].pk).update(status=Return.Status.CHANGES_REQUESTED)
    response = confirm(client, q1, seen(overdue))
    assert response.status_code == 409
    assert "Coventry: now overdue too" in response.text
    assert mail.outbox == []


def test_nothing_overdue_says_so(client, rita, today, quarter, west_midlands):
    client.force_login(rita)
    Return.objects.filter(status=Return.Status.DRAFT).update(status=Return.Status.SUBMITTED)
    for slug in ("solihull", "wolverhampton"):
        make_return(west_midlands.get(slug=slug), quarter["birmingham"].period)
    assert "No partnership is overdue for any quarter of 2026-27." in client.get(URL).text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Select a quarter"),
        ({"period": "999999"}, "Select a quarter from the list"),
        ({"confirm": "yes", "period": "1", "item": ["1:draft;"]}, "The selection could not be read"),
        ({"confirm": "yes", "period": "x", "item": ["1:draft"]}, "Enter a whole number"),
    ],
)
def test_bad_input_is_a_message_not_an_error(client, rita, overdue, data, message):
    client.force_login(rita)
    response = client.post(URL, data)
    assert response.status_code == 200
    assert message in response.text
    assert not SentNotification.objects.exists()


def test_personas(client, alice, bob, charlie, rita, overdue, q1):
    assert_redirects_to_login(client.get(PATH), PATH)
    for user, expected in [(alice, 404), (bob, 404), (charlie, 403)]:
        client.force_login(user)
        assert client.get(URL).status_code == expected, user
        assert confirm(client, q1, seen(overdue)).status_code == expected, user
    assert not SentNotification.objects.exists()
    client.force_login(rita)
    assert client.get(URL).status_code == 200
    assert confirm(client, q1, seen(overdue)).status_code == 302
    assert SentNotification.objects.count() == 3


def test_query_counts_do_not_grow_with_the_overdue_partnerships(client, rita, overdue, q1, west_midlands):
    client.force_login(rita)
    # One overdue partnership first: the other two have submitted.
    for slug in ("solihull", "wolverhampton"):
        make_return(overdue[slug], q1)
    few = [count_queries(client, "get", URL), count_queries(client, "post", URL, {"period": q1.pk})]
    Return.objects.filter(borough__in=[overdue["solihull"], overdue["wolverhampton"]]).update(status="draft")
    for n in range(3):
        make_user(f"extra-{n}", role=CSP_OFFICER, boroughs=[overdue["solihull"], overdue["wolverhampton"]])
    many = [count_queries(client, "get", URL), count_queries(client, "post", URL, {"period": q1.pk})]
    assert "3 partnerships overdue" in client.get(URL).text
    assert many == few
