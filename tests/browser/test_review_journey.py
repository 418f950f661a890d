"""A reviewer sends a return back, the officer fixes it, the reviewer comments, flags and accepts.

Chromium with axe-core on every page load (the `page` fixture fails the test on any violation).
"""

import re

import pytest
from playwright.sync_api import expect

from returns.models import Return
from tests.conftest import PASSWORD
from tests.reviews.conftest import make_project, make_return

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COMPLETED = "Yes, I’ve completed this section"
SHARED = "Good links to the Plan's domestic abuse priority."
SECRET = "Internal: figures look double counted with the PCC's grant."


@pytest.fixture
def submitted(alice, rita, birmingham):
    from returns.models import FinancialYear
    from reviews.models import AnnexColumn, FlagType
    from reviews.reference import ensure_flag_types

    year, _ = FinancialYear.get_or_create_for_start(2026)
    periods = year.ensure_periods()
    AnnexColumn.ensure_for_year(year)
    ensure_flag_types(FlagType)
    make_project(birmingham)
    return make_return(birmingham, periods[0], by=alice)


def switch_user(page, live_server, username):
    page.context.clear_cookies()
    sign_in(page, live_server, username, PASSWORD)


def test_reviewer_and_officer_journey(page, live_server, submitted):
    # The reviewer lands on the grid and opens the submitted return.
    sign_in(page, live_server, "rita", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Returns for 2026-27")
    page.get_by_role("link", name=re.compile("Submitted Birmingham Q1")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review the return")

    # Request changes, with a reason pointing at the alignment section.
    page.get_by_role("button", name="Request changes").click()
    page.get_by_role("button", name="Send back to the partnership").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter reason")
    page.get_by_label("Reason").fill("The alignment statement does not name a Plan priority.")
    page.get_by_label("Alignment to the Police and Crime Plan").check()
    page.get_by_role("button", name="Send back to the partnership").click()
    expect(page.locator("#timeline")).to_be_visible()
    expect(page.get_by_text("The alignment statement does not name a Plan priority.")).to_be_visible()

    # The officer sees the reason at the top and on the section, fixes it and resubmits.
    switch_user(page, live_server, "alice")
    page.goto(f"{live_server.url}/returns/{submitted.pk}/")
    expect(page.get_by_text("The OPCC has sent this return back to you.")).to_be_visible()
    expect(page.locator(".app-review-request")).to_contain_text(
        "The alignment statement does not name a Plan priority."
    )
    expect(page.locator("#alignment-request")).to_contain_text(
        "The alignment statement does not name a Plan priority."
    )
    page.get_by_role("link", name="Alignment to the Police and Crime Plan").click()
    expect(page.get_by_text("Changes requested to this section")).to_be_visible()
    page.get_by_label("How the partnership’s work aligns to the Police and Crime Plan").fill(
        "Our work serves the Plan's domestic abuse and violence priority."
    )
    page.get_by_label(COMPLETED).check()
    page.get_by_role("button", name="Save and continue").click()
    page.goto(f"{live_server.url}/returns/{submitted.pk}/check/")
    page.get_by_label(re.compile("I confirm this return is accurate")).check()
    page.get_by_role("button", name="Submit return").click()
    submitted.refresh_from_db()
    assert submitted.status == Return.Status.RESUBMITTED

    # The reviewer writes shared and OPCC-only commentary, raises a flag, then accepts.
    switch_user(page, live_server, "rita")
    page.goto(f"{live_server.url}/review/returns/{submitted.pk}/")
    expect(page.get_by_text("Resubmitted").first).to_be_visible()
    # Commentary is written in each column's card and saved in place (tests/browser/test_review_while_reading.py).
    card = page.locator("#column-alignment")
    card.get_by_label("Commentary").fill(SHARED)
    card.get_by_label("Green").check()
    card.get_by_label("Shared with the partnership").check()
    card.get_by_role("button", name="Save commentary").click()
    expect(card.locator(".app-review-text")).to_have_text(SHARED)
    card = page.locator("#column-performance")
    card.get_by_label("Commentary").fill(SECRET)
    card.get_by_label("OPCC only").check()
    card.get_by_role("button", name="Save commentary").click()
    expect(card.locator(".app-review-text")).to_have_text(SECRET)
    page.get_by_role("link", name="Flag a problem with Performance: Impact and Risk Assessment").click()
    page.get_by_label("Outcomes not quantified").check()
    page.get_by_label("Note").fill("Give the number of victims supported.")
    page.get_by_label("Shared with the partnership").check()
    page.get_by_role("button", name="Raise flag").click()
    expect(page.get_by_text("1 open flag.")).to_be_visible()
    page.get_by_role("button", name="Accept").click()
    # Accept with care: the open flag is listed, and accepting needs the explicit confirmation.
    expect(page.get_by_role("heading", level=1)).to_have_text("Accept with 1 open flag?")
    expect(page.get_by_text("Give the number of victims supported.")).to_be_visible()
    page.get_by_role("button", name="Accept with these flags open").click()
    expect(page.locator("#timeline")).to_contain_text("Accepted")
    submitted.refresh_from_db()
    assert submitted.status == Return.Status.ACCEPTED

    # The officer sees the shared comment and flag, never the OPCC-only text.
    switch_user(page, live_server, "alice")
    page.goto(f"{live_server.url}/returns/{submitted.pk}/")
    expect(page.get_by_text(SHARED)).to_be_visible()
    expect(page.get_by_text("Give the number of victims supported.")).to_be_visible()
    assert SECRET not in page.content()
    assert "OPCC only" not in page.content()
