import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def short_session(settings):
    settings.SESSION_COOKIE_AGE = 6
    settings.SESSION_RENEW_SECONDS = 0  # the next request saves the session with the new lifetime
    settings.SESSION_WARNING_SECONDS = 4


def test_warning_before_sign_out_and_staying_signed_in(page, live_server, alice, short_session):
    sign_in(page, live_server, "alice", PASSWORD)
    dialog = page.get_by_role("alertdialog", name="You will be signed out soon")
    expect(dialog).to_be_visible(timeout=5_000)
    expect(dialog).to_be_focused()
    page.axe_check()
    dialog.get_by_role("button", name="Stay signed in").click()
    expect(dialog).to_be_hidden()
    # Still signed in: the page we are on reloads as itself, not the login page.
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Birmingham")


def test_idle_session_ends_on_the_login_page_with_an_explanation(page, live_server, alice, short_session):
    sign_in(page, live_server, "alice", PASSWORD)
    page.wait_for_url("**/accounts/login/?expired=1&next=%2Fboroughs%2Fbirmingham%2F", timeout=12_000)
    expect(page.get_by_text("You were signed out because you had not done anything for a while")).to_be_visible()
    # The server agrees: the session has gone.
    page.goto(f"{live_server.url}/boroughs/birmingham/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/boroughs/birmingham/")
