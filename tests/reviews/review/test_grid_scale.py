"""Issue 12 for the grid: the same number of queries at 7 boroughs as at 70 (two pages), whatever the returns'
states, the filters or the page; and a page never holds more than PAGE_SIZE boroughs however many there are."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from boroughs.models import Borough
from returns.forecast import borough_forecasts
from returns.models import IndicatorActual, PeriodExtension, Return
from returns.services import period_close, period_reopen
from reviews.models import FlagType
from reviews.selectors.grid import PAGE_SIZE
from reviews.services import review as services
from tests.reviews.conftest import make_project, make_return

S = Return.Status
# Q1 and Q2 hold a return in each state (or none); Q3 is closed; Q4 has not opened.
STATES = [S.DRAFT, S.SUBMITTED, S.CHANGES_REQUESTED, S.RESUBMITTED, S.ACCEPTED, None]


@pytest.fixture(autouse=True)
def today(monkeypatch):
    day = date(2027, 1, 20)
    monkeypatch.setattr(timezone, "localdate", lambda *args: day)
    return day


def _fill(boroughs, periods, *, alice, adam, rita, columns):
    q1, q2, q3, q4 = periods
    q4.opens_on = date(2027, 3, 31)
    q4.save(update_fields=["opens_on"])
    q3.refresh_from_db()
    if q3.is_closed:
        period_reopen(period=q3, by=adam, reason="Late returns")
        q3.refresh_from_db()
    for i, borough in enumerate(boroughs):
        project = make_project(borough, f"Project of {borough.name}")
        for period, state in ((q1, STATES[i % 6]), (q2, STATES[(i + 2) % 6]), (q3, STATES[(i + 4) % 6])):
            if state is None:
                continue
            return_ = make_return(borough, period, status=state, by=alice)
            update = return_.project_updates.get()
            update.spend, update.expected_spend = Decimal("1000.50"), Decimal("4000")
            update.save(update_fields=["spend", "expected_spend"])
            IndicatorActual.objects.create(update=update, indicator=project.indicators.get(), value=Decimal(40 + i))
            if state != S.DRAFT and i % 2:
                services.flag_raise(
                    return_=return_,
                    flag_type=FlagType.objects.first(),
                    column=columns["alignment"],
                    visibility="opcc",
                    by=rita,
                )
        if i % 3 == 0:
            PeriodExtension.objects.create(period=q2, borough=borough, due_on=date(2027, 2, 1), reason="Late data")
    q3.refresh_from_db()
    period_close(period=q3, by=adam, reason="Year-end")


def _count(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
        assert response.status_code == 200
    return len(context), response.text


def _counts(client, url):
    """The page's queries with its summary worked out (the cache emptied), then read from the cache."""
    cache.clear()
    return _count(client, url)[0], _count(client, url)[0]


URLS = [
    "/review/?year=2026-27",
    "/review/?year=2026-27&sort=-forecast",
    "/review/?year=2026-27&status=overdue",
    "/review/?year=2026-27&status=submitted&quarter=2",
    "/review/?year=2026-27&borough=o&page=2",
    "/review/?year=2026-27&page=2",
]


def test_the_grid_costs_the_same_at_7_and_70_boroughs(client, rita, alice, adam, west_midlands, periods, columns):
    _fill(list(west_midlands), periods, alice=alice, adam=adam, rita=rita, columns=columns)
    client.force_login(rita)
    client.get(URLS[0])  # the session and the cached permissions, once
    few = {url: _counts(client, url) for url in URLS}

    Borough.objects.bulk_create(
        Borough(name=f"Town {i:02d}", slug=f"town-{i:02d}", partnership_name=f"Town {i:02d} CSP", ons_code=f"X{i:08d}")
        for i in range(63)
    )
    towns = list(Borough.objects.filter(slug__startswith="town-").order_by("slug"))
    _fill(towns, periods, alice=alice, adam=adam, rita=rita, columns=columns)
    assert Borough.objects.active().count() == 70
    assert set(Return.objects.values_list("status", flat=True)) == set(S)
    many = {}
    for url in URLS:
        many[url] = _counts(client, url)
        assert _count(client, url)[1].count('<tr class="govuk-table__row" id="grid-') <= PAGE_SIZE
    assert many == few
    assert all(warm < cold for cold, warm in few.values())  # the summary read from the board's cache
    # The filtered and paged pages did find boroughs at both sizes (an empty page can skip queries).
    assert "Town " in _count(client, "/review/?year=2026-27&page=2")[1]


def test_a_pages_forecasts_are_the_same_as_for_every_borough(rita, alice, adam, west_midlands, periods, columns):
    """The grid asks returns.forecast for its page's boroughs only: the figures must not change by being asked so."""
    _fill(list(west_midlands), periods, alice=alice, adam=adam, rita=rita, columns=columns)
    everyone = borough_forecasts(period=periods[1])
    some = [b.pk for b in west_midlands.filter(slug__in=["birmingham", "dudley", "walsall"])]
    assert borough_forecasts(period=periods[1], borough_ids=some) == {pk: everyone[pk] for pk in some}
    assert {everyone[pk].spent_to_date for pk in some} != {Decimal(0)}
