"""Review while reading (issue 15): commentary is written in each card of the review page, beside the return.

With JavaScript the five columns are saved in place: no page load, the reviewer stays at the card, and the
confirmation is written into the page's live region. Without it each save is an ordinary post that comes
back to the same card (#column-<key>) with the confirmation there. And the whole review of one return (five
comments, a flag, a decision) is counted in page loads: README "Journey counts".

Chromium with axe-core and the Nu checker on every page load (the `page` fixture); `page.axe_check()` after
in-place changes.
"""

import re

import pytest
from playwright.sync_api import expect

from reviews.models import AnnexColumn, ColumnCommentary, Flag
from tests.conftest import PASSWORD
from tests.reviews.conftest import make_project, make_return

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# (column key, text, RAG, visibility) for the five columns.
FIVE = [
    ("alignment", "Clear links to the Plan's violence priority.", "Green", "Shared with the partnership"),
    ("performance", "Referrals below the minimum target.", "Amber", "Shared with the partnership"),
    ("innovation", "Internal: compare with Coventry's pilot.", "No rating", "OPCC only"),
    ("community", "Good reach into two new wards.", "Green", "Shared with the partnership"),
    ("marketing", "Internal: no OPCC logo on the leaflets.", "Red", "OPCC only"),
]
JOURNEY_MAX_LOADS = 8


@pytest.fixture
def submitted(alice, rita, birmingham):
    from returns.models import FinancialYear
    from reviews.models import FlagType
    from reviews.reference import ensure_flag_types

    year, _ = FinancialYear.get_or_create_for_start(2026)
    periods = year.ensure_periods()
    AnnexColumn.ensure_for_year(year)
    ensure_flag_types(FlagType)
    make_project(birmingham)
    make_project(birmingham, name="Youth diversion")
    return make_return(birmingham, periods[0], by=alice)


def headings(return_):
    return {c.key: c.heading for c in AnnexColumn.objects.filter(financial_year=return_.period.year)}


def count_loads(page):
    """Every document the tab loads from now on (a fetch is not one)."""
    loads = []
    page.on("load", lambda _: loads.append(page.url))
    page.on("framenavigated", lambda frame: frame == page.main_frame and loads.append(f"navigated {frame.url}"))
    return loads


def fill_card(card, text, rag, visibility):
    card.get_by_label("Commentary").fill(text)
    card.get_by_label(rag, exact=True).check()
    card.get_by_label(visibility).check()


def wait_for_checks(page):
    """Let the fixture's axe-core and Nu checks of the page just loaded finish before the next step."""
    checked = page.axe_check.__self__.checked
    for _ in range(300):
        if checked and checked[-1].split("#")[0] == page.url.split("#")[0]:
            return
        page.wait_for_timeout(100)


def in_viewport(page, locator):
    box = locator.bounding_box()
    height = page.evaluate("window.innerHeight")
    return box is not None and box["y"] < height and box["y"] + box["height"] > 0


