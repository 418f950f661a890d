"""Page loads never create years or periods: only an admin's "open the year", the demo and the annex import do.

On a service with no open year, every page that needs the current year answers 200 and says so, and
offers an admin the way to open one; a year label that does not exist is a 404.
"""

import pytest
from django.utils import timezone

from returns.models import FinancialYear, ReportingPeriod

NO_YEAR = "No financial year is open for today."
OPEN_LINK = 'href="/years/open/"'


def _rows():
    return (
        list(FinancialYear.objects.values_list("pk", "label")),
        list(ReportingPeriod.objects.values_list("pk", flat=True)),
    )


@pytest.fixture
def empty(db):
    """No open year: only a past year with no periods, like the one the Plan migration or an annex import makes.

    Made here rather than relied on from the migration: a transactional test run earlier flushes migration data.
    """
    FinancialYear.get_or_create_for_start(2015)
    assert not ReportingPeriod.objects.exists()
    return _rows()


@pytest.mark.parametrize(
    ("persona", "path"),
    [
        ("rita", "/review/"),
        ("adam", "/review/"),
        ("alice", "/boroughs/birmingham/returns/"),
        ("adam", "/boroughs/birmingham/returns/"),
        ("alice", "/boroughs/birmingham/"),
        ("adam", "/boroughs/birmingham/"),
    ],
)
def test_a_page_needing_the_current_year_says_there_is_none_and_writes_nothing(client, request, empty, persona, path):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200
    assert NO_YEAR in response.text
    # The admin is offered the action that opens a year; nobody else is.
    assert (OPEN_LINK in response.text) == (persona == "adam")
    assert _rows() == empty


@pytest.mark.parametrize(
    ("persona", "path"),
    [
        ("alice", "/boroughs/birmingham/projects/"),
        ("alice", "/boroughs/birmingham/projects/add/"),
        ("rita", "/review/evidence-quality/"),
        ("rita", "/review/themes/"),
        ("rita", "/annex/"),
        ("adam", "/years/"),
        ("adam", "/years/open/"),
        ("rita", "/review/?year=2015-16"),
    ],
)
def test_other_pages_load_without_a_year_and_write_nothing(client, request, empty, persona, path):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(path).status_code == 200
    assert _rows() == empty


@pytest.mark.parametrize(
    ("persona", "path"),
    [
        ("rita", "/review/?year=2031-32"),
        ("alice", "/boroughs/birmingham/returns/?year=2031-32"),
        ("alice", "/boroughs/birmingham/returns/?year=2015-16"),  # exists, but was never open
        ("rita", "/review/roll-up/birmingham/2031-32/"),
    ],
)
def test_a_year_that_does_not_exist_is_not_found_and_not_created(client, request, empty, persona, path):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(path).status_code == 404
    assert _rows() == empty


def test_with_a_year_open_pages_create_no_missing_periods(client, rita, alice, empty):
    year, _ = FinancialYear.get_or_create_for_start(FinancialYear.start_year_for(timezone.localdate()))
    ReportingPeriod.objects.create(year=year, quarter=1, **ReportingPeriod.default_dates(year, 1))
    before = _rows()
    client.force_login(rita)
    page = client.get("/review/")
    assert page.status_code == 200
    assert NO_YEAR not in page.text
    assert f"Returns for {year.label}" in page.text
    client.force_login(alice)
    assert client.get("/boroughs/birmingham/returns/").status_code == 200
    assert _rows() == before  # Q2 to Q4 stay missing until an admin creates them
