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

from django.conf import settings
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
