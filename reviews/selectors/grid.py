"""The reviewers' overview: boroughs × quarters of a year, and a summary of the current quarter per borough
(share of the allocation spent, RAG counts, open flags, the forecast flag), in a fixed number of queries."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch
from django.utils import timezone

from boroughs.models import Borough
from returns.deadlines import due_date, extensions_for, is_overdue
from returns.forecast import EMPTY, Forecast, borough_forecasts
from returns.models import Indicator, IndicatorActual, ProjectUpdate, Rag, ReportingPeriod, Return
from returns.overview import build_task

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
class BoroughSummary:
    """One borough in the current quarter: money from returns.forecast, RAG of the returns with the OPCC."""

    borough: Borough
    cell: GridCell
    forecast: Forecast
    rags: dict = field(default_factory=dict)  # {Rag: number of projects}

    @property
    def red(self):
        return self.rags.get(Rag.RED, 0)

    @property
    def amber(self):
        return self.rags.get(Rag.AMBER, 0)

    @property
    def green(self):
        return self.rags.get(Rag.GREEN, 0)

    @property
    def open_flags(self):
        return self.cell.open_flags


# Forecast flags in the order "most needing attention first" when sorting by the forecast.
FORECAST_ORDER = [
    Forecast.OVERSPEND,
    Forecast.UNDERSPEND,
    Forecast.NO_FORECAST,
    Forecast.ON_TRACK,
    Forecast.NO_ALLOCATION,
]
# ?sort= keys: (column heading, key function). A "-" before the key reverses it.
SORTS = {
    "borough": ("Borough", lambda row: row.borough.name),
    "spent": ("Allocation spent", lambda row: row.forecast.share_spent),  # None: no allocation
    "red": ("Red", lambda row: row.red),
    "amber": ("Amber", lambda row: row.amber),
    "green": ("Green", lambda row: row.green),
    "flags": ("Open flags", lambda row: row.open_flags),
    "forecast": ("Forecast", lambda row: FORECAST_ORDER.index(row.forecast.state)),
}
SORT_CHOICES = [(key, key) for key in SORTS] + [(f"-{key}", f"-{key}") for key in SORTS]
DEFAULT_SORT = "borough"


def sort_summary(rows, sort):
    """Rows in `sort` order (a key of SORTS, "-" first for descending); ties stay in borough order, and rows
    with no figure (no allocation to share) come last either way."""
    key = sort or DEFAULT_SORT
    descending = key.startswith("-")
    _heading, by = SORTS[key.lstrip("-")]
    ordered = sorted(rows, key=lambda row: row.borough.name)
    figures = [row for row in ordered if by(row) is not None]
    return sorted(figures, key=by, reverse=descending) + [row for row in ordered if by(row) is None]


@dataclass
class Grid:
    year: object
    periods: list
    rows: list  # [(borough, [GridCell per period])]
    current: object = None  # the current quarter's ReportingPeriod (None without periods)
    summary: list = field(default_factory=list)  # [BoroughSummary], sorted as asked
    sort: str = DEFAULT_SORT

    @property
    def summary_columns(self):
        """[(heading, the ?sort= its link asks for, its aria-sort)]: a sorted column's link reverses it."""
        columns = []
        for key, (heading, _by) in SORTS.items():
            if self.sort == key:
                columns.append((heading, f"-{key}", "ascending"))
            elif self.sort == f"-{key}":
                columns.append((heading, key, "descending"))
            else:
                columns.append((heading, key, "none"))
        return columns

    @property
    def counts(self):
        counted = Counter(cell.status for _, cells in self.rows for cell in cells)
        return [(key, label, counted.get(key, 0)) for key, label in STATUS_ORDER]

    @property
    def overdue_count(self):
        return sum(cell.overdue for _, cells in self.rows for cell in cells)


def current_period(periods, today):
    """The quarter being reported: the latest whose returns have opened (a quarter opens on its last day, so
    in November that is Q2), else the year's first; Q4 for a year that is over."""
    opened = [period for period in periods if period.opens_on <= today]
    return opened[-1] if opened else (periods[0] if periods else None)


def _rag_counts(period, borough_ids):
    """{borough id: {Rag: projects}} in `period`'s returns that are with the OPCC (not drafts): the RAG each
    project's page shows (the officer's rating, else its weakest indicator, year to date:
    returns.overview.build_task). Four queries, however many boroughs and projects."""
    updates = list(
        ProjectUpdate.objects.filter(return_of__period=period, return_of__borough_id__in=borough_ids)
        .exclude(return_of__status=Return.Status.DRAFT)
        .select_related("project", "return_of")
        .prefetch_related(Prefetch("project__indicators", queryset=Indicator.objects.order_by("pk")), "actuals")
    )
    history = defaultdict(lambda: defaultdict(dict))  # {borough id: {indicator id: {quarter: value}}}
    earlier = IndicatorActual.objects.filter(
        update__return_of__period__year_id=period.year_id,
        update__return_of__period__quarter__lt=period.quarter,
        update__return_of__borough_id__in=borough_ids,
        value__isnull=False,
    ).values_list("update__return_of__borough_id", "indicator_id", "update__return_of__period__quarter", "value")
    for borough_id, indicator_id, quarter, value in earlier:
        history[borough_id][indicator_id][quarter] = value
    counts = defaultdict(Counter)
    for update in updates:
        borough_id = update.return_of.borough_id
        rag = build_task(update, history[borough_id], period.quarter).rag
        if rag:
            counts[borough_id][rag] += 1
    return counts


def _summary(rows, period):
    """A BoroughSummary per grid row for the current period: borough_forecasts plus the RAG counts."""
    borough_ids = [borough.pk for borough, _cells in rows]
    forecasts = borough_forecasts(period=period)
    rags = _rag_counts(period, borough_ids)
    summary = []
    for borough, cells in rows:
        cell = next(cell for cell in cells if cell.period.pk == period.pk)
        summary.append(
            BoroughSummary(
                borough=borough, cell=cell, forecast=forecasts.get(borough.pk, EMPTY), rags=dict(rags[borough.pk])
            )
        )
    return summary


def build_grid(user, year, today=None, sort=None):
    """The grid of `year`, or an empty one when no year is open (the page says so). Never writes.

    `sort` orders the current quarter's summary (a SORT_CHOICES value, already validated)."""
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
    grid = Grid(year=year, periods=periods, rows=rows, sort=sort or DEFAULT_SORT)
    grid.current = current_period(periods, today)
    if grid.current is not None:
        grid.summary = sort_summary(_summary(rows, grid.current), sort)
    return grid
