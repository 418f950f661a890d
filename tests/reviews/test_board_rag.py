"""The board's RAG by Plan priority is worked out from plain rows (reviews.selectors.rag.update_rags), not from the
project pages' own objects: here it is compared with returns.overview.build_task (load_task) on each project's latest
update sent to the OPCC, the way the board used to count them."""

from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from boroughs.models import Borough
from returns.models import Plan, PlanPriority, Project, ProjectUpdate, Rag, Return
from returns.overview import load_task
from reviews.selectors.board import _rag_by_priority
from tests.reviews.conftest import make_return
from tests.reviews.rag_cases import PROJECTS, enter_values, make_projects


@pytest.fixture
def priorities(year):
    """A priority per project (its count is that project's RAG) and one they all serve."""
    plan = Plan.objects.create(name="Police and Crime Plan 2026-29")
    plan.years.add(year)
    everything = PlanPriority.objects.create(plan=plan, name="Everything", order=0)
    own = {
        name: PlanPriority.objects.create(plan=plan, name=name, order=n) for n, (name, *_) in enumerate(PROJECTS, 1)
    }
    return everything, own


def _fill(borough, periods, priorities, *, by, statuses, q2_rating=None):
    """The borough's projects, a Q1 and a Q2 return in `statuses`, each quarter's values; `q2_rating` replaces
    the officers' Q2 ratings ({project name: rating})."""
    everything, own = priorities
    ratings = {name: rating for name, _indicators, rating in PROJECTS} | (q2_rating or {})
    for name, project in make_projects(borough).items():
        project.priorities.add(everything, own[name])
    for period, status in zip(periods[:2], statuses, strict=True):
        return_ = make_return(borough, period, status=status, by=by)
        second = period == periods[1]
        enter_values(return_, second=second, ratings=ratings if second else {})


def _by_build_task(year):
    """{priority name: Counter of RAGs}: each project's latest update with the OPCC, judged by its own page."""
    latest = {}
    filed = (
        ProjectUpdate.objects.filter(return_of__period__year=year)
        .exclude(return_of__status=Return.Status.DRAFT)
        .select_related("return_of__period")
        .order_by("return_of__period__quarter", "pk")
    )
    for update in filed:
        latest[update.project_id] = update  # the later quarter last
    counts = {}
    for project_id, update in latest.items():
        rag = load_task(update).rag or "none"
        for priority in Project.objects.get(pk=project_id).priorities.all():
            counts.setdefault(priority.name, Counter())[rag] += 1
    return counts


@pytest.fixture
def filled(year, periods, priorities, west_midlands, birmingham, coventry, alice):
    SUBMITTED, ACCEPTED, DRAFT = Return.Status.SUBMITTED, Return.Status.ACCEPTED, Return.Status.DRAFT
    _fill(birmingham, periods, priorities, by=alice, statuses=(ACCEPTED, SUBMITTED))
    # Q2 is a draft: Q1 is each project's latest filed update, and the draft's rating is not read.
    _fill(coventry, periods, priorities, by=alice, statuses=(SUBMITTED, DRAFT), q2_rating={"Referrals": Rag.GREEN})
    # Q1 is a draft and Q2 filed: the page's year to date reads the draft's values too.
    _fill(west_midlands.get(slug="dudley"), periods, priorities, by=alice, statuses=(DRAFT, SUBMITTED))


def test_rag_by_priority_counts_what_build_task_gives_each_projects_latest_update(year, filled):
    expected = _by_build_task(year)
    rows = {row.priority: row for row in _rag_by_priority(year)}
    assert set(rows) == set(expected)
    for name, row in rows.items():
        want = expected[name]
        assert (row.red, row.amber, row.green, row.not_rated) == (
            want[Rag.RED],
            want[Rag.AMBER],
            want[Rag.GREEN],
            want["none"],
        ), name
    # The data tells the rules apart: every colour and "not rated" turn up, and each quarter's rule shows.
    assert expected["Everything"] == {Rag.RED: 5, Rag.AMBER: 8, Rag.GREEN: 6, "none": 5}
    # Referrals: amber by Q2's year to date in Birmingham and Dudley (Dudley's draft Q1 counted), Coventry's
    # latest filed is Q1 (30 against 25/37.5: amber), its draft's green rating unread.
    assert expected["Referrals"] == {Rag.AMBER: 3}
    # Satisfaction: a percentage is the quarter's own value: Q2's 70 amber twice, Coventry's Q1 90 green.
    assert expected["Satisfaction"] == {Rag.AMBER: 2, Rag.GREEN: 1}
    # The officer's rating in the two filed Q2s; Coventry's Q1 by its indicator. Nothing entered in Q2: not rated.
    assert expected["Patrols"] == {Rag.RED: 2, Rag.GREEN: 1}
    assert expected["Street lighting"] == {"none": 2, Rag.GREEN: 1}
    assert expected["Mediation"] == {"none": 3}


def test_rag_by_priority_costs_the_same_queries_however_many_projects(year, periods, priorities, filled, alice):
    with CaptureQueriesContext(connection) as few:
        _rag_by_priority(year)
    for borough in Borough.objects.exclude(slug__in=["birmingham", "coventry", "dudley"]):
        _fill(borough, periods, priorities, by=alice, statuses=(Return.Status.SUBMITTED, Return.Status.SUBMITTED))
    with CaptureQueriesContext(connection) as many:
        _rag_by_priority(year)
    assert len(many) == len(few) == 4  # the priorities, the updates with indicators, the actuals, the links
