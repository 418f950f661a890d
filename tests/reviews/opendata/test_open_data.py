"""Open grants data: public, published-only, in the 360Giving shape, as JSON and CSV."""

import csv
import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from returns.models import Project, ProjectYear
from reviews.models import FlagType, Visibility
from reviews.services import review as review_services
from reviews.services.annex import annex_publish, annex_start
from tests.reviews.conftest import make_project, make_return

OPCC_ONLY = "Quokka-internal-note"


@pytest.fixture
def published(year, periods, columns, birmingham, coventry, alice, bob, rita):
    youth = make_project(birmingham, name="Youth diversion")
    advocacy = make_project(coventry, name="Domestic abuse advocacy")
    advocacy.description = '=HYPERLINK("http://evil")'
    advocacy.save()
    ProjectYear.objects.create(project=youth, financial_year=year, csf_allocation=Decimal("12500.50"))
    b_return = make_return(birmingham, periods[0], by=alice)
    make_return(coventry, periods[0], by=bob)
    review_services.flag_raise(
        return_=b_return,
        flag_type=FlagType.objects.first(),
        project=youth,
        note=OPCC_ONLY,
        visibility=Visibility.OPCC_ONLY,
        by=rita,
    )
    annex = annex_start(year=year, by=rita).annex
    version = annex_publish(annex=annex, meeting_date=date(2027, 7, 12), by=rita)
    return {"year": year, "version": version, "youth": youth, "advocacy": advocacy}


def grants_of(client, label):
    response = client.get(f"/open-data/{label}/grants.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return json.loads(b"".join(response.streaming_content) if response.streaming else response.content)


@pytest.mark.django_db
def test_the_page_needs_no_sign_in_and_links_each_published_year(client, published):
    response = client.get("/open-data/")
    assert response.status_code == 200
    page = response.content.decode()
    label = published["year"].label
    assert f"/open-data/{label}/grants.json" in page
    assert f"/open-data/{label}/grants.csv" in page


@pytest.mark.django_db
def test_every_page_links_the_open_data_in_its_footer(client):
    assert 'href="/open-data/"' in client.get("/accessibility/").content.decode()


@pytest.mark.django_db
def test_the_json_holds_the_published_projects_with_their_amounts(client, published, settings):
    settings.OPEN_DATA_ID_PREFIX = "360G-testopcc"
    label = published["year"].label
    data = grants_of(client, label)
    by_title = {grant["title"]: grant for grant in data["grants"]}
    assert set(by_title) == {"Youth diversion", "Domestic abuse advocacy"}
    youth = by_title["Youth diversion"]
    # The year's ProjectYear allocation wins over the project's own figure.
    assert youth["amountAwarded"] == 12500.5
    assert by_title["Domestic abuse advocacy"]["amountAwarded"] == 25000
    assert youth["currency"] == "GBP"
    assert youth["id"].startswith("360G-testopcc-")
    assert youth["recipientOrganization"][0]["name"]
    assert youth["fundingOrganization"][0]["id"]
    assert youth["awardDate"] == published["year"].start_date.isoformat()
    assert youth["plannedDates"][0]["startDate"] <= youth["plannedDates"][0]["endDate"]
    assert youth["beneficiaryLocation"][0]["name"] == "Birmingham"
    assert youth["grantProgramme"]
    assert len({grant["id"] for grant in data["grants"]}) == len(data["grants"])


REQUIRED = {
    "id",
    "title",
    "description",
    "currency",
    "amountAwarded",
    "awardDate",
    "recipientOrganization",
    "fundingOrganization",
}


@pytest.mark.django_db
def test_every_grant_has_the_standards_required_fields_and_types(client, published):
    for grant in grants_of(client, published["year"].label)["grants"]:
        assert set(grant) >= REQUIRED
        assert isinstance(grant["amountAwarded"], int | float)
        date.fromisoformat(grant["awardDate"])
        for org in grant["recipientOrganization"] + grant["fundingOrganization"]:
            assert org["id"]
            assert org["name"]


@pytest.mark.django_db
def test_nothing_opcc_only_or_unpublished_goes_out(client, published, birmingham):
    make_project(birmingham, name="Added after the board met")
    label = published["year"].label
    body = client.get(f"/open-data/{label}/grants.json").content.decode()
    assert OPCC_ONLY not in body
    assert "Added after the board met" not in body


@pytest.mark.django_db
def test_an_unpublished_year_shows_nothing(client, year, periods, columns, rita):
    annex_start(year=year, by=rita)  # a draft, never published
    assert year.label not in client.get("/open-data/").content.decode()
    assert client.get(f"/open-data/{year.label}/grants.json").status_code == 404
    assert client.get(f"/open-data/{year.label}/grants.csv").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("label", ["2099-00", "nonsense", "2026-27%00", "..%2F..%2Fetc"])
def test_unknown_or_odd_years_are_not_found(client, published, label):
    assert client.get(f"/open-data/{label}/grants.json").status_code == 404


@pytest.mark.django_db
def test_the_csv_has_the_standards_columns_and_neutralises_formulas(client, published):
    response = client.get(f"/open-data/{published['year'].label}/grants.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {row["Title"] for row in rows} == {"Youth diversion", "Domestic abuse advocacy"}
    assert {"Identifier", "Amount Awarded", "Award Date", "Recipient Org:Identifier", "Funding Org:Name"} <= set(
        rows[0]
    )
    advocacy = next(row for row in rows if row["Title"] == "Domestic abuse advocacy")
    assert advocacy["Description"].startswith("'=")
    assert advocacy["Amount Awarded"] == "25000"


@pytest.mark.django_db
def test_the_query_count_does_not_grow_with_the_projects(client, published, birmingham, year, rita):
    label = year.label
    with CaptureQueriesContext(connection) as few:
        client.get(f"/open-data/{label}/grants.json")
    for n in range(8):
        make_project(birmingham, name=f"More work {n}")
    annex = published["version"].annex
    annex_start(year=year, by=rita)  # idempotent: adds the new projects' rows to the roll-ups
    annex_publish(annex=annex, meeting_date=date(2027, 9, 1), by=rita)
    with CaptureQueriesContext(connection) as many:
        client.get(f"/open-data/{label}/grants.json")
    assert len(many) == len(few)
    assert Project.objects.count() >= 10
