"""The reviewers' overview: boroughs × quarters of a year, and a summary of the current quarter per borough
(share of the allocation spent, RAG counts, open flags, the forecast flag).

Built for 300 boroughs: each cell's status is returns.statuses.return_status, the words every page uses; to count
and filter every borough by it without loading every return, the same rule runs as SQL
(statuses.status_key_expression, one CASE per quarter over two joins per quarter) in one query of short rows,
which are counted, filtered (name in the database, status and quarter here) and paged (PAGE_SIZE); the same
joins bring each quarter's return and extension, which the page's cells need. Only the page's boroughs have
their open flags, forecasts and RAG loaded. The query count is the same however many boroughs there are
(tests/reviews/review/test_grid_scale.py, tests/reviews/review/test_grid_cost.py)."""

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import batched

from django.core.paginator import Paginator
from django.db.models import Count, FilteredRelation, Q
from django.urls import reverse
from django.utils import timezone

from boroughs.models import Borough
from returns.forecast import EMPTY, Forecast, borough_forecasts
from returns.models import PeriodExtension, ProjectUpdate, Rag, ReportingPeriod, Return
from returns.statuses import ReturnStatus, return_status, status_key_expression, status_keys

from ..board_cache import kept
from ..models import Flag
from .rag import update_rags

PAGE_SIZE = 50


@dataclass
class GridCell:
    borough: Borough
    period: object
    return_: Return | None
    status: ReturnStatus
    open_flags: int
    url: str = ""  # the return's review page; empty when there is no return
    shown: bool = True  # False: the status filter hides it (its row is shown for another quarter)

    def __post_init__(self):
        # What the grid's cell prints, read once here: at 50 boroughs × 4 quarters each lookup the template
        # saves (and the quarter's number it would format) is a few hundred fewer per page.
        self.tag_class = self.status.tag_class
        self.label = self.status.label
        self.hidden = f" {self.borough.name} Q{self.period.quarter}"  # after the label, for screen readers

    @property
    def status_label(self):
        return self.status.label

    @property
    def due_on(self):
        return self.status.due_on

    @property
    def overdue(self):
        return self.status.overdue

    @property
    def chase(self):
        """Past the due date but labelled otherwise (changes requested): the cell adds an "Overdue" tag."""
        return self.status.overdue and self.status.key != "overdue"


@dataclass
class GridRow:
    borough: Borough
    cells: list  # [GridCell] for the quarters shown
    rollup_url: str
    by_period: dict = field(default_factory=dict)  # {period id: GridCell} for every quarter of the year


@dataclass
class BoroughSummary:
    """One borough in the current quarter: money from returns.forecast, RAG of the returns with the OPCC."""

    borough: Borough
    cell: GridCell
    forecast: Forecast
    rags: dict = field(default_factory=dict)  # {Rag: number of projects}

    def __post_init__(self):
        # The forecast's figures the row prints and sorts by, worked out once (each is a property of Forecast
        # that works out its state again).
        forecast = self.forecast
        self.share_spent = forecast.share_spent
        self.flagged, self.tag, self.tag_class = forecast.flagged, forecast.tag, forecast.tag_class
        self.variance_text = None if forecast.outturn is None else forecast.variance_text

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
    "spent": ("Allocation spent", lambda row: row.share_spent),  # None: no allocation
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
    periods: list  # the quarters shown as columns (all of the year's, or the one asked for)
    rows: list  # [GridRow], the page's boroughs
    current: object = None  # the current quarter's ReportingPeriod (None without periods)
    summary: list = field(default_factory=list)  # [BoroughSummary] of the page's boroughs, sorted as asked
    sort: str = DEFAULT_SORT
    counts: list = field(default_factory=list)  # [(status key, words, number of cells)], whatever the page
    page: object = None  # the Paginator page of boroughs
    status: str = ""  # the status filter's key, or ""

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
    def status_label(self):
        return dict(status_keys()).get(self.status, "")


