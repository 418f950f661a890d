"""After a request-changes cycle, the return's History tab shows the reasons and the field-level diffs."""

import pytest
from playwright.sync_api import expect

from reviews.services.review import return_request_changes
from tests.conftest import PASSWORD

from .conftest import sign_in
from .test_review_journey import COMPLETED, submitted  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "Quantify the outcomes: how many of the referrals engaged?"
BEFORE = "Supports the Plan's domestic abuse priority."
AFTER = "Supports the Plan's domestic abuse priority: 82 of 131 referrals engaged regularly."


def test_history_tab_after_changes_were_requested(page, live_server, submitted, rita, alice):  # noqa: F811
    return_request_changes(return_=submitted, by=rita, reason=REASON, sections=["alignment"])

    sign_in(page, live_server, "alice", PASSWORD)
    page.goto(f"{live_server.url}{submitted.get_absolute_url()}")
    page.get_by_role("link", name="Alignment to the Police and Crime Plan").first.click()
    page.get_by_label("How the partnership’s work aligns to the Police and Crime Plan").fill(AFTER)
    page.get_by_label(COMPLETED).check()
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_load_state()

    page.get_by_role("link", name="History of this return").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("History")
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("Changes requested")
    expect(timeline).to_contain_text(REASON)
    change = page.locator(".app-history__entry", has_text="Alignment statement").first
    expect(change).to_contain_text("Return")
    expect(change).to_contain_text("Alice")
    expect(change.locator(".app-history__before")).to_have_text(BEFORE)
    expect(change.locator(".app-history__after")).to_have_text(AFTER)
