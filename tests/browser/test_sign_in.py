import pytest
from django.utils import timezone
from playwright.sync_api import expect

from returns.models import FinancialYear
from returns.services.years import year_open
from tests.conftest import PASSWORD

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_sees_their_borough_and_not_another(page, live_server, alice):
    sign_in(page, live_server, "alice", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Birmingham")
    expect(page.get_by_text("Birmingham Community Safety Partnership").first).to_be_visible()

    page.goto(f"{live_server.url}/boroughs/coventry/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")

    page.goto(f"{live_server.url}/boroughs/")
    expect(page.get_by_role("link", name="Birmingham")).to_be_visible()
    expect(page.get_by_role("link", name="Coventry")).to_have_count(0)


def test_reviewer_sees_all_seven(page, live_server, rita, adam):
    # Page loads never create years: the admin opens the year covering today first.
    today = timezone.localdate()
    year_open(start_year=FinancialYear.start_year_for(today), decisions={}, by=adam, today=today)
    sign_in(page, live_server, "rita", PASSWORD)
    # The review grid is the reviewer's home: a row per borough.
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Returns for {FinancialYear.current().label}")
    for name in ["Birmingham", "Coventry", "Dudley", "Sandwell", "Solihull", "Walsall", "Wolverhampton"]:
        expect(page.get_by_role("rowheader", name=name).first).to_be_visible()  # the summary and the grid

    page.get_by_role("link", name="All boroughs").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("All boroughs")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(7)
    for name in ["Birmingham", "Coventry", "Dudley", "Sandwell", "Solihull", "Walsall", "Wolverhampton"]:
        expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()


def test_wrong_password_shows_the_error_summary(page, live_server, alice):
    sign_in(page, live_server, "alice", "not-the-password")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Enter a correct username and password")
    expect(page).to_have_title("Error: Sign in – CSP Returns")
    expect(page.get_by_label("Username")).to_have_value("alice")