def current_period(periods, today):
    """The quarter being reported: the latest whose returns have opened (a quarter opens on its last day, so
    in November that is Q2), else the year's first; Q4 for a year that is over."""
    opened = [period for period in periods if period.opens_on <= today]
    return opened[-1] if opened else (periods[0] if periods else None)


def _rag_counts(period, borough_ids):
    """{borough id: {Rag: projects}} in `period`'s returns that are with the OPCC (not drafts): the RAG each
    project's page shows, from plain rows (reviews.selectors.rag.update_rags: two queries, however many boroughs
    and projects)."""
    updates = ProjectUpdate.objects.filter(return_of__period=period, return_of__borough_id__in=borough_ids).exclude(
        return_of__status=Return.Status.DRAFT
    )
    counts = defaultdict(Counter)
    for judged in update_rags(updates):
        if judged.rag:
            counts[judged.borough_id][judged.rag] += 1
    return counts


def _summary(rows, period):
    """A BoroughSummary per grid row for the current period: borough_forecasts plus the RAG counts, kept with the
    board's figures (reviews.board_cache.kept) for this page's boroughs until what they show changes."""
    borough_ids = [row.borough.pk for row in rows]

    def work_out():
        rags = _rag_counts(period, borough_ids)
        return borough_forecasts(period=period, borough_ids=borough_ids), {pk: dict(n) for pk, n in rags.items()}

    boroughs = hashlib.blake2b(",".join(map(str, borough_ids)).encode(), digest_size=16).hexdigest()
    forecasts, rags = kept(work_out, "grid-summary", period.pk, boroughs)
    return [
        BoroughSummary(
            borough=row.borough,
            cell=row.by_period[period.pk],
            forecast=forecasts.get(row.borough.pk, EMPTY),
            rags=rags.get(row.borough.pk, {}),
        )
        for row in rows
    ]


def _link(name, *args):
    """A function making `name`'s URL for a first argument: reverse() runs once, with a marker where that
    argument goes, and each link is a string join (a {% url %} per cell cost a tenth of the page at scale)."""
    marker = "987654321"
    head, tail = reverse(name, args=[marker, *args]).split(marker)
    return lambda value: f"{head}{value}{tail}"


def _status_alias(period):
    return f"status_q{period.pk}"


def _relations(period):
    """The borough's return and extension for `period`, each joined once (NULL where there is none)."""
    return {
        f"return_q{period.pk}": FilteredRelation("returns", condition=Q(returns__period_id=period.pk)),
        f"extension_q{period.pk}": FilteredRelation("extensions", condition=Q(extensions__period_id=period.pk)),
    }


def with_status_keys(boroughs, periods, today):
    """`boroughs` annotated with each period's return_status key (as `status_q<period id>`): the borough's return
    and extension for that period joined once each. One annotate() (the relations first, then the keys that use
    them): each call copies the query, and a copy per quarter cost more than the SQL at demo size."""
    relations, keys = {}, {}
    for period in periods:
        relations |= _relations(period)
        keys[_status_alias(period)] = status_key_expression(
            period,
            today=today,
            return_status=f"return_q{period.pk}__status",
            extension_due_on=f"extension_q{period.pk}__due_on",
        )
    return boroughs.annotate(**relations, **keys) if periods else boroughs


def _page_of_boroughs(rows, periods, db):
    """The page's boroughs, and their returns and extensions ({(borough id, period id): …}) as the grid's one
    query read them: as .only() and extensions_for would have loaded them, with no query of their own."""
    boroughs, returns, extensions = [], {}, {}
    for pk, name, slug, *joined in rows:
        boroughs.append(Borough.from_db(db, ["id", "name", "slug"], (pk, name, slug)))
        for period, (return_id, return_status_, due_on) in zip(periods, batched(joined, 3), strict=True):
            if return_id is not None:
                return_ = Return.from_db(
                    db, ["id", "borough_id", "period_id", "status"], (return_id, pk, period.pk, return_status_)
                )
                return_.period = period  # loaded already: is_editable reads it, with no query
                returns[pk, period.pk] = return_
            if due_on is not None:
                extensions[pk, period.pk] = PeriodExtension(borough_id=pk, period_id=period.pk, due_on=due_on)
    return boroughs, returns, extensions


