"""OPCC admins close and reopen periods, with a reason that reaches the timeline and the officers; a period's own state
and each borough's quarters in returns.statuses' words (issue 15)."""

import re
from datetime import date

import pytest
from django.core import mail
from django.utils import timezone

from returns.models import ReportingPeriod, Return, ReturnLocked
from returns.services import alignment_save, period_close, period_reopen, return_start
from tests.conftest import assert_redirects_to_login


def url(period):
    return f"/periods/{period.pk}/status/"


def test_admin_closes_and_reopens_a_period(client, adam, alice, q2, django_capture_on_commit_callbacks):
    client.force_login(adam)
    page = client.get(url(q2))
    assert page.status_code == 200
    assert "Close Q2 2026-27" in page.text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(q2), {"reason": "Year-end: the board report is final"})
    assert response["Location"] == f"/periods/{q2.pk}/"
    q2.refresh_from_db()
    assert q2.is_closed
    assert q2.closed_by == adam
    assert [m.subject for m in mail.outbox] == ["Q2 2026-27 has been closed"]
    assert "Year-end: the board report is final" in mail.outbox[0].body

    timeline = client.get(f"/periods/{q2.pk}/").text
    assert "Year-end: the board report is final" in timeline
    assert "Reopen this period" in timeline

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(q2), {"reason": "Late data from Walsall accepted by the Deputy PCC"})
    q2.refresh_from_db()
    assert not q2.is_closed
    assert mail.outbox[-1].subject == "Q2 2026-27 has been reopened"
    assert "Late data from Walsall accepted by the Deputy PCC" in client.get(f"/periods/{q2.pk}/").text


def test_a_reason_is_required(client, adam, q2):
    client.force_login(adam)
    response = client.post(url(q2), {"reason": ""})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.text
    q2.refresh_from_db()
    assert not q2.is_closed


def test_a_closed_period_locks_its_returns_and_refuses_new_ones(draft, alice, adam, q2, q1, birmingham):
    period_close(period=q2, by=adam, reason="Year end")
    draft.refresh_from_db()
    assert not draft.is_editable
    section = draft.sections.get(key="alignment")
    with pytest.raises(ReturnLocked, match="closed"):
        alignment_save(return_=draft, statement="x", priorities=[], completed=False, version=section.version, by=alice)
    period_close(period=q1, by=adam, reason="Year end")
    with pytest.raises(ReturnLocked):
        return_start(borough=birmingham, period=ReportingPeriod.objects.get(pk=q1.pk), by=alice)
    period_reopen(period=q2, by=adam, reason="Reopened")
    draft.refresh_from_db()
    assert draft.is_editable


def test_closing_twice_is_refused(q2, adam):
    from django.core.exceptions import ValidationError

    period_close(period=q2, by=adam, reason="Year end")
    with pytest.raises(ValidationError):
        period_close(period=q2, by=adam, reason="Again")


def test_officer_gets_403(client, alice, q2):
    # Periods are shared by every borough: there is no borough scope, only the permission.
    client.force_login(alice)
    assert client.get(url(q2)).status_code == 403
    assert client.post(url(q2), {"reason": "x"}).status_code == 403


def test_reviewer_without_the_permission_gets_403(client, rita, q2):
    client.force_login(rita)
    assert client.get(url(q2)).status_code == 403


def test_anonymous_is_sent_to_login(client, q2):
    assert_redirects_to_login(client.get(url(q2)), url(q2))


# Issue 15: a period's own state, and each borough's quarters, in returns.statuses' words.


@pytest.fixture
def december(monkeypatch, year):
    """1 December 2026, with Q3 opening on 1 January 2027."""
    monkeypatch.setattr(timezone, "localdate", lambda *args: date(2026, 12, 1))
    q3 = year.periods.get(quarter=3)
    q3.opens_on = date(2027, 1, 1)
    q3.save(update_fields=["opens_on"])
    return q3


def _state(page):
    return re.search(r'<p class="govuk-body">\s*<strong class="([^"]+)">([^<]+)</strong>', page).groups()


def test_the_period_page_says_not_open_yet_before_its_opening_date(client, adam, december, q2, monkeypatch):
    client.force_login(adam)
    assert _state(client.get(f"/periods/{december.pk}/").text) == (
        "govuk-tag govuk-tag--grey",
        "Not open yet (opens 1 January 2027)",
    )
    assert _state(client.get(f"/periods/{q2.pk}/").text) == ("govuk-tag govuk-tag--blue", "Open")
    monkeypatch.setattr(timezone, "localdate", lambda *args: date(2027, 1, 1))
    assert _state(client.get(f"/periods/{december.pk}/").text)[1] == "Open"


def test_a_closed_period_says_closed_whatever_the_date(client, adam, december):
    period_close(period=december, by=adam, reason="No Q3 this year")
    client.force_login(adam)
    page = client.get(f"/periods/{december.pk}/").text
    assert _state(page) == ("govuk-tag govuk-tag--grey", "Closed")
    assert "no return of this period can be started or changed" in page


def test_refused_dates_do_not_change_the_state_shown(client, adam, december):
    client.force_login(adam)
    response = client.post(
        f"/periods/{december.pk}/",
        {"start_date": "", "end_date": "", "opens_on": "1 October 2026", "due_on": "", "reason": ""},
    )
    assert response.status_code == 200
    assert _state(response.text)[1] == "Not open yet (opens 1 January 2027)"


def test_the_borough_returns_page_speaks_the_same_words(client, alice, december, q1, q2, birmingham):
    draft = return_start(borough=birmingham, period=q1, by=alice)
    Return.objects.filter(pk=return_start(borough=birmingham, period=q2, by=alice).pk).update(
        status=Return.Status.SUBMITTED
    )
    client.force_login(alice)
    for url in ("/boroughs/birmingham/returns/", "/boroughs/birmingham/"):
        page = " ".join(client.get(url).text.split())
        assert "Not started" not in page
        assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in page  # Q1's draft, due 30 July
        assert '<strong class="govuk-tag govuk-tag--green">Submitted</strong>' in page
        assert '<strong class="govuk-tag govuk-tag--grey">Not open yet (opens 1 January 2027)</strong>' in page
        assert '<strong class="govuk-tag govuk-tag--grey">Not open yet (opens 31 March 2027)</strong>' in page
        assert f'href="{draft.get_absolute_url()}"' in page
