"""The one status label of a borough's return for a period, in the words issue 15 asks every page to use.

*Not open yet (opens 1 January 2027)*, *Open*, *Due in N days*, *Overdue*, *Submitted*, *Changes requested*,
*Resubmitted*, *Accepted*; and *Closed* for a period an admin closed before the borough filed (nothing can be
started or changed in it, so none of the other words would be true).

Once the borough has handed the return over, its status is the label. Before that (no return yet, or a draft) the
period and the due date speak: a quarter that has not opened is *Not open yet* with its opening date, never "Not
started", since there is nothing to start; an open one is *Open* until the first due-soon reminder would go
(`REMINDER_DAYS_BEFORE_DUE`, 14 days by default), then *Due in N days* (*Due today* on the day), then *Overdue*
by `deadlines.is_overdue`, the rule the reminders use, with the borough's extension counted. *Changes requested*
stays the label after the due date (it says what to do); `overdue` is still true then, for pages that chase.
*Resubmitted* is `Return.Status.RESUBMITTED`: `Return.TRANSITIONS` moves a return there only when it is
submitted again after a change request.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Case, CharField, DateField, F, Q, Value, When
from django.db.models.functions import Coalesce
from django.db.models.lookups import LessThan, LessThanOrEqual
from django.utils import timezone

from .deadlines import due_date, is_overdue
from .models import Return

# GOV.UK tag colours: the same as the return pages' (templates/returns/_return_status.html).
HANDED_OVER = {
    Return.Status.SUBMITTED: "green",
    Return.Status.RESUBMITTED: "green",
    Return.Status.CHANGES_REQUESTED: "orange",
    Return.Status.ACCEPTED: "",
}


def due_soon_days():
    """How close the due date must be for *Due in N days*: the first due-soon reminder's."""
    return max(getattr(settings, "REMINDER_DAYS_BEFORE_DUE", (14, 3)), default=14)


@dataclass(frozen=True)
class ReturnStatus:
    key: str  # "not_open", "closed", "open", "due_soon", "overdue", or the return's own status
    label: str
    colour: str  # a GOV.UK tag modifier ("" for the default dark blue)
    due_on: object
    overdue: bool  # deadlines.is_overdue: still with the borough after the due date

    @property
    def tag_class(self):
        return f"govuk-tag govuk-tag--{self.colour}" if self.colour else "govuk-tag"


def _days(n):
    return "Due today" if n == 0 else f"Due in {n} day{'' if n == 1 else 's'}"


def return_status(period, return_, *, borough_id=None, extensions=None, today=None):
    """The label of `borough_id`'s return (`return_`, or None if not started) for `period` on `today`.

    `extensions` (from deadlines.extensions_for) saves a query per row on pages with many.
    """
    today = today or timezone.localdate()
    if borough_id is None:
        borough_id = return_.borough_id
    due_on = due_date(period, borough_id, extensions=extensions)
    overdue = is_overdue(return_, due_on, period=period, today=today)

    def status(key, label, colour):
        return ReturnStatus(key=key, label=label, colour=colour, due_on=due_on, overdue=overdue)

    if return_ is not None and return_.status != Return.Status.DRAFT:
        return status(return_.status, return_.get_status_display(), HANDED_OVER[return_.status])
    if period.is_closed:
        return status("closed", "Closed", "grey")
    if today < period.opens_on:
        return status("not_open", f"Not open yet (opens {period.opens_on:%-d %B %Y})", "grey")
    if overdue:
        return status("overdue", "Overdue", "red")
    days_left = (due_on - today).days
    if days_left <= due_soon_days():
        return status("due_soon", _days(days_left), "yellow")
    return status("open", "Open", "blue")


# Every key return_status gives, in the order a return travels, with the words for a number of them ("3 open").
# Pages that count or filter by status (the review grid) use these, so they speak the same words as the labels.
def status_keys():
    S = Return.Status
    return [
        ("not_open", "Not open yet"),
        ("open", "Open"),
        ("due_soon", f"Due within {due_soon_days()} days"),
        ("overdue", "Overdue"),
        *((s.value, s.label) for s in (S.SUBMITTED, S.CHANGES_REQUESTED, S.RESUBMITTED, S.ACCEPTED)),
        ("closed", "Closed"),
    ]


def status_key_expression(period, *, today, return_status, extension_due_on):
    """return_status's key as SQL, to count or filter many boroughs in one query (the review grid).

    `return_status` and `extension_due_on` name, relative to the queryset, the borough's return status and
    extension due date for `period` (e.g. through a FilteredRelation; NULL when there is none). The period's own
    facts are known here, so each branch of return_status becomes at most one WHEN; kept beside return_status so
    the two read alike (tests/reviews/review/test_grid_filters.py compares them cell by cell).
    """
    whens = [When(Q(**{f"{return_status}__in": list(HANDED_OVER)}), then=F(return_status))]
    if period.is_closed:
        default = "closed"
    elif today < period.opens_on:
        default = "not_open"
    else:
        due_on = Coalesce(F(extension_due_on), Value(period.due_on), output_field=DateField())
        soon = today + timedelta(days=due_soon_days())
        whens.append(When(LessThan(due_on, Value(today)), then=Value("overdue")))
        whens.append(When(LessThanOrEqual(due_on, Value(soon)), then=Value("due_soon")))
        default = "open"
    return Case(*whens, default=Value(default), output_field=CharField())
