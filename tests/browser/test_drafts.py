"""What session-timeout.js keeps in localStorage: never OPCC text, and nothing once anyone signs out.

The script keeps what someone typed when their session times out, to put it back after they sign in
again. That copy outlives the session, in a browser others may use, so it must hold no review text and
go as soon as it is not needed.
"""

import json
import time

import pytest
from playwright.sync_api import expect

from returns.models import FinancialYear
from returns.services import return_start
from reviews.models import AnnexColumn, FlagType
from reviews.reference import ensure_flag_types
from tests.conftest import PASSWORD
from tests.reviews.conftest import make_project, make_return

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECRET = "OPCC only: the figures look double counted with the PCC's own grant."
STATEMENT = "Youth violence work serves the Plan's young people priority."
ALIGNMENT = "How the partnership’s work aligns to the Police and Crime Plan"
OURS = "csp-returns:"


@pytest.fixture
def year(db):
    year, _ = FinancialYear.get_or_create_for_start(2026)
    year.ensure_periods()
    AnnexColumn.ensure_for_year(year)
    ensure_flag_types(FlagType)
    return year


@pytest.fixture
def submitted(year, alice, birmingham):
    make_project(birmingham)
    return make_return(birmingham, year.ensure_periods()[0], by=alice)


@pytest.fixture
def draft(year, alice, birmingham):
    return return_start(borough=birmingham, period=year.ensure_periods()[1], by=alice)


def storage(page):
    return page.evaluate("() => Object.fromEntries(Object.entries(window.localStorage))")


def our_keys(page):
    return sorted(key for key in storage(page) if key.startswith(OURS))


def let_the_session_expire(page, settings):
    page.wait_for_url("**/accounts/login/?expired=1**", timeout=15_000)
    settings.SESSION_COOKIE_AGE = 1800
    settings.SESSION_RENEW_SECONDS = 0  # the next request saves the session with the new lifetime


def test_review_commentary_never_reaches_local_storage(page, live_server, rita, submitted, settings):
    sign_in(page, live_server, "rita", PASSWORD)
    settings.SESSION_COOKIE_AGE = 5
    settings.SESSION_RENEW_SECONDS = 0  # the next request saves the session with the new lifetime
    settings.SESSION_WARNING_SECONDS = 3
    page.goto(f"{live_server.url}/review/returns/{submitted.pk}/columns/performance/")
    page.get_by_label("Commentary").fill(SECRET)
    page.get_by_label("OPCC only").check()

    # Nobody answers the warning: the session ends, and the script keeps nothing from a review page.
    let_the_session_expire(page, settings)
    assert SECRET not in json.dumps(storage(page))
    assert not [key for key in our_keys(page) if key.startswith(f"{OURS}form:")]
    # …so signing in again brings back an empty form, not the text.
    page.get_by_label("Username").fill("rita")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_label("Commentary")).to_have_value("")


def test_signing_out_removes_everything_the_script_keeps(page, live_server, alice, draft):
    sign_in(page, live_server, "alice", PASSWORD)
    page.goto(f"{live_server.url}/returns/{draft.pk}/alignment/")
    page.evaluate(
        """([key, statement]) => {
            localStorage.setItem(key, JSON.stringify({savedAt: Date.now(), user: document.body.dataset.sessionUser,
                                                      forms: [[["alignment_statement", statement]]]}));
            localStorage.setItem("another-site-tool:setting", "kept");
        }""",
        [f"{OURS}form:/returns/{draft.pk}/alignment/?other", STATEMENT],
    )
    assert f"{OURS}session-expires-at" in our_keys(page)

    # The sign-out form clears them as it is sent, before any page comes back (here nothing comes back:
    # a 204 leaves the browser on this page).
    page.route("**/accounts/logout/", lambda route: route.fulfill(status=204))
    with page.expect_request("**/accounts/logout/"):
        page.get_by_role("button", name="Sign out").click()
    assert our_keys(page) == []
    assert storage(page)["another-site-tool:setting"] == "kept"  # not ours to remove

    # And for real: signed out, on the sign-in page, nothing of ours is left.
    page.unroute("**/accounts/logout/")
    page.evaluate("key => localStorage.setItem(key, '1')", f"{OURS}session-expires-at")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/**")
    assert our_keys(page) == []


def test_only_the_tab_on_its_way_back_in_keeps_a_draft(page, live_server, alice, draft, settings):
    sign_in(page, live_server, "alice", PASSWORD)
    settings.SESSION_COOKIE_AGE = 5
    settings.SESSION_RENEW_SECONDS = 0  # the next request saves the session with the new lifetime
    settings.SESSION_WARNING_SECONDS = 3
    page.goto(f"{live_server.url}/returns/{draft.pk}/alignment/")
    page.get_by_label(ALIGNMENT).fill(STATEMENT)
    let_the_session_expire(page, settings)
    kept = f"{OURS}form:/returns/{draft.pk}/alignment/"
    assert our_keys(page) == [kept]

    # A mistyped password is still on the way back in: the draft stays.
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("not-the-password")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert our_keys(page) == [kept]

    # A draft nobody came back for goes, even here.
    stale = {"savedAt": int(time.time() * 1000) - 13 * 3600 * 1000, "user": "", "forms": [[["a", "old"]]]}
    page.evaluate("draft => localStorage.setItem('csp-returns:form:/old/', JSON.stringify(draft))", stale)
    page.reload()
    assert our_keys(page) == [kept]

    # Any other tab showing a page for nobody signed in (a stranger's visit, the page after signing out)
    # forgets it.
    other = page.context.new_page()
    other.goto(f"{live_server.url}/accounts/login/")
    assert our_keys(other) == []
    other.close()
    page.axe_check()


def test_a_draft_is_put_back_only_for_the_person_who_typed_it(page, live_server, alice, bob, draft, settings):
    sign_in(page, live_server, "alice", PASSWORD)
    settings.SESSION_COOKIE_AGE = 5
    settings.SESSION_RENEW_SECONDS = 0  # the next request saves the session with the new lifetime
    settings.SESSION_WARNING_SECONDS = 3
    page.goto(f"{live_server.url}/returns/{draft.pk}/alignment/")
    page.get_by_label(ALIGNMENT).fill(STATEMENT)
    let_the_session_expire(page, settings)
    assert our_keys(page) == [f"{OURS}form:/returns/{draft.pk}/alignment/"]  # kept for alice's sign-in

    # Someone else signs in at the same browser: the first page they see drops alice's draft.
    page.get_by_label("Username").fill("bob")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert STATEMENT not in json.dumps(storage(page))
    assert not [key for key in our_keys(page) if key.startswith(f"{OURS}form:")]
