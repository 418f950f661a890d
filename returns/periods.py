"""The rows of a borough's returns page and of the borough page's returns panel, and a period's own state on the
admin's period page: both in returns.statuses' words (issue 15), so no page calls a quarter "Open" before it opens
or counts one that has not opened as "Not started"."""

from dataclasses import dataclass
from functools import cached_property

from django.utils import timezone

from .deadlines import due_date, extensions_for, is_overdue
from .models import ReportingPeriod, Return
from .statuses import return_status


@dataclass
class PeriodRow:
    period: object
    return_: object
    due_on: object
    extension: object
    today: object
    borough_id: int = None

    @property
    def overdue(self):
        return is_overdue(self.return_, self.due_on, period=self.period, today=self.today)

    @property
    def is_open(self):
        return self.period.is_open(self.today)

    @cached_property
    def status(self):
        """returns.statuses.return_status: the words the dashboard, the grid and this table share."""
        extensions = {(self.borough_id, self.period.pk): self.extension} if self.extension else {}
        return return_status(
            self.period, self.return_, borough_id=self.borough_id, extensions=extensions, today=self.today
        )

    @property
    def status_label(self):
        return self.status.label


def period_rows(borough, year, *, today=None):
    """The year's periods for the borough (none when no year is open). A read: page loads never create periods."""
    if year is None:
        return []
    periods = list(ReportingPeriod.objects.filter(year=year).order_by("quarter"))
    returns = {
        r.period_id: r for r in Return.objects.filter(borough=borough, period__year=year).select_related("period")
    }
    extensions = extensions_for(periods, boroughs=[borough])
    today = today or timezone.localdate()
    return [
        PeriodRow(
            period=period,
            return_=returns.get(period.pk),
            due_on=due_date(period, borough.pk, extensions=extensions),
            extension=extensions.get((borough.pk, period.pk)),
            today=today,
            borough_id=borough.pk,
        )
        for period in periods
    ]


@dataclass(frozen=True)
class PeriodState:
    """A period's own state, whatever any borough has filed: *Closed*, *Not open yet (opens 1 January 2027)* or
    *Open* (its returns can be started), in the words and tag colours of returns.statuses."""

    key: str
    label: str
    colour: str

    @property
    def tag_class(self):
        return f"govuk-tag govuk-tag--{self.colour}"


def period_state(period, today=None):
    today = today or timezone.localdate()
    if period.is_closed:
        return PeriodState("closed", "Closed", "grey")
    if today < period.opens_on:
        return PeriodState("not_open", f"Not open yet (opens {period.opens_on:%-d %B %Y})", "grey")
    return PeriodState("open", "Open", "blue")
