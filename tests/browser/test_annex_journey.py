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
    expect(page.get_by_role("heading", level=2, name="Walsall")).to_be_visible()

    # Edit a cell in place.
    navigate(page, page.get_by_role("link", name=f"Edit Community engagement for {WALSALL_ROW_1}").click)
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit Community engagement")
    page.get_by_label("Community engagement").fill(
        "Focus groups were held with service users.\n\n- Group one\n- Group two"
    )
    navigate(page, page.get_by_role("button", name="Save cell").click)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Saved Community engagement for Walsall")
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
    assert page.url == f"{live_server.url}/annex/2015-16/#walsall-row-{gps.pk}"
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
    navigate(page, lambda: page.goto(f"{live_server.url}/annex/2015-16/"))
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
