"""Issue 15, in a browser: a change request naming two sections marks exactly those on the officer's task list,
and after resubmission the reviewer sees what changed.

Chromium with axe-core and the Nu HTML Checker on every page load (the `page` fixture fails the test on any finding).
"""

import pytest
from playwright.sync_api import expect

from returns.models import FinancialYear, Return
from reviews.models import AnnexColumn, FlagType
from reviews.reference import ensure_flag_types
from tests.conftest import PASSWORD
from tests.reviews.conftest import make_project
from tests.reviews.review.test_what_changed import FIRST_STATEMENT, submitted_once

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "Name the Plan priority you serve, and score the staffing risk again."
NEW_STATEMENT = "Our work supports the Plan's domestic abuse priority."
COMPLETED = "Yes, I’ve completed this section"


@pytest.fixture
def submitted(alice, rita, birmingham):
    year, _ = FinancialYear.get_or_create_for_start(2026)
    periods = year.ensure_periods()
    AnnexColumn.ensure_for_year(year)
    ensure_flag_types(FlagType)
    make_project(birmingham)
    make_project(birmingham, name="Youth outreach")
    return submitted_once(birmingham, periods[0], alice)


def switch_user(page, live_server, username):
    page.context.clear_cookies()
    sign_in(page, live_server, username, PASSWORD)


def statuses(page):
    """Each task's status as the officer reads it, by the task's name."""
    items = page.locator(".govuk-task-list__item")
    names = items.locator(".govuk-task-list__name-and-hint > :first-child")
    return {
        names.nth(i).inner_text().strip(): items.nth(i).locator(".govuk-task-list__status").inner_text().strip()
        for i in range(items.count())
    }


def test_named_sections_are_marked_and_the_reviewer_sees_the_diff(page, live_server, submitted):
    # The reviewer sends the return back, naming two sections.
    sign_in(page, live_server, "rita", PASSWORD)
    page.goto(f"{live_server.url}/review/returns/{submitted.pk}/request-changes/")
    page.get_by_label("Reason").fill(REASON)
    page.get_by_label("Alignment to the Police and Crime Plan").check()
    page.get_by_label("Risks", exact=True).check()
    page.get_by_role("button", name="Send back to the partnership").click()
    expect(page.locator("#timeline")).to_contain_text(REASON)

    # The officer's task list marks exactly those two, in orange, with a line beneath each.
    switch_user(page, live_server, "alice")
    page.goto(f"{live_server.url}/returns/{submitted.pk}/")
    expect(page.get_by_text("The OPCC has sent this return back to you.")).to_be_visible()
    assert statuses(page) == {
        "Alignment to the Police and Crime Plan": "Changes requested",
        "Domestic abuse advocacy": "Completed",
        "Youth outreach": "Completed",
        "Risks": "Changes requested",
        "Community engagement": "Completed",
        "Engagement with the OPCC and marketing": "Completed",
        "Evidence": "Completed",
        "Check your answers and submit": "Ready",
    }
    expect(page.locator(".govuk-task-list .govuk-tag--orange")).to_have_count(2)
    expect(page.locator("#alignment-request")).to_have_text(f"The OPCC asked for changes to this section: “{REASON}”")
    expect(page.locator("#risks-request")).to_be_visible()

    # The section page carries the reviewer's words; the officer rewrites the statement, rescores the risk and
    # resubmits.
    page.get_by_role("link", name="Alignment to the Police and Crime Plan").click()
    expect(page.get_by_text("Changes requested to this section")).to_be_visible()
    expect(page.locator(".app-review-notes")).to_contain_text(REASON)
    statement = page.get_by_label("How the partnership’s work aligns to the Police and Crime Plan")
    expect(statement).to_have_value(FIRST_STATEMENT)
    statement.fill(NEW_STATEMENT)
    page.get_by_label(COMPLETED).check()
    page.get_by_role("button", name="Save and continue").click()
    page.goto(f"{live_server.url}/returns/{submitted.pk}/risks/{submitted.risks.get().pk}/")
    page.get_by_label("4 – likely").check()
    page.get_by_role("button", name="Save risk").click()
    page.goto(f"{live_server.url}/returns/{submitted.pk}/check/")
    page.get_by_label("I confirm this return is accurate").check()
    page.get_by_role("button", name="Submit return").click()
    expect(page.get_by_text("Return resubmitted. The OPCC can now review your changes.")).to_be_visible()
    expect(page.locator(".govuk-task-list .govuk-tag--orange")).to_have_count(0)
    submitted.refresh_from_db()
    assert submitted.status == Return.Status.RESUBMITTED

    # The reviewer follows the History tab's link to what changed.
    switch_user(page, live_server, "rita")
    page.goto(f"{live_server.url}/returns/{submitted.pk}/history/")
    page.get_by_role("link", name="See what changed since the last submission").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What changed since the last submission")
    alignment = page.locator("#section-alignment")
    expect(alignment.locator("del")).to_have_text("(removed: Plan.)")
    expect(alignment.locator("ins")).to_have_text("(added: Plan's domestic abuse priority.)")
    likelihood = page.locator("#section-risks tr", has_text="Likelihood").locator("td")
    expect(likelihood).to_have_text(["3", "4"])
    for key in ("projects", "community", "opcc", "evidence"):
        expect(page.locator(f"#section-{key}")).to_contain_text("No changes in this section.")
    expect(page.locator(".app-changes__summary .govuk-tag--orange")).to_have_count(2)
