"""The reviewers' overview: boroughs × quarters of a year, in a fixed number of queries."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone

from boroughs.models import Borough
from returns.deadlines import due_date, extensions_for, is_overdue
from returns.models import ReportingPeriod, Return

from ..models import Flag

NOT_STARTED = "not_started"
# The order statuses are counted in, above the grid: the way a return travels.
STATUS_ORDER = [
    (NOT_STARTED, "Not started"),
    (Return.Status.DRAFT, "Draft"),
    (Return.Status.SUBMITTED, "Submitted"),
    (Return.Status.CHANGES_REQUESTED, "Changes requested"),
    (Return.Status.RESUBMITTED, "Resubmitted"),
    (Return.Status.ACCEPTED, "Accepted"),
]
STATUS_LABELS = dict(STATUS_ORDER)


@dataclass
class GridCell:
    borough: Borough
    period: object
    return_: Return | None
    due_on: object
    overdue: bool
    open_flags: int

    @property
    def status(self):
        return self.return_.status if self.return_ else NOT_STARTED

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]


@dataclass
class Grid:
    year: object
    periods: list
    rows: list  # [(borough, [GridCell per period])]

    @property
    def counts(self):
        counted = Counter(cell.status for _, cells in self.rows for cell in cells)
        return [(key, label, counted.get(key, 0)) for key, label in STATUS_ORDER]

    @property
    def overdue_count(self):
        return sum(cell.overdue for _, cells in self.rows for cell in cells)


def build_grid(user, year, today=None):
    """The grid of `year`, or an empty one when no year is open (the page says so). Never writes."""
    if year is None:
        return Grid(year=None, periods=[], rows=[])
    today = today or timezone.localdate()
    periods = list(ReportingPeriod.objects.filter(year=year).order_by("quarter"))
    boroughs = list(Borough.objects.for_user(user).active())
    returns = {
        (r.borough_id, r.period_id): r
        for r in Return.objects.for_user(user)
        .filter(period__year=year)
        # Whether a return is still with the borough depends on its period being open: loaded here, not per cell.
        .select_related("period")
        .only("pk", "borough_id", "period_id", "status", "period")
    }
    extensions = extensions_for(periods)
    flag_counts = {
        (row["borough_id"], row["period_id"]): row["n"]
        for row in Flag.objects.for_user(user)
        .open()
        .filter(period__year=year)
        .values("borough_id", "period_id")
        .annotate(n=Count("pk"))
    }
    rows = []
    for borough in boroughs:
        cells = []
        for period in periods:
            key = (borough.pk, period.pk)
            return_ = returns.get(key)
            due_on = due_date(period, borough.pk, extensions=extensions)
            cells.append(
                GridCell(
                    borough=borough,
                    period=period,
                    return_=return_,
                    due_on=due_on,
                    overdue=is_overdue(return_, due_on, period=period, today=today),
                    open_flags=flag_counts.get(key, 0),
                )
            )
        rows.append((borough, cells))
    return Grid(year=year, periods=periods, rows=rows)