def test_five_columns_saved_in_place_with_javascript(page, live_server, rita, submitted):
    console_errors = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    sign_in(page, live_server, "rita", PASSWORD)
    url = f"{live_server.url}/review/returns/{submitted.pk}/"
    page.goto(url)
    wait_for_checks(page)
    names = headings(submitted)
    loads = count_loads(page)
    announcer = page.locator("[data-review-announce]")
    expect(announcer).to_have_attribute("aria-live", "polite")

    # A refused save first: no visibility chosen (there is no default). Nothing typed is lost.
    card = page.locator("#column-alignment")
    card.scroll_into_view_if_needed()
    card.get_by_label("Commentary").fill(FIVE[0][1])
    card.get_by_label("Green").check()
    card.get_by_role("button", name=f"Save commentary on {names['alignment']}").click()
    expect(card.locator(".govuk-error-message")).to_contain_text("Select who can see this")
    expect(card.get_by_label("Commentary")).to_have_value(FIVE[0][1])
    expect(card.get_by_label("Green")).to_be_checked()
    expect(announcer).to_contain_text("There is a problem: Select who can see this")
    expect(card.get_by_label("Shared with the partnership")).to_be_focused()
    assert not ColumnCommentary.objects.exists()
    page.axe_check()

    for key, text, rag, visibility in FIVE:
        card = page.locator(f"#column-{key}")
        card.scroll_into_view_if_needed()
        fill_card(card, text, rag, visibility)
        card.get_by_role("button", name=f"Save commentary on {names[key]}").click()
        confirmation = f"Commentary on {names[key]} saved"
        expect(card.locator("[data-review-saved]")).to_contain_text(confirmation)
        expect(announcer).to_have_text(confirmation)
        expect(card.locator(".app-review-text")).to_have_text(text)
        expect(card.locator("[data-review-saved]")).to_be_focused()
        # Where it started: same address, the card's confirmation on screen (not back at the top of the page).
        assert page.url == url
        assert in_viewport(page, card.locator("[data-review-saved]"))
    page.axe_check()
    assert loads == [], loads
    saved = {c.column.key: (c.text, c.visibility) for c in ColumnCommentary.objects.select_related("column")}
    assert saved == {key: (text, "opcc" if vis == "OPCC only" else "shared") for key, text, _, vis in FIVE}

    # The card came back on its new version: changing it again is not a conflict.
    card = page.locator("#column-performance")
    card.get_by_text(f"Change commentary on {names['performance']}").click()
    card.get_by_label("Commentary").fill("Referrals now at the minimum target.")
    expect(card.get_by_label("Shared with the partnership")).to_be_checked()  # the saved value, not a default
    card.get_by_role("button", name=f"Save commentary on {names['performance']}").click()
    expect(card.locator(".app-review-text")).to_have_text("Referrals now at the minimum target.")
    assert ColumnCommentary.objects.get(column__key="performance").version == 2
    assert loads == [], loads

    # The pages a reviewer without JavaScript meets, checked here by the fixture's axe-core (it cannot run
    # with JavaScript off): the form posted the ordinary way, refused (its own page), then saved (the card).
    card = page.locator("#column-innovation")
    card.get_by_text(f"Change commentary on {names['innovation']}").click()
    card.get_by_label("Commentary").fill("")
    form = card.locator("form").element_handle()
    page.evaluate("form => HTMLFormElement.prototype.submit.call(form)", form)
    page.wait_for_url(re.compile(r"/columns/innovation/$"))
    wait_for_checks(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter commentary")
    page.get_by_label("Commentary").fill("Internal: compare with Coventry's and Dudley's pilots.")
    page.get_by_role("button", name=f"Save commentary on {names['innovation']}").click()
    page.wait_for_url(re.compile(r"#column-innovation$"))
    wait_for_checks(page)
    expect(page.locator("#column-innovation").get_by_role("alert")).to_contain_text("saved")
    # The script is a file under the strict Content-Security-Policy: nothing was refused.
    assert not [e for e in console_errors if "Content Security Policy" in e or "Refused" in e], console_errors


def test_five_columns_saved_without_javascript_return_to_the_card(browser, live_server, nu, rita, submitted):
    # Our own context: axe-core cannot run with JavaScript off, so this test checks each page with the Nu
    # checker only (the JavaScript test above runs axe-core on these same pages).
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    html_errors = []

    def check_html():
        if nu is not None:
            html_errors.extend(f"{page.url}: {error}" for error in nu.errors(page.content()))

    sign_in(page, live_server, "rita", PASSWORD)
    names = headings(submitted)
    page.goto(f"{live_server.url}/review/returns/{submitted.pk}/")
    check_html()
    for key, text, rag, visibility in FIVE:
        card = page.locator(f"#column-{key}")
        fill_card(card, text, rag, visibility)
        card.get_by_role("button", name=f"Save commentary on {names[key]}").click()
        page.wait_for_url(re.compile(rf"/review/returns/{submitted.pk}/#column-{key}$"))
        card = page.locator(f"#column-{key}")
        expect(card.get_by_role("alert")).to_contain_text(f"Commentary on {names[key]} saved")
        expect(card.locator(".app-review-text")).to_have_text(text)
        assert in_viewport(page, card.get_by_role("alert"))
    check_html()
    assert ColumnCommentary.objects.count() == 5

    # A refused save: the commentary's own page, the message beside the field, the text kept; saving it
    # there brings the reviewer back to the card.
    project = submitted.project_updates.select_related("project").first().project
    card = page.locator(f"#project-{project.pk}")
    card.get_by_label("Commentary").fill("Advocates reached 40 victims.")
    card.get_by_role("button", name=f"Save commentary on {project.name}").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select who can see this")
    expect(page.locator(f"#id_project-{project.pk}-visibility_1_error")).to_contain_text("Select who can see this")
    expect(page.get_by_label("Commentary")).to_have_value("Advocates reached 40 victims.")
    check_html()
    page.get_by_label("Shared with the partnership").check()
    page.get_by_role("button", name=f"Save commentary on {project.name}").click()
    page.wait_for_url(re.compile(rf"#project-{project.pk}$"))
    expect(page.locator(f"#project-{project.pk}").get_by_role("alert")).to_contain_text(
        f"Commentary on {project.name} saved"
    )
    context.close()
    assert not html_errors, "\n".join(html_errors)


def test_journey_count_review_of_one_return(page, live_server, rita, submitted):
    """The README's journey count: one return reviewed (five comments, a flag, a decision) in page loads."""
    sign_in(page, live_server, "rita", PASSWORD)
    names = headings(submitted)
    loads = count_loads(page)
    page.goto(f"{live_server.url}/review/?year=2026-27")
    wait_for_checks(page)
    page.locator(f'a[href="/review/returns/{submitted.pk}/"]').first.click()
    page.wait_for_url(re.compile(rf"/review/returns/{submitted.pk}/$"))
    wait_for_checks(page)

    for key, text, rag, visibility in FIVE:
        card = page.locator(f"#column-{key}")
        fill_card(card, text, rag, visibility)
        card.get_by_role("button", name=f"Save commentary on {names[key]}").click()
        expect(card.locator("[data-review-saved]")).to_contain_text(f"Commentary on {names[key]} saved")

    # The flag is raised on the review page too (its form posts, then comes back to #flags).
    flag = page.locator("#raise-flag")
    flag.get_by_text("Raise a flag").click()
    flag.get_by_label("What is the flag about?").select_option(label=f"Column: {names['performance']}")
    flag.get_by_label("Outcomes not quantified").check()
    flag.get_by_label("Note").fill("Give the number of victims supported.")
    flag.get_by_label("Shared with the partnership").check()
    flag.get_by_role("button", name="Raise flag").click()
    page.wait_for_url(re.compile(r"#flags$"))
    wait_for_checks(page)
    expect(page.get_by_text("1 open flag.")).to_be_visible()

    page.get_by_role("button", name="Accept").click()
    wait_for_checks(page)
    page.get_by_role("button", name="Accept with these flags open").click()
    page.wait_for_url(re.compile(r"#timeline$"))
    wait_for_checks(page)
    expect(page.locator("#timeline")).to_contain_text("Accepted")

    submitted.refresh_from_db()
    assert submitted.status == "accepted"
    assert ColumnCommentary.objects.count() == 5
    assert Flag.objects.get().column.key == "performance"
    documents = [url for url in loads if not url.startswith("navigated")]
    print(f"\nJourney count (review of one return, JavaScript on): {len(documents)} page loads: {documents}")
    assert len(documents) <= JOURNEY_MAX_LOADS, documents
