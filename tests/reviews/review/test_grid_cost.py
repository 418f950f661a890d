"""Issue 12: what the grid costs, and that its cheaper ways give the same figures.

The summary's RAG counts are worked out from plain rows (reviews.selectors.grid._rag_counts) rather than from
the project pages' own objects (returns.overview.build_task), so they are compared here with build_task project by
project: counts and percentages, higher and lower is better, several indicators, a value missing this quarter, an
officer's own rating, and a draft (not counted).
"""

from collections import Counter
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from returns.models import ProjectUpdate, Rag, Return
from returns.overview import _history, build_task, project_updates
from reviews.selectors.grid import build_grid
from tests.reviews.conftest import make_return
from tests.reviews.rag_cases import PROJECTS, enter_values, make_projects


@pytest.fixture
def q2(periods):
    """Q2 is the current quarter whatever today is: Q1 and Q2 have opened, Q3 and Q4 not yet."""
    for period in periods:
        period.opens_on = date(2000, 1, 1) if period.quarter <= 2 else date(2100, 1, 1)
        period.save(update_fields=["opens_on"])
    return periods[1]


def _fill(borough, periods, *, by, q2_status=Return.Status.SUBMITTED, scale=1):
    make_projects(borough, scale=scale)
    ratings = {name: rating for name, _indicators, rating in PROJECTS}
    for period, status in ((periods[0], Return.Status.ACCEPTED), (periods[1], q2_status)):
        return_ = make_return(borough, period, status=status, by=by)
        second = period == periods[1]
        enter_values(return_, second=second, ratings=ratings if second else {})


def _by_build_task(borough, period):
    """The RAG of each project as its own page works it out, counted: the rule the grid must agree with."""
    return_ = Return.objects.filter(borough=borough, period=period).exclude(status=Return.Status.DRAFT).first()
    if return_ is None:
        return Counter()
    history = _history(return_)
    return Counter(
        rag for update in project_updates(return_) if (rag := build_task(update, history, period.quarter).rag)
    )


def test_the_summarys_rag_counts_are_build_tasks(rita, alice, west_midlands, birmingham, coventry, periods, q2, year):
    dudley = west_midlands.get(slug="dudley")
    _fill(birmingham, periods, by=alice)
    _fill(coventry, periods, by=alice, scale=2)
    _fill(dudley, periods, by=alice, q2_status=Return.Status.DRAFT)  # a draft's projects are not counted

    grid = build_grid(rita, year)
    assert grid.current == q2
    summary = {row.borough.slug: row for row in grid.summary}
    for borough in (birmingham, coventry, dudley):
        expected = _by_build_task(borough, q2)
        row = summary[borough.slug]
        assert (row.red, row.amber, row.green) == (expected[Rag.RED], expected[Rag.AMBER], expected[Rag.GREEN])
    # The data does tell the rules apart: every colour, and the draft counted as nothing.
    assert (summary["birmingham"].red, summary["birmingham"].amber, summary["birmingham"].green) == (2, 3, 1)
    assert (summary["dudley"].red, summary["dudley"].amber, summary["dudley"].green) == (0, 0, 0)


def test_building_the_grid_costs_a_fixed_number_of_queries(rita, alice, birmingham, coventry, periods, q2, year):
    """The periods, every borough's status keys with each quarter's return and extension (counted, filtered and
    paged in Python), the page's open flags; the summary worked out once (returns.forecast.borough_forecasts, its
    own count, and the RAG rows, two) and then read from the board's cache (its generation and the kept figures
    together, in one read)."""
    _fill(birmingham, periods, by=alice)
    _fill(coventry, periods, by=alice)
    with CaptureQueriesContext(connection) as first:
        build_grid(rita, year)  # rita's permissions, once; the summary worked out and kept
    with CaptureQueriesContext(connection) as captured:
        build_grid(rita, year)
    with CaptureQueriesContext(connection) as forecasts:
        from returns.forecast import borough_forecasts

        borough_forecasts(period=q2, borough_ids=[birmingham.pk, coventry.pk])
    # The page's boroughs are read as active already: the forecasts' own two queries are the sums.
    assert len(forecasts) == 2
    assert len(captured) == 1 + 1 + 1 + 1
    worked_out = [query["sql"] for query in first.captured_queries if "django_cache" not in query["sql"]]
    assert sum("returns_projectupdate" in sql for sql in worked_out) == 4  # the forecasts' two, the RAG's two
    assert not any("returns_projectupdate" in query["sql"] for query in captured.captured_queries)


def test_the_kept_summary_changes_when_what_it_shows_does(rita, alice, birmingham, coventry, periods, q2, year):
    _fill(birmingham, periods, by=alice)
    _fill(coventry, periods, by=alice)
    before = {row.borough.slug: (row.red, row.amber, row.green) for row in build_grid(rita, year).summary}
    patrols = ProjectUpdate.objects.get(return_of__borough=birmingham, return_of__period=q2, project__name="Patrols")
    assert patrols.rag_override == Rag.RED
    patrols.rag_override = Rag.GREEN
    patrols.save()  # as a return's form saves it: the board's figures, and the grid's summary, move on
    after = {row.borough.slug: (row.red, row.amber, row.green) for row in build_grid(rita, year).summary}
    red, amber, green = before["birmingham"]
    assert after["birmingham"] == (red - 1, amber, green + 1)
    assert after["coventry"] == before["coventry"]
