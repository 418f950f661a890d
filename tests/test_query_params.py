"""Query-string parameters are input like any other: junk gives a clean 404 or the page, never a 500.

Every view reading request.GET is here, with the values a scanner or a mangled link sends: words where
numbers go, numbers too big for any column, negatives, NUL characters (which PostgreSQL refuses in text),
digits Python's isdigit() accepts but int() does not, and blanks.
"""

import pytest
from django.test import Client

from returns.models import FinancialYear, Plan, PlanPriority
from reviews.models import AnnexColumn, FlagType
from reviews.reference import ensure_flag_types
from tests.reviews.conftest import make_project, make_return

pytestmark = pytest.mark.django_db

GARBAGE = ["abc", "9" * 30, "-1", "\x00", "1\x00", "2026-27\x00", "²", "1.5", "1 2", "%00", "x" * 5000]


@pytest.fixture
def client():
    # A 500 must show up as a status code here, not as the exception re-raised into the test.
    return Client(raise_request_exception=False)


@pytest.fixture
def year(db):
    year, _ = FinancialYear.get_or_create_for_start(2026)
    year.ensure_periods()
    AnnexColumn.ensure_for_year(year)
    ensure_flag_types(FlagType)
    return year


@pytest.fixture
def priority(year):
    plan = Plan.objects.create(name="Police and Crime Plan 2026-29")
    plan.years.add(year)
    return PlanPriority.objects.create(plan=plan, name="Domestic abuse and violence")


def _get(client, path, params):
    response = client.get(path, params)
    assert response.status_code != 500, (path, params)
    return response


@pytest.mark.parametrize("value", GARBAGE)
@pytest.mark.parametrize("path", ["/review/evidence-quality/", "/review/themes/"])
def test_a_junk_year_on_the_review_pages_is_not_found(client, rita, year, path, value):
    client.force_login(rita)
    assert _get(client, path, {"year": value}).status_code == 404
    assert _get(client, path, {"year": year.label}).status_code == 200


@pytest.mark.parametrize("value", [*GARBAGE, " "])
def test_a_junk_priority_is_not_found(client, rita, priority, year, value):
    client.force_login(rita)
    assert _get(client, "/review/themes/", {"year": year.label, "priority": value}).status_code == 404
    assert _get(client, "/review/themes/", {"year": year.label, "priority": priority.pk}).status_code == 200


def test_blank_parameters_mean_none_chosen(client, rita, priority, year):
    client.force_login(rita)
    response = _get(client, "/review/themes/", {"year": " ", "priority": ""})
    assert response.status_code == 200
    assert response.context["year"] == year  # the current one
    assert response.context["priority"] is None
    assert "Domestic abuse and violence" in response.text  # offered in the list
    assert _get(client, "/review/evidence-quality/", {"year": ""}).context["year"] == year


def test_who_may_look_is_checked_before_the_parameters(client, charlie, alice, year):
    for persona, status in [(charlie, 403), (alice, 404)]:
        client.force_login(persona)
        for path in ("/review/evidence-quality/", "/review/themes/"):
            assert _get(client, path, {"year": "abc", "priority": "abc"}).status_code == status


@pytest.mark.parametrize("value", GARBAGE)
def test_a_junk_search_shows_the_page(client, alice, value):
    client.force_login(alice)
    assert _get(client, "/search/", {"q": value}).status_code == 200


def test_a_search_with_a_nul_character_says_what_is_wrong(client, alice):
    client.force_login(alice)
    response = _get(client, "/search/", {"q": "violence\x00"})
    assert response.status_code == 200
    assert "Search terms cannot contain null characters" in response.text


@pytest.mark.parametrize("value", GARBAGE)
def test_a_junk_year_on_the_borough_returns_page_is_not_found(client, alice, year, value):
    client.force_login(alice)
    assert _get(client, "/boroughs/birmingham/returns/", {"year": value}).status_code == 404


@pytest.mark.parametrize("value", GARBAGE)
def test_a_junk_flag_target_shows_the_form(client, rita, year, birmingham, alice, value):
    make_project(birmingham)
    return_ = make_return(birmingham, year.ensure_periods()[0], by=alice)
    client.force_login(rita)
    assert _get(client, f"/review/returns/{return_.pk}/flags/add/", {"target": value}).status_code == 200
