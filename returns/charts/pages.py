"""The charts a page shows, loaded in bulk: a fixed number of queries however many projects or indicators.

- `project_charts`: the project page (each indicator's trend, with last year's line; spend against allocation).
- `return_indicator_charts`: a return's project section (the officer's task page, the reviewer's project cards):
  the quarter the return reports comes from its own task rows (a submitted return's from its snapshot),
  the earlier quarters and last year from the borough's other returns.
- `borough_charts`: the borough's returns page (each project's RAG by quarter; spend to date against the
  borough's allocation), read through `load_overview` and `returns/spend.py`, the same as the return pages.

The same project continues from year to year (`ProjectYear` records each year it is funded in), and its
indicators with it, so "last year" is the same indicator's actuals in the borough's returns of the year before.

Drawing is what these pages spend their time on, not queries: pygal takes about 6 ms a chart, and a return of 15
projects has some 40 indicators, so the reviewer's return page took 0.3-0.5 s at any number of boroughs. A chart is
a pure function of its figures, so `_remembered` keeps the latest ones drawn in this process, keyed by everything
that goes into them (the indicator's every field, the figures, the labels): a change to any of them draws afresh.
The reviewer's return page goes further: it shows each chart's outline (its title, summary and figures table)
and draws a project's charts only when the reader opens them (`drawn=False`; reviews' `return_project_charts`),
so even a process's first view of a return no longer draws every chart of every project.
"""

import threading
from collections import OrderedDict
from typing import NamedTuple

from django.db.models import Q, Sum

from ..models import FinancialYear, IndicatorActual, ProjectUpdate, ProjectYear, Return
from ..overview import load_overview
from ..spend import PENNY
from .indicators import indicator_chart
from .outline import indicator_outline
from .rag import rag_chart
from .spend import spend_chart


class LastYear(NamedTuple):
    """The year before the one charted, as its figures name it: all a chart needs of it."""

    pk: int
    label: str


def _actuals(borough_id, indicator_ids, year, *, before=None):
    """({(indicator id, year id): {quarter: value}}, LastYear or None) from the borough's returns of `year` and
    of the year before it: one query, which finds that year too.

    The year before is known from its figures: with none there is no last year's line or column to show, and a
    chart given no last year is the same chart. `before` = (year id, quarter) leaves out that year's quarters
    from `quarter` on.
    """
    year_before = FinancialYear.objects.filter(start_date__lt=year.start_date).order_by("-start_date").values("pk")
    period = "update__return_of__period"
    rows = (
        IndicatorActual.objects.filter(indicator_id__in=indicator_ids, update__return_of__borough_id=borough_id)
        .filter(Q(**{f"{period}__year": year}) | Q(**{f"{period}__year__in": year_before[:1]}))
        .values_list("indicator_id", f"{period}__year_id", f"{period}__year__label", f"{period}__quarter", "value")
    )
    found, last = {}, None
    for indicator_id, year_id, label, quarter, value in rows:
        if year_id != year.pk:
            last = LastYear(year_id, label)
        if before and year_id == before[0] and quarter >= before[1]:
            continue
        found.setdefault((indicator_id, year_id), {})[quarter] = value
    return found, last


# Charts kept per process: about 20 KB each (both SVG copies), so at most some 10 MB a worker.
REMEMBERED_CHARTS = 512
_charts = OrderedDict()
_charts_lock = threading.Lock()


def _remembered(content, draw):
    """The chart drawn from `content` (a hashable key of everything it shows), drawn by `draw()` if not kept.

    Callers must not change a chart they get: the same object goes to every page that shows those figures.
    """
    with _charts_lock:
        chart = _charts.get(content)
        if chart is not None:
            _charts.move_to_end(content)
            return chart
    chart = draw()
    with _charts_lock:
        _charts[content] = chart
        while len(_charts) > REMEMBERED_CHARTS:
            _charts.popitem(last=False)
    return chart


def _fields(instance):
    # Every field, not only those the chart reads today: a new one read later can never be served stale.
    return tuple((f.attname, getattr(instance, f.attname)) for f in instance._meta.concrete_fields)


