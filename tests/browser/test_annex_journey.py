"""A reviewer's year-end journey through the annex, in Chromium, with axe-core on every page."""

import pytest
from docx import Document
from playwright.sync_api import expect

from reviews.models import RollUpRow
from tests.conftest import PASSWORD
from tests.reviews.conftest import annex_2015, seed_json  # noqa: F401 - fixtures

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WALSALL_ROW_1 = "Walsall, Drug Intervention Programme"


def to_walsall(page):
    """The preview shows one borough per page: open Walsall's from the contents."""
    navigate(page, page.locator(".app-annex-contents").get_by_role("link", name="Walsall", exact=True).click)


def navigate(page, action, *, loads=1):
    """Do something that loads a page, then wait for the fixture's axe-core check of it to finish.

    The annex preview is a long page; starting the next navigation while axe-core is still
    checking it would abort the check.
    """
    checked = page.axe_check.__self__.checked
    before = len(checked)
    action()
    for _ in range(300):
        if len(checked) >= before + loads:
            return
        page.wait_for_timeout(100)
    raise AssertionError("axe-core did not finish checking the page")


def test_reviewer_edits_reorders_publishes_compares_and_downloads(page, live_server, rita, annex_2015):  # noqa: F811
    page.set_default_timeout(30_000)
    navigate(page, lambda: sign_in(page, live_server, "rita", PASSWORD), loads=2)
    navigate(page, page.get_by_role("link", name="Annex", exact=True).click)
    navigate(page, page.get_by_role("link", name="2015-16", exact=True).click)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Annex 1 Outcome Reporting")
    expect(page.get_by_role("heading", level=2, name="Birmingham")).to_be_visible()
    to_walsall(page)
    expect(page.get_by_role("heading", level=2, name="Walsall")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="Birmingham")).to_have_count(0)

    # Edit a cell in place.
    navigate(page, page.get_by_role("link", name=f"Edit Community engagement for {WALSALL_ROW_1}").click)
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit Community engagement")
    page.get_by_label("Community engagement").fill(
        "Focus groups were held with service users.\n\n- Group one\n- Group two"
    )
    navigate(page, page.get_by_role("button", name="Save cell").click)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Saved Community engagement for Walsall")
    # Back on Walsall's own page of the preview, at the row (reviews/views/rollup.py `_back_url`).
    assert "?borough=walsall#walsall-row-" in page.url
    walsall = page.locator("section", has=page.get_by_role("heading", name="Walsall"))
    expect(walsall.get_by_role("listitem").filter(has_text="Group two")).to_be_visible()

    # Reorder a row.
    navigate(page, page.get_by_role("button", name=f"Move down {WALSALL_ROW_1}").click)
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Moved Drug Intervention Programme down in Walsall"
    )
    first_project_row = walsall.locator("tbody tr").nth(1)
    expect(first_project_row).to_contain_text("Row 1: Road safety initiative")

    # Hide a row with a reason: edited on the roll-up, then back at the same row of the preview.
    navigate(page, page.get_by_role("link", name="Hide Walsall, GPS monitoring").click)
    expect(page.get_by_role("heading", level=1)).to_have_text("Hide GPS monitoring")
    page.get_by_label("Why is this row hidden from the annex?").fill("Funded by the Youth Fund.")
    navigate(page, page.get_by_role("button", name="Hide row").click)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Hidden GPS monitoring in Walsall")
    gps = RollUpRow.objects.get(rollup__borough__name="Walsall", project__name="GPS monitoring")
    assert page.url == f"{live_server.url}/annex/2015-16/?borough=walsall#walsall-row-{gps.pk}"
    assert (gps.hidden, gps.hidden_reason) == (True, "Funded by the Youth Fund.")
    expect(walsall.locator("tr", has_text="Row 4: GPS monitoring")).to_contain_text("Funded by the Youth Fund.")

    # Publish a version for the board.
    navigate(page, page.get_by_role("button", name="Publish the version for the board").click)
    page.get_by_label("Day").fill("12")
    page.get_by_label("Month").fill("7")
    page.get_by_label("Year").fill("2016")
    navigate(page, page.get_by_role("button", name="Publish this version").click)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Published version 1 for the board")
    expect(page.get_by_text("published for the board meeting of 12 July 2016").first).to_be_visible()

    # Edit again: the draft moves on, the version does not.
    navigate(page, lambda: page.goto(f"{live_server.url}/annex/2015-16/?borough=walsall"))
    navigate(page, page.get_by_role("link", name=f"Edit Community engagement for {WALSALL_ROW_1}").click)
    page.get_by_label("Community engagement").fill("Focus groups were held with service users and carers.")
    navigate(page, page.get_by_role("button", name="Save cell").click)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Saved Community engagement")

    # See the diff.
    navigate(page, page.get_by_role("link", name="Compare it with this draft").click)
    expect(page.get_by_role("heading", level=1)).to_have_text("Changes since version 1")
    expect(page.get_by_text("1 change.")).to_be_visible()
    expect(page.locator("table.app-diff ins").first).to_contain_text("and carers.")

    # Download the published DOCX.
    navigate(page, page.get_by_role("link", name="Published versions").click)
    navigate(page, page.get_by_role("link", name="Version 1", exact=True).click)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download DOCX of version 1").click()
    download = download_info.value
    assert download.suggested_filename == "annex-1-2015-16-v1.docx"
    document = Document(download.path())
    walsall_table = document.tables[5]
    cells = [c.text for row in walsall_table.rows for c in row.cells]
    assert any("Focus groups were held with service users." in text for text in cells)
    assert not any("and carers" in text for text in cells)
    # The published order has Road safety initiative first.
    assert walsall_table.rows[1].cells[2].text.startswith("Road safety initiative")


