"""Spend to date has one rule and one sum (returns/spend.py), whichever path reads it: the return pages'
`load_overview` (its earlier quarters summed as a subquery of the task list's own query, or read from a snapshot)
and `spend_to_date` (one query of its own: the form's check, `take_snapshot`). The two must agree to the penny for
every return of a borough's year, whatever state each return is in."""

from decimal import Decimal

import pytest

from returns.models import FinancialYear, ProjectUpdate, Return
from returns.overview import load_overview
from returns.services import return_start, return_submit
from returns.spend import SpendLine, spend_to_date
from reviews.services.review import return_accept, return_request_changes

from .conftest import complete_everything, make_project

D = Decimal
ALLOCATION = D("40000.00")  # every project of the fixtures


def set_spend(return_, name, amount):
    ProjectUpdate.objects.filter(return_of=return_, project__name=name).update(
        spend=None if amount is None else D(amount)
    )


@pytest.fixture
def a_year_of_returns(birmingham, coventry, alice, rita, year, projects):
    """Birmingham's four returns of 2026-27 in four states: Q1 accepted, Q2 sent back for changes (live again),
    Q3 submitted (read from its snapshot), Q4 a draft. A project joins from Q3, one quarter has no spend given,
    and spend that must not count: last year's, and Coventry's. Returns {quarter: return}."""
    returns = {}
    for quarter in (1, 2):
        returns[quarter] = return_start(borough=birmingham, period=year.periods.get(quarter=quarter), by=alice)
    make_project(birmingham, "Night-time economy")
    for quarter in (3, 4):
        returns[quarter] = return_start(borough=birmingham, period=year.periods.get(quarter=quarter), by=alice)
    spend = {
        1: {"Youth violence prevention": "10000.01", "Business crime": "250.10"},
        2: {"Youth violence prevention": "9999.99", "Business crime": None},
        3: {"Youth violence prevention": "12000.50", "Business crime": "300.00", "Night-time economy": "4000.04"},
        4: {"Youth violence prevention": "8000.25", "Business crime": "125.75", "Night-time economy": "999.96"},
    }
    for quarter, amounts in spend.items():
        for name, amount in amounts.items():
            set_spend(returns[quarter], name, amount)

    last_year, _ = FinancialYear.get_or_create_for_start(2025)
    last_year.ensure_periods()
    old = Return.objects.create(borough=birmingham, period=last_year.periods.get(quarter=1), started_by=alice)
    for project in projects:
        ProjectUpdate.objects.create(return_of=old, project=project, spend=D("55555.55"))
    theirs = return_start(borough=coventry, period=year.periods.get(quarter=1), by=alice)
    ProjectUpdate.objects.create(
        return_of=theirs, project=make_project(coventry, "Youth violence prevention"), spend=D("77777.77")
    )

    for quarter in (1, 2, 3):
        complete_everything(returns[quarter])
        returns[quarter] = return_submit(return_=returns[quarter], by=alice)
    return_accept(return_=returns[1], by=rita)
    return_request_changes(return_=returns[2], by=rita, reason="Say more about outcomes.")
    for return_ in returns.values():
        return_.refresh_from_db()
    return returns


def test_the_return_pages_and_spend_to_date_agree_in_every_quarter_and_state(a_year_of_returns):
    returns = a_year_of_returns
    assert [returns[q].status for q in (1, 2, 3, 4)] == [
        Return.Status.ACCEPTED,
        Return.Status.CHANGES_REQUESTED,
        Return.Status.SUBMITTED,
        Return.Status.DRAFT,
    ]
    for quarter, return_ in returns.items():
        shown = load_overview(return_).spend
        assert shown.lines, quarter
        summed = spend_to_date(return_, load_overview(return_).tasks)
        assert (shown.lines, shown.total) == (summed.lines, summed.total), f"Q{quarter}"


def test_the_figures_both_give_are_the_earlier_quarters_and_this_ones(a_year_of_returns, projects):
    """The agreement above is not two wrong sums alike: Q4's figures, worked out by hand."""
    q4 = a_year_of_returns[4]
    youth, business = projects
    late = q4.project_updates.get(project__name="Night-time economy").project_id
    expected = {
        youth.pk: SpendLine(ALLOCATION, before=D("32000.50"), this_quarter=D("8000.25")),
        business.pk: SpendLine(ALLOCATION, before=D("550.10"), this_quarter=D("125.75")),
        late: SpendLine(ALLOCATION, before=D("4000.04"), this_quarter=D("999.96")),
    }
    overview = load_overview(q4)
    assert overview.spend.lines == expected
    assert spend_to_date(q4, overview.tasks).lines == expected
    assert overview.spend.total == SpendLine(3 * ALLOCATION, before=D("36550.64"), this_quarter=D("9125.96"))
    assert {task.update.project_id: task.spend for task in overview.tasks} == expected
