"""Every list costs the same queries for 2 objects as for 20: related rows come with the page, not per row."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from boroughs.models import Borough, Membership
from returns.models import FinancialYear, IndicatorActual, PeriodExtension, ProjectYear, Return
from reviews.models import Annex, AnnexVersion, Visibility
from tests.api.conftest import flag, make_project, make_return


def years(n, **_):
    for start in range(2000, 2000 + n):
        FinancialYear.get_or_create_for_start(start)


def periods(n, **_):
    for start in range(2000, 2000 + -(-n // 4)):
        FinancialYear.get_or_create_for_start(start)[0].ensure_periods()


def boroughs(n, *, alice, **_):
    for i in range(n):
        borough = Borough.objects.create(name=f"B{i}", slug=f"b-{i}", partnership_name="CSP", ons_code=f"X{i:08d}")
        Membership.objects.create(user=alice, borough=borough)


def projects(n, *, birmingham, year, **_):
    for i in range(n):
        project = make_project(birmingham, f"Project {i}")
        ProjectYear.objects.create(project=project, financial_year=year, csf_allocation=Decimal("1000.50"))


def indicators(n, *, birmingham, year, alice, **_):
    for i in range(n):
        make_project(birmingham, f"Project {i}")
    for period in year.ensure_periods()[:2]:
        return_ = make_return(birmingham, period, by=alice)
        for update in return_.project_updates.all():
            for indicator in update.project.indicators.all():
                IndicatorActual.objects.create(update=update, indicator=indicator, value=Decimal("3.5"))


def returns(n, *, birmingham, alice, **_):
    make_project(birmingham)
    made = []
    for start in range(2000, 2000 + -(-n // 4)):
        made += FinancialYear.get_or_create_for_start(start)[0].ensure_periods()
    for period in made[:n]:
        make_return(birmingham, period, status=Return.Status.ACCEPTED, by=alice)
        PeriodExtension.objects.create(period=period, borough=birmingham, due_on=date(2030, 1, 1), reason="Why")


def flags(n, *, birmingham, year, alice, rita, **_):
    make_project(birmingham)
    return_ = make_return(birmingham, year.ensure_periods()[0], by=alice)
    for i in range(n):
        flag(return_, by=rita, visibility=Visibility.OPCC_ONLY if i % 2 else Visibility.SHARED)


def annex_versions(n, *, year, rita, **_):
    annex = Annex.objects.create(financial_year=year, title="Annex")
    for number in range(1, n + 1):
        AnnexVersion.objects.create(
            annex=annex, number=number, meeting_date=date(2027, 7, 1), published_by=rita, snapshot={}
        )


LISTS = {
    "years/": years,
    "periods/": periods,
    "boroughs/": boroughs,
    "projects/": projects,
    "indicators/": indicators,
    "returns/": returns,
    "flags/": flags,
    "annex-versions/": annex_versions,
}


def queries(api, path):
    with CaptureQueriesContext(connection) as captured:
        response = api.get(path)
    assert response.status_code == 200
    return len(captured), response.json()["count"]


@pytest.mark.parametrize("persona", ["rita", "alice"])
@pytest.mark.parametrize("path", list(LISTS))
def test_a_list_costs_the_same_for_2_and_20(request, api, year, birmingham, alice, rita, persona, path):
    build = LISTS[path]
    token = api(request.getfixturevalue(persona))
    token.get(path)  # the first use writes last_used; measure the steady state

    def measure(n):
        # Each size is built inside a savepoint and rolled back, so the two builds do not collide.
        point = transaction.savepoint_create()
        build(n, birmingham=birmingham, year=year, alice=alice, rita=rita)
        measured = queries(token, path)
        transaction.savepoint_rollback(point)
        return measured

    small, small_count = measure(2)
    assert small_count >= 1 or (path == "annex-versions/" and persona == "alice")
    large, large_count = measure(20)
    assert large_count > small_count or (path == "annex-versions/" and persona == "alice")
    assert small == large, f"{path}: {small} queries for {small_count} objects, {large} for {large_count}"