@pytest.mark.parametrize("width", [320, 375])
def test_the_annex_is_readable_on_a_phone(page, live_server, rita, annex_2015, width):  # noqa: F811
    """Each row's cells stack, each headed by its column: nothing is squeezed to a letter a line or scrolls."""
    from datetime import date

    from reviews.services.annex import annex_publish

    annex_publish(annex=annex_2015, meeting_date=date(2016, 7, 12), by=rita)
    page.set_viewport_size({"width": width, "height": 800})
    navigate(page, lambda: sign_in(page, live_server, "rita", PASSWORD), loads=2)
    for path in ("/annex/2015-16/?borough=birmingham", "/annex/2015-16/versions/1/?borough=birmingham"):
        navigate(page, lambda path=path: page.goto(f"{live_server.url}{path}"))
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
        cells = page.locator(".app-annex__table td")
        widths = cells.evaluate_all("cells => cells.map(cell => cell.getBoundingClientRect().width)")
        assert widths, path
        assert min(widths) > width * 0.7, path  # a cell spans the screen, not a sliver of it
        first = cells.first
        expect(first.locator(".app-annex__cell-label")).to_be_visible()
        expect(first.locator(".app-annex__cell-label")).to_have_text("Alignment to Police and Crime Plan")
        # Birmingham's ten rows of long text: tall, but nowhere near the 320,000 px of one letter a line.
        assert page.evaluate("document.documentElement.scrollHeight") < 60_000, path


def test_at_desktop_width_the_annex_is_a_table_with_its_header_row(page, live_server, rita, annex_2015):  # noqa: F811
    page.set_viewport_size({"width": 1280, "height": 800})
    navigate(page, lambda: sign_in(page, live_server, "rita", PASSWORD), loads=2)
    navigate(page, lambda: page.goto(f"{live_server.url}/annex/2015-16/?borough=walsall"))
    expect(page.locator(".app-annex__table thead th").first).to_be_visible()
    expect(page.locator(".app-annex__cell-label").first).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
