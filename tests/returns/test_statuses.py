"""returns/statuses.py: the one status label of a borough's return for a period, at its boundary dates.

Q1 2026-27 opens on 30 June 2026 and is due on 30 July 2026 (the defaults); due-soon starts 14 days before.
"""

from datetime import date, timedelta

import pytest

from returns.deadlines import extensions_for
from returns.models import PeriodExtension, Return
from returns.statuses import return_status

S = Return.Status


def label(period, return_=None, *, borough, today, extensions=None):
    return return_status(period, return_, borough_id=borough.pk, today=today, extensions=extensions).label


def returned(borough, period, status):
    return Return(borough=borough, period=period, status=status)


@pytest.fixture
def q3(year):
    q3 = year.periods.get(quarter=3)
    q3.opens_on = date(2027, 1, 1)
    q3.save()
    return q3


def test_a_quarter_not_open_yet_says_when_it_opens(birmingham, q3):
    status = return_status(q3, None, borough_id=birmingham.pk, today=date(2026, 12, 31))
    assert status.label == "Not open yet (opens 1 January 2027)"
    assert status.key == "not_open"
    assert not status.overdue
    assert label(q3, borough=birmingham, today=date(2027, 1, 1)) != status.label  # open on its opening day


def test_unopened_quarters_are_never_not_started(birmingham, year):
    for period in year.periods.all():
        assert "Not started" not in label(period, borough=birmingham, today=period.opens_on - timedelta(days=1))


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 6, 30), "Open"),  # opening day, 30 days to go
        (date(2026, 7, 15), "Open"),  # 15 days to go
        (date(2026, 7, 16), "Due in 14 days"),  # the first due-soon reminder's day
        (date(2026, 7, 29), "Due in 1 day"),
        (date(2026, 7, 30), "Due today"),
        (date(2026, 7, 31), "Overdue"),
    ],
)
def test_open_due_soon_and_overdue_at_their_boundaries(birmingham, q1, today, expected):
    assert label(q1, borough=birmingham, today=today) == expected


def test_a_draft_reads_like_no_return_yet(birmingham, q1):
    draft = returned(birmingham, q1, S.DRAFT)
    assert label(q1, draft, borough=birmingham, today=date(2026, 7, 20)) == "Due in 10 days"
    assert label(q1, draft, borough=birmingham, today=date(2026, 7, 31)) == "Overdue"


def test_an_extension_moves_due_soon_and_overdue(birmingham, coventry, q1, alice):
    PeriodExtension.objects.create(
        borough=birmingham, period=q1, due_on=date(2026, 8, 20), reason="Data system outage", granted_by=alice
    )
    extensions = extensions_for([q1])
    assert label(q1, borough=birmingham, today=date(2026, 7, 31), extensions=extensions) == "Open"
    assert label(q1, borough=birmingham, today=date(2026, 8, 6), extensions=extensions) == "Due in 14 days"
    assert label(q1, borough=birmingham, today=date(2026, 8, 20), extensions=extensions) == "Due today"
    assert label(q1, borough=birmingham, today=date(2026, 8, 21), extensions=extensions) == "Overdue"
    # Without `extensions` it looks the extension up itself; another borough keeps the period's date.
    assert label(q1, borough=birmingham, today=date(2026, 7, 31)) == "Open"
    assert label(q1, borough=coventry, today=date(2026, 7, 31), extensions=extensions) == "Overdue"
    status = return_status(q1, None, borough_id=birmingham.pk, today=date(2026, 8, 1), extensions=extensions)
    assert status.due_on == date(2026, 8, 20)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (S.SUBMITTED, "Submitted"),
        (S.CHANGES_REQUESTED, "Changes requested"),
        (S.RESUBMITTED, "Resubmitted"),
        (S.ACCEPTED, "Accepted"),
    ],
)
def test_a_handed_over_return_is_labelled_by_its_status(birmingham, q1, status, expected):
    for today in (date(2026, 7, 1), date(2026, 9, 1)):  # before and after the due date
        assert label(q1, returned(birmingham, q1, status), borough=birmingham, today=today) == expected


def test_changes_requested_after_the_due_date_stays_its_label_but_is_overdue(birmingham, q1):
    status = return_status(q1, returned(birmingham, q1, S.CHANGES_REQUESTED), today=date(2026, 8, 1))
    assert (status.label, status.overdue) == ("Changes requested", True)
    submitted = return_status(q1, returned(birmingham, q1, S.SUBMITTED), today=date(2026, 8, 1))
    assert not submitted.overdue


def test_resubmitted_is_a_submission_after_a_change_request(draft, alice):
    """Through the model's own transitions: the second submit after request_changes is Resubmitted."""
    draft.submit(by=alice)
    assert label(draft.period, draft, borough=draft.borough, today=date(2026, 10, 1)) == "Submitted"
    draft.request_changes()
    assert label(draft.period, draft, borough=draft.borough, today=date(2026, 10, 1)) == "Changes requested"
    draft.submit(by=alice)
    assert label(draft.period, draft, borough=draft.borough, today=date(2026, 10, 1)) == "Resubmitted"
    draft.accept()
    assert label(draft.period, draft, borough=draft.borough, today=date(2026, 10, 1)) == "Accepted"


def test_a_closed_period_is_closed_not_overdue(birmingham, q1, adam):
    q1.close(by=adam)
    q1.save()
    status = return_status(q1, None, borough_id=birmingham.pk, today=date(2026, 9, 1))
    assert (status.label, status.overdue) == ("Closed", False)
    # What the borough handed in before the close keeps its label.
    assert label(q1, returned(birmingham, q1, S.SUBMITTED), borough=birmingham, today=date(2026, 9, 1)) == "Submitted"


def test_due_soon_follows_the_first_reminder(settings, birmingham, q1):
    settings.REMINDER_DAYS_BEFORE_DUE = (7, 2)
    assert label(q1, borough=birmingham, today=date(2026, 7, 22)) == "Open"
    assert label(q1, borough=birmingham, today=date(2026, 7, 23)) == "Due in 7 days"


def test_tags_have_govuk_colours(birmingham, q1):
    overdue = return_status(q1, None, borough_id=birmingham.pk, today=date(2026, 8, 1))
    assert overdue.tag_class == "govuk-tag govuk-tag--red"
    accepted = return_status(q1, returned(birmingham, q1, S.ACCEPTED), today=date(2026, 8, 1))
    assert accepted.tag_class == "govuk-tag"