def _trend(indicator, actuals, year, last, *, compact=False, this_quarter=None, drawn=True):
    """The indicator's trend chart; `drawn=False`: its outline (returns/charts/outline.py), no SVG."""
    this_year = dict(actuals.get((indicator.pk, year.pk), {}))
    if this_quarter is not None:
        this_year[this_quarter[0]] = this_quarter[1]
    options = {
        "key": f"indicator-{indicator.pk}",
        "year_label": year.label,
        "actuals": this_year,
        "last_year": actuals.get((indicator.pk, last.pk), {}) if last else {},
        "last_year_label": last.label if last else "",
        "compact": compact,
    }
    if not drawn:
        return indicator_outline(indicator, **options)
    content = (
        "trend",
        _fields(indicator),
        *(
            (name, tuple(sorted(value.items())) if isinstance(value, dict) else value)
            for name, value in options.items()
        ),
    )
    return _remembered(content, lambda: indicator_chart(indicator, **options))


def chart_year(project):
    """The year the project page charts: the open year covering today, else the latest the project reported in."""
    return FinancialYear.current() or (
        FinancialYear.objects.filter(periods__returns__project_updates__project=project)
        .order_by("-start_date")
        .first()
    )


def project_charts(project, indicators, year):
    """{"indicators": [Chart], "spend": Chart} for `year` (None: no charts)."""
    if year is None:
        return {"indicators": [], "spend": None}
    actuals, last = _actuals(project.borough_id, [i.pk for i in indicators], year)
    return {
        "indicators": [_trend(indicator, actuals, year, last) for indicator in indicators],
        "spend": _project_spend(project, year),
    }


def _project_spend(project, year):
    funded = ProjectYear.objects.filter(project=project, financial_year=year).first()
    allocation = funded.csf_allocation if funded else project.csf_allocation
    rows = (
        ProjectUpdate.objects.filter(
            project=project, return_of__borough_id=project.borough_id, return_of__period__year=year
        )
        .values("return_of__period__quarter")
        .annotate(spent=Sum("spend"))
        .order_by("return_of__period__quarter")
    )
    spend, to_date = {}, 0
    for row in rows:
        if row["spent"] is None:  # the quarter's return has no spend entered: a gap
            continue
        # Pennies exactly: SQLite sums decimals as floats (as in returns/spend.py).
        this_quarter = row["spent"].quantize(PENNY)
        to_date += this_quarter
        spend[row["return_of__period__quarter"]] = (this_quarter, to_date)
    return spend_chart(
        key=f"spend-{project.pk}",
        title=f"{project.name}: spend against the allocation, {year.label}",
        year_label=year.label,
        allocation=allocation,
        spend=spend,
    )


def return_indicator_charts(return_, tasks, *, compact=False, drawn=True):
    """{project id: [Chart]} for the tasks of `return_` (its overview's, or one from `load_task`).

    `drawn=False` gives each chart's outline, no SVG: the reviewer's return page, which fetches a project's
    drawings (`return_project_charts`) only when the reader opens its charts.
    """
    year, quarter = return_.period.year, return_.period.quarter
    indicators = [row.indicator.pk for task in tasks for row in task.indicators]
    actuals, last = _actuals(return_.borough_id, indicators, year, before=(year.pk, quarter))
    return {
        task.project.pk: [
            _trend(row.indicator, actuals, year, last, compact=compact, this_quarter=(quarter, row.value), drawn=drawn)
            for row in task.indicators
        ]
        for task in tasks
    }


def borough_charts(borough, year):
    """[RAG by quarter, spend against allocation] for the borough's returns of `year` ([] before its first)."""
    if year is None:
        return []
    # With their snapshots: a submitted return's overview is what it reported.
    returns = (
        Return.objects.filter(borough=borough, period__year=year)
        .with_snapshot()
        .select_related("period__year", "borough")
    )
    overviews = {r.period.quarter: load_overview(r) for r in returns}
    if not overviews:
        return []
    ratings, names = {}, {}
    for quarter, overview in sorted(overviews.items()):
        for task in overview.tasks:
            names[task.project.pk] = task.project.name
            ratings.setdefault(task.project.pk, {})[quarter] = task.rag or ""
    rows = sorted(((names[pk], ratings[pk]) for pk in ratings), key=lambda row: row[0].lower())
    spend = {
        quarter: (overview.spend.total.this_quarter, overview.spend.total.to_date)
        for quarter, overview in overviews.items()
        if any(task.update.spend is not None for task in overview.tasks)
    }
    latest = overviews[max(overviews)]
    return [
        rag_chart(key="borough-rag", year_label=year.label, rows=rows, reported=set(overviews)),
        spend_chart(
            key="borough-spend",
            title=f"{borough.name}: spend against the allocation, {year.label}",
            year_label=year.label,
            allocation=latest.spend.total.allocation,
            spend=spend,
        ),
    ]
