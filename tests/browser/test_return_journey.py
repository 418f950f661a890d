"""An officer files a whole quarterly return in Chromium, with axe-core checking every page."""

import re

import pytest
from playwright.sync_api import expect

from returns.models import Plan, PlanPriority, Return
from returns.reference import PRIORITIES_2015_16, ensure_plan
from tests.conftest import PASSWORD
from tests.returns.conftest import PDF_BYTES, make_project

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COMPLETED = "Yes, I’ve completed this section"


@pytest.fixture
def setting(alice, birmingham):
    from returns.models import FinancialYear, Indicator

    year, _ = FinancialYear.get_or_create_for_start(2026)
    year.ensure_periods()
    ensure_plan(Plan, PlanPriority, FinancialYear, name="Plan", priorities=PRIORITIES_2015_16, year_start=2026)
    make_project(
        birmingham,
        "Youth violence prevention",
        indicators=[("Referrals received", Indicator.Unit.COUNT, 120, 160)],
    )
    make_project(birmingham, "Business crime", indicators=[("Businesses on Facewatch", Indicator.Unit.COUNT, 40, 60)])
    return year


def save_and_continue(page):
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_load_state()


def fill_project(page, name, *, referrals_label, value):
    page.get_by_role("link", name=name).click()
    page.get_by_label("Activity this quarter").fill(f"Delivered {name} sessions across the city.")
    page.get_by_label("Outcomes achieved").fill("82 of 131 referrals engaged regularly.")
    page.get_by_label(referrals_label).fill(value)
    page.get_by_label("Spend this quarter (£)").fill("9500")
    page.get_by_label("Expected spend for the rest of the year (£)").fill("19000")
    page.get_by_label(COMPLETED).check()
    save_and_continue(page)


def test_officer_files_a_complete_return(page, live_server, setting, alice, tmp_path):
    sign_in(page, live_server, "alice", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Birmingham")

    # Start the Q2 return from the borough page.
    page.get_by_role("button", name=re.compile("Start the Q2 2026-27 return")).click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text("Quarterly return")
    expect(page.get_by_text("You have completed 0 of 7 sections.")).to_be_visible()

    # 1. Alignment
    page.get_by_role("link", name="Alignment to the Police and Crime Plan").click()
    page.get_by_label("How the partnership’s work aligns to the Police and Crime Plan").fill(
        "All thematic areas align to the Plan: youth violence and business crime."
    )
    page.get_by_label("Young people and youth violence").check()
    page.get_by_label("Business crime").check()
    page.get_by_label(COMPLETED).check()
    save_and_continue(page)

    # 2. Projects, the first with a validation error that the officer fixes.
    page.get_by_role("link", name="Youth violence prevention").click()
    page.get_by_label("Activity this quarter").fill("Mentoring in three schools.")
    page.get_by_label("Outcomes achieved").fill("82 of 131 referrals engaged regularly.")
    page.get_by_label("Referrals received (count)").fill("-4")
    page.get_by_label("Spend this quarter (£)").fill("9500")
    page.get_by_label("Expected spend for the rest of the year (£)").fill("19000")
    page.get_by_label(COMPLETED).check()
    save_and_continue(page)
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Referrals received (count) cannot be negative")
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_label("Activity this quarter")).to_have_value("Mentoring in three schools.")
    page.get_by_label("Referrals received (count)").fill("64")
    save_and_continue(page)
    fill_project(page, "Business crime", referrals_label="Businesses on Facewatch (count)", value="25")
    expect(page.get_by_text("You have completed 3 of 7 sections.")).to_be_visible()

    # 3. Risks
    page.get_by_role("link", name="Risks").click()
    page.get_by_role("button", name="Add a risk").click()
    page.get_by_label("Risk", exact=True).fill("Fixed-term funding makes it hard to keep staff.")
    page.get_by_label("3 – possible").check()
    page.get_by_label("4 – major").check()
    page.get_by_label("Mitigation").fill("Seek a multi-year commitment.")
    page.get_by_label("Owner").fill("CSP manager")
    page.get_by_role("button", name="Save risk").click()
    expect(page.get_by_role("cell", name=re.compile("3 × 4 = 12"))).to_be_visible()
    page.get_by_label(COMPLETED).check()
    save_and_continue(page)

    # 4. Community engagement
    page.get_by_role("link", name="Community engagement").click()
    page.get_by_role("button", name="Add an activity").click()
    page.get_by_label("Day").fill("14")
    page.get_by_label("Month").fill("8")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("Title").fill("Community safety road show")
    page.get_by_label("Description").fill("Stalls in the Bull Ring with police and fire service.")
    page.get_by_label("Number of people reached").fill("240")
    page.get_by_role("button", name="Save activity").click()
    page.get_by_label(COMPLETED).check()
    save_and_continue(page)

    # 5. Engagement with the OPCC
    page.get_by_role("link", name="Engagement with the OPCC and marketing").click()
    page.get_by_role("button", name="Add an event").click()
    page.get_by_label("Day").fill("2")
    page.get_by_label("Month").fill("9")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("What happened").fill("Project launch; PCC logo on leaflets.")
    page.get_by_label("The Deputy PCC attended").check()
    page.get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Save event").click()
    page.get_by_label(COMPLETED).check()
    save_and_continue(page)

    # 6. Evidence
    pdf = tmp_path / "case-study.pdf"
    pdf.write_bytes(PDF_BYTES)
    page.get_by_role("link", name="Evidence").click()
    page.get_by_label("Upload a file").set_input_files(str(pdf))
    page.get_by_role("button", name="Upload file").click()
    expect(page.get_by_role("link", name="case-study.pdf", exact=True)).to_be_visible()
    page.get_by_label(COMPLETED).check()
    save_and_continue(page)
    expect(page.get_by_text("You have completed 7 of 7 sections.")).to_be_visible()

    # 7. Check and submit
    page.get_by_role("link", name="Check your answers and submit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before submitting your return")
    expect(page.get_by_text("Mentoring in three schools.")).to_be_visible()
    expect(page.get_by_text("Community safety road show")).to_be_visible()
    page.get_by_label("I confirm this return is accurate").check()
    page.get_by_role("button", name="Submit return").click()
    page.wait_for_load_state()

    # Read-only from now on.
    expect(page.get_by_text("Return submitted.")).to_be_visible()
    expect(page.get_by_text("This return can no longer be changed.")).to_be_visible()
    expect(page.get_by_role("link", name="Alignment to the Police and Crime Plan")).to_have_count(0)
    return_ = Return.objects.get()
    assert return_.status == Return.Status.SUBMITTED
    assert return_.submitted_by == alice
    page.goto(f"{live_server.url}/returns/{return_.pk}/alignment/")
    expect(page.get_by_text("it can no longer be changed")).to_be_visible()
    page.get_by_role("link", name="Printable version").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Quarterly return")