def _rows(user, boroughs, returns, extensions, periods, shown, *, year, today, status):
    """A GridRow per borough of the page: one query (the open flags), whatever the page."""
    ids = [borough.pk for borough in boroughs]
    flag_counts = {
        (row["borough_id"], row["period_id"]): row["n"]
        for row in Flag.objects.for_user(user)
        .open()
        .filter(period__year=year, borough_id__in=ids)
        .values("borough_id", "period_id")
        .annotate(n=Count("pk"))
        .order_by()
    }
    return_url, rollup_url = _link("reviews:return"), _link("reviews:rollup", year.label)
    shown_ids = {period.pk for period in shown}
    rows = []
    for borough in boroughs:
        row = GridRow(borough=borough, cells=[], rollup_url=rollup_url(borough.slug))
        for period in periods:
            return_ = returns.get((borough.pk, period.pk))
            cell = GridCell(
                borough=borough,
                period=period,
                return_=return_,
                status=return_status(period, return_, borough_id=borough.pk, extensions=extensions, today=today),
                open_flags=flag_counts.get((borough.pk, period.pk), 0),
                url=return_url(return_.pk) if return_ else "",
            )
            cell.shown = not status or cell.status.key == status
            row.by_period[period.pk] = cell
            if period.pk in shown_ids:
                row.cells.append(cell)
        rows.append(row)
    return rows


def build_grid(user, year, today=None, sort=None, *, borough="", status="", quarter=None, page=None):
    """The grid of `year`, or an empty one when no year is open (the page says so). Never writes.

    `sort` orders the current quarter's summary (a SORT_CHOICES value, already validated); `borough` keeps the
    boroughs whose name contains it, `quarter` (1-4) shows that quarter alone, `status` (a status_keys() key)
    keeps the boroughs with a shown quarter in that status; `page` is the page of PAGE_SIZE boroughs (a number;
    out of range gives the last page). The counts above the grid ignore `status` (they are its choices)."""
    if year is None:
        return Grid(year=None, periods=[], rows=[])
    today = today or timezone.localdate()
    periods = list(ReportingPeriod.objects.filter(year=year).order_by("quarter"))
    shown = [period for period in periods if quarter is None or period.quarter == quarter]

    boroughs = Borough.objects.for_user(user).active()
    if borough:
        boroughs = boroughs.filter(name__icontains=borough)
    # Every borough's status keys in one query, counted, filtered and paged here (a few hundred short rows cost
    # less than planning the same joins three times: the counts, the paginator's COUNT and the page), with each
    # quarter's return and extension, which the page's cells need: joined already, so no query of their own.
    listed = with_status_keys(boroughs, shown, today)
    others = {}
    for period in periods:
        if period not in shown:
            others |= _relations(period)
    if others:
        listed = listed.annotate(**others)
    joined = []
    for period in periods:
        joined += [f"return_q{period.pk}__id", f"return_q{period.pk}__status", f"extension_q{period.pk}__due_on"]
    counted, matching, n = Counter(), [], len(shown)
    for pk, name, slug, *values in listed.order_by("name").values_list(
        "pk", "name", "slug", *map(_status_alias, shown), *joined
    ):
        keys = values[:n]
        counted.update(keys)
        if not status or status in keys:
            matching.append((pk, name, slug, *values[n:]))
    counts = [(key, words, counted.get(key, 0)) for key, words in status_keys()]
    page = Paginator(matching, PAGE_SIZE).get_page(page)
    page.object_list, returns, extensions = _page_of_boroughs(page.object_list, periods, listed.db)

    rows = _rows(user, page.object_list, returns, extensions, periods, shown, year=year, today=today, status=status)
    grid = Grid(year=year, periods=shown, rows=rows, sort=sort or DEFAULT_SORT, counts=counts, page=page)
    grid.status = status or ""
    grid.current = current_period(periods, today)
    if grid.current is not None:
        grid.summary = sort_summary(_summary(rows, grid.current), sort)
    return grid
