"""An idle session ends, but what the officer had typed is put back after they sign in again."""

import pytest
from playwright.sync_api import expect

from returns.models import FinancialYear
from returns.services import return_start
from tests.conftest import PASSWORD

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STATEMENT = "Youth violence work serves the Plan's young people priority; 82 of 131 referrals engaged."


@pytest.fixture
def draft(alice, birmingham):
    year, _ = FinancialYear.get_or_create_for_start(2026)
    period = year.ensure_periods()[1]
    return return_start(borough=birmingham, period=period, by=alice)


def test_typing_survives_the_session_ending(page, live_server, alice, draft, settings):
    sign_in(page, live_server, "alice", PASSWORD)
    settings.SESSION_COOKIE_AGE = 5
    settings.SESSION_RENEW_SECONDS = 0  # the next request saves the session with the new lifetime
    settings.SESSION_WARNING_SECONDS = 3
    page.goto(f"{live_server.url}/returns/{draft.pk}/alignment/")
    label = "How the partnership’s work aligns to the Police and Crime Plan"
    page.get_by_label(label).fill(STATEMENT)

    # Nobody answers the warning: the session ends and the browser goes to the sign-in page.
    page.wait_for_url("**/accounts/login/?expired=1**", timeout=15_000)
    settings.SESSION_COOKIE_AGE = 1800
    settings.SESSION_RENEW_SECONDS = 0  # the next request saves the session with the new lifetime
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(f"{live_server.url}/returns/{draft.pk}/alignment/")
    expect(page.get_by_label(label)).to_have_value(STATEMENT)
    expect(page.get_by_text("We have put back what you had typed")).to_be_visible()
    page.axe_check()

    # Saving it now keeps it for good.
    with page.expect_navigation():
        page.get_by_role("button", name="Save and come back later").click()
    draft.refresh_from_db()
    assert draft.alignment_statement == STATEMENT
