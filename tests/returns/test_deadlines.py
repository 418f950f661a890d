"""One due date and one "overdue" for every page, email and reminder (returns/deadlines.py)."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from returns.deadlines import due_date, extensions_for, is_overdue
from returns.models import Return
from returns.services import extension_grant, period_close

# 2026-27 Q2 is due on 30 October 2026.
DUE = date(2026, 10, 30)
EXTENDED = date(2026, 11, 30)


@pytest.fixture
def extended(q2, birmingham, adam):
    return extension_grant(period=q2, borough=birmingham, due_on=EXTENDED, reason="Staff sickness", by=adam)


def test_an_extension_moves_the_due_date_for_one_borough_only(q2, birmingham, coventry, extended):
    assert due_date(q2, birmingham.pk) == EXTENDED
    assert due_date(q2, coventry.pk) == DUE


def test_the_bulk_form_gives_the_same_dates_in_one_query(year, q1, q2, birmingham, coventry, extended):
    periods = list(year.periods.all())
    with CaptureQueriesContext(connection) as queries:
        extensions = extensions_for(periods)
    assert len(queries) == 1
    keys = [(b.pk, p) for p in periods for b in (birmingham, coventry)]
    with CaptureQueriesContext(connection) as queries:
        dates = {(b, p.pk): due_date(p, b, extensions=extensions) for b, p in keys}
    assert len(queries) == 0
    assert dates == {(b, p.pk): due_date(p, b) for b, p in keys}
    assert dates[(birmingham.pk, q2.pk)] == EXTENDED
    assert dates[(birmingham.pk, q1.pk)] == q1.due_on
    # Limited to some boroughs, the others fall back to the period's date.
    assert due_date(q2, birmingham.pk, extensions=extensions_for(periods, boroughs=[coventry])) == DUE


@pytest.mark.parametrize(
    ("status", "overdue"),
    [
        (None, True),
        (Return.Status.DRAFT, True),
        (Return.Status.CHANGES_REQUESTED, True),
        (Return.Status.SUBMITTED, False),
        (Return.Status.RESUBMITTED, False),
        (Return.Status.ACCEPTED, False),
    ],
)
def test_overdue_means_still_with_the_borough_after_the_due_date(q2, birmingham, status, overdue):
    return_ = None if status is None else Return.objects.create(borough=birmingham, period=q2, status=status)
    assert is_overdue(return_, DUE, period=q2, today=date(2026, 10, 31)) is overdue
    # On the due date itself nothing is overdue yet.
    assert is_overdue(return_, DUE, period=q2, today=DUE) is False


def test_a_draft_in_a_closed_period_is_not_overdue(q2, birmingham, adam):
    draft = Return.objects.create(borough=birmingham, period=q2)
    period_close(period=q2, by=adam, reason="Year end")
    draft.refresh_from_db()
    q2.refresh_from_db()
    assert is_overdue(draft, DUE, period=q2, today=date(2026, 12, 1)) is False


def test_a_return_never_started_in_a_closed_period_is_not_overdue(q2, coventry, adam):
    """Nothing can be started in a closed period, so there is nothing to chase."""
    assert is_overdue(None, DUE, period=q2, today=date(2026, 12, 1)) is True
    period_close(period=q2, by=adam, reason="Year end")
    q2.refresh_from_db()
    assert is_overdue(None, DUE, period=q2, today=date(2026, 12, 1)) is False


def test_reminders_do_not_chase_a_draft_the_borough_can_no_longer_change(
    q2, birmingham, alice, bob, rita, adam, django_capture_on_commit_callbacks
):
    from django.core import mail

    from returns.models import ReportingPeriod
    from returns.reminders import send_reminders

    ReportingPeriod.objects.exclude(pk=q2.pk).delete()
    Return.objects.create(borough=birmingham, period=q2)
    period_close(period=q2, by=adam, reason="Year end")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders(date(2026, 11, 9))  # a Monday, ten days after the due date
    subjects = [m.subject for m in mail.outbox]
    # A closed period is chased for no one: neither Birmingham's locked draft nor the six never started.
    assert not [s for s in subjects if s.startswith("Overdue:")]
    assert not [s for s in subjects if "overdue" in s and not s.startswith("Weekly digest: 0 overdue")]
