"""Forecast outturn against the year's allocation, and the likely under/overspend flag: the one home of the rule.

The forecast outturn is spend to date plus the officer's expected spend for the rest of the year
(`ProjectUpdate.expected_spend`); its variance is the outturn less the allocation. The flags compare the
outturn with the allocation, strictly, using the thresholds in settings:

- likely underspend: outturn *below* `FORECAST_UNDERSPEND_BELOW` (0.90) of the allocation, so exactly 90% is on track;
- likely overspend: outturn *above* `FORECAST_OVERSPEND_ABOVE` (1.00) of the allocation, so exactly 100% is on track;
- no allocation (nothing to compare with) comes first, then no forecast (no expected spend given).

Q4 has nothing left to spend: the expected spend is taken as 0 whatever is stored, so the outturn is spend to date.

A project that starts mid-year: its allocation is its year's allocation, in full (the `ProjectYear` of that
year, or `Project.csf_allocation` for a project added during the year, which has no `ProjectYear` yet; the
return pages use the same figure). The quarters before it started have no update, so they add no spend; in
its borough's figures it counts from the quarter it starts in (`Project.start_date`, or the first return
that carries it), so an earlier quarter's share spent is not diluted by money not yet available.

Everything is summed in the database (Decimal, quantized to the penny, since SQLite hands sums back through
floats), in a fixed number of queries however many boroughs or projects.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from boroughs.models import Borough

from .models import MatchFunding, Project, ProjectUpdate, ProjectYear, ReportingPeriod
from .overview import load_overview
from .spend import PENNY, ZERO, match_funding_by_project

LAST_QUARTER = ReportingPeriod.Quarter.Q4
HUNDRED = Decimal(100)


def _money(value):
    return (value or ZERO).quantize(PENNY)


def pounds(value):
    """£1,234.50 (-£30.00 when negative): for labels built in Python (templates use floatformat)."""
    return f"-£{-value:,.2f}" if value < 0 else f"£{value:,.2f}"


@dataclass(frozen=True)
class Forecast:
    allocation: Decimal
    spent_to_date: Decimal
    expected_rest: Decimal | None
    match_funding: Decimal = ZERO

    UNDERSPEND = "underspend"
    OVERSPEND = "overspend"
    ON_TRACK = "on_track"
    NO_ALLOCATION = "no_allocation"
    NO_FORECAST = "no_forecast"

    @property
    def outturn(self):
        if self.expected_rest is None:
            return None
        return self.spent_to_date + self.expected_rest

    @property
    def variance(self):
        """Forecast outturn less the allocation: negative for an underspend."""
        outturn = self.outturn
        return None if outturn is None else outturn - self.allocation

    @property
    def variance_text(self):
        """The variance in words: "£2,500.00 under the allocation", "£0.01 over", "exactly the allocation"."""
        variance = self.variance
        if variance is None:
            return "no forecast"
        if variance == 0:
            return "exactly the allocation"
        return f"{pounds(abs(variance))} {'under' if variance < 0 else 'over'} the allocation"

    @property
    def share_spent(self):
        """Spend to date as a percentage of the allocation (Decimal, one decimal place), None without one."""
        if not self.allocation:
            return None
        return (self.spent_to_date * HUNDRED / self.allocation).quantize(Decimal("0.1"))

    @property
    def state(self):
        if not self.allocation:
            return self.NO_ALLOCATION
        outturn = self.outturn
        if outturn is None:
            return self.NO_FORECAST
        if outturn < self.allocation * settings.FORECAST_UNDERSPEND_BELOW:
            return self.UNDERSPEND
        if outturn > self.allocation * settings.FORECAST_OVERSPEND_ABOVE:
            return self.OVERSPEND
        return self.ON_TRACK

    @property
    def flagged(self):
        return self.state in (self.UNDERSPEND, self.OVERSPEND)

    @property
    def tag(self):
        """The short words for a GOV.UK tag (never colour alone)."""
        return TAGS[self.state]

    @property
    def tag_class(self):
        return TAG_CLASSES[self.state]

    @property
    def label(self):
        """A sentence: "Likely underspend: £8,000.00 forecast of £10,000.00 allocated"."""
        if self.state == self.NO_ALLOCATION:
            return "No allocation to forecast against"
        if self.state == self.NO_FORECAST:
            return "No forecast: expected spend for the rest of the year not given"
        return f"{self.tag}: {pounds(self.outturn)} forecast of {pounds(self.allocation)} allocated"

    def __add__(self, other):
        """Two forecasts together (a borough's total); no forecast if either has none."""
        rest = (
            None
            if self.expected_rest is None or other.expected_rest is None
            else self.expected_rest + other.expected_rest
        )
        return Forecast(
            allocation=self.allocation + other.allocation,
            spent_to_date=self.spent_to_date + other.spent_to_date,
            expected_rest=rest,
            match_funding=self.match_funding + other.match_funding,
        )


TAGS = {
    Forecast.UNDERSPEND: "Likely underspend",
    Forecast.OVERSPEND: "Likely overspend",
    Forecast.ON_TRACK: "On track",
    Forecast.NO_ALLOCATION: "No allocation",
    Forecast.NO_FORECAST: "No forecast",
}
TAG_CLASSES = {
    Forecast.UNDERSPEND: "govuk-tag--yellow",
    Forecast.OVERSPEND: "govuk-tag--red",
    Forecast.ON_TRACK: "govuk-tag--green",
    Forecast.NO_ALLOCATION: "govuk-tag--grey",
    Forecast.NO_FORECAST: "govuk-tag--grey",
}
EMPTY = Forecast(allocation=ZERO, spent_to_date=ZERO, expected_rest=None)


def expected_rest(expected_spend, quarter):
    """The expected spend a forecast uses: 0 in Q4 (nothing left to spend), else as given (None if not)."""
    if quarter == LAST_QUARTER:
        return ZERO
    return expected_spend


def forecasts_for_tasks(tasks, quarter):
    """{project id: Forecast} for a return's tasks as its pages show them (returns.overview: live or as
    submitted; each task's `spend` SpendLine already summed in the database). One query, for live match funding;
    a return as submitted shows the match funding its snapshot kept (ProjectTask.match_funding), never today's."""
    live = [task.update.project_id for task in tasks if task.match_funding is None]
    funding = match_funding_by_project(live) if live else {}
    funding |= {task.update.project_id: task.match_funding for task in tasks if task.match_funding is not None}
    forecasts = {}
    for task in tasks:
        project_id = task.update.project_id
        forecasts[project_id] = task.forecast = Forecast(
            allocation=_money(task.spend.allocation),
            spent_to_date=_money(task.spend.to_date),
            expected_rest=expected_rest(task.update.expected_spend, quarter),
            match_funding=funding.get(project_id, ZERO),
        )
    return forecasts


def total_forecast(forecasts):
    """The borough's total over its projects' forecasts (no forecast if any project has none)."""
    total = None
    for forecast in forecasts:
        total = forecast if total is None else total + forecast
    return total or EMPTY


@dataclass
class ForecastSummary:
    lines: dict = field(default_factory=dict)  # {project id: Forecast}
    total: Forecast = EMPTY

    @property
    def flagged(self):
        return [forecast for forecast in self.lines.values() if forecast.flagged]


def forecast_summary(tasks, quarter):
    """Each task's Forecast (also set as `task.forecast`) and the borough's total: `ReturnOverview.forecast`."""
    lines = forecasts_for_tasks(tasks, quarter)
    return ForecastSummary(lines=lines, total=total_forecast(lines.values()))


def project_forecasts(return_):
    """{project id: Forecast} for every project task of `return_`, as its pages show it: a fixed number of queries."""
    overview = load_overview(return_)
    return forecasts_for_tasks(overview.tasks, return_.period.quarter)


def borough_forecasts(*, period, borough_ids=None):
    """{borough id: Forecast} for every active borough (or those of `borough_ids`: a page of the review grid, whose
    boroughs the grid has read as active already), over that year up to and including `period`'s quarter.

    A borough's projects for the year (`_in_year`) are those funded in it (ProjectYear, at that year's
    allocation), those a return of the year up to that quarter carries, and active projects with no
    ProjectYear (added since the year opened) that have started by the quarter's end. Spend to date sums the
    updates of the year's returns up to that quarter; the expected rest sums this quarter's updates and is
    None (no forecast) unless this quarter's return exists and every project task in it gave one (a partial
    sum would understate the outturn); in Q4 it is 0 once the return exists.
    Three queries (two for `borough_ids`), however many boroughs and projects.
    """
    year_id, quarter = period.year_id, period.quarter
    in_year = ProjectUpdate.objects.filter(return_of__period__year_id=year_id, return_of__period__quarter__lte=quarter)
    if borough_ids is None:
        boroughs = list(Borough.objects.active().values_list("pk", flat=True))
    else:
        boroughs = list(borough_ids)
        in_year = in_year.filter(return_of__borough_id__in=borough_ids)
    funded = ProjectYear.objects.filter(project=OuterRef("pk"), financial_year_id=year_id)
    started = Q(start_date__isnull=True) | Q(start_date__lte=period.end_date)
    added = Q(status=Project.Status.ACTIVE) & ~Exists(ProjectYear.objects.filter(project=OuterRef("pk"))) & started
    projects = Project.objects.filter(Exists(funded) | Exists(in_year.filter(project=OuterRef("pk"))) | added)
    if borough_ids is not None:
        projects = projects.filter(borough_id__in=borough_ids)

    # Allocations (the year's own for projects funded in it, the project's for the others) and match funding, in
    # one pass over the year's projects: deciding which projects those are is most of the work (at 300 boroughs
    # it cost more than the sums), so it is done once.
    year_allocation = ProjectYear.objects.filter(project=OuterRef("pk"), financial_year_id=year_id).order_by()
    project_funding = (
        MatchFunding.objects.filter(project=OuterRef("pk")).order_by().values("project").annotate(total=Sum("amount"))
    )
    money = {
        row["borough_id"]: row
        for row in projects.alias(
            year_allocation=Subquery(year_allocation.values("csf_allocation")[:1]),
            project_funding=Subquery(project_funding.values("total")),
        )
        .values("borough_id")
        .annotate(allocated=Sum(Coalesce("year_allocation", "csf_allocation")), funding=Sum("project_funding"))
        .order_by()
    }
    allocation = {borough_id: _money(row["allocated"]) for borough_id, row in money.items()}
    funding = {borough_id: _money(row["funding"]) for borough_id, row in money.items()}

    spend = {
        row["return_of__borough_id"]: row
        for row in in_year.values("return_of__borough_id")
        .annotate(
            spent=Sum("spend"),
            expected=Sum("expected_spend", filter=Q(return_of__period__quarter=quarter)),
            tasks=Count("pk", filter=Q(return_of__period__quarter=quarter)),
            given=Count("expected_spend", filter=Q(return_of__period__quarter=quarter)),
        )
        .order_by()
    }

    forecasts = {}
    for borough_id in boroughs:
        row = spend.get(borough_id)
        if not (row and row["tasks"]):
            rest = None  # no return for this quarter yet
        elif quarter == LAST_QUARTER:
            rest = ZERO
        elif row["given"] == row["tasks"]:
            rest = _money(row["expected"])
        else:
            rest = None
        forecasts[borough_id] = Forecast(
            allocation=allocation.get(borough_id, ZERO),
            spent_to_date=_money(row["spent"]) if row else ZERO,
            expected_rest=rest,
            match_funding=funding.get(borough_id, ZERO),
        )
    return forecasts
