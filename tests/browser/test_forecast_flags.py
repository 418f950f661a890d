"""Issue 13's money in a real browser, axe-core clean: the expected spend on the project page, the forecast flags
on the task list, check answers and the reviewer's page, and the grid's sortable summary of the quarter."""

import re
from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from returns.models import Indicator, Project
from returns.services import return_start
from tests.conftest import PASSWORD
from tests.reviews.conftest import columns, make_return, periods, year  # noqa: F401 (fixtures)

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def quarter(birmingham, coventry, periods, alice):  # noqa: F811
    """Q2 is current whatever today is. Birmingham's youth project is in a Q2 draft; Coventry has filed Q2."""
    for period in periods:
        period.opens_on = date(2000, 1, 1) if period.quarter <= 2 else date(2100, 1, 1)
        period.save(update_fields=["opens_on"])
    youth = Project.objects.create(borough=birmingham, name="Youth violence prevention", csf_allocation=40000)
    Indicator.objects.create(project=youth, name="Referrals", minimum_target=100, aspirational_target=150)
    street = Project.objects.create(borough=coventry, name="Street Pastors", csf_allocation=18000)
    cov = make_return(coventry, periods[1], by=alice)
    cov.project_updates.update(spend=Decimal("9000"), expected_spend=Decimal("11700"))
    return return_start(borough=birmingham, period=periods[1], by=alice), street


def test_an_officer_gives_expected_spend_and_sees_the_flag(page, live_server, alice, quarter):
    draft, _street = quarter
    sign_in(page, live_server, "alice", PASSWORD)
    page.goto(f"{live_server.url}/returns/{draft.pk}/")
    page.get_by_role("link", name="Youth violence prevention").click()
    page.get_by_label("Activity this quarter").fill("Mentoring in three schools")
    page.get_by_label("Outcomes achieved").fill("40 young people engaged")
    page.get_by_label("Referrals (count)").fill("60")
    page.get_by_label("Spend this quarter (£)").fill("10,000")
    page.get_by_label("Expected spend for the rest of the year (£)").fill("twenty thousand")
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the expected spend in pounds")
    expect(page.get_by_label("Expected spend for the rest of the year (£)")).to_have_value("twenty thousand")
    page.get_by_label("Expected spend for the rest of the year (£)").fill("£20,000")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_load_state()
    expect(page.locator(f"#forecast-{draft.project_updates.get().project_id}")).to_contain_text(
        "Forecast outturn £30,000.00 Likely underspend"
    )
    page.goto(f"{live_server.url}/returns/{draft.pk}/check/")
    expect(page.locator("dd[id^=expected-spend-]")).to_have_text("£20,000.00")


def test_the_reviewer_sorts_the_quarters_summary(page, live_server, rita, quarter):
    sign_in(page, live_server, "rita", PASSWORD)
    page.goto(f"{live_server.url}/review/?year=2026-27")
    summary = page.get_by_role("table", name=re.compile("^Q2 2026-27 summary"))
    expect(summary.get_by_role("row", name=re.compile("^Coventry"))).to_contain_text("Likely overspend")
    summary.get_by_role("link", name=re.compile("^Allocation spent")).click()
    page.wait_for_load_state()
    summary = page.get_by_role("table", name=re.compile("sorted by allocation spent \\(ascending\\)"))
    expect(summary.locator("th[aria-sort=ascending]")).to_contain_text("Allocation spent")
    summary.get_by_role("link", name=re.compile("^Allocation spent")).click()
    page.wait_for_load_state()
    expect(page.locator("#grid-summary tbody tr").first).to_have_id("summary-coventry")  # 50% spent, the most
