"""The year's data for analysts in Chromium with axe-core: from the review grid to the workbook, and a large
year prepared on the worker (tasks only recorded here, so the test plays the worker)."""

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from reviews.models import YearDataExport
from reviews.tasks import build_year_data_export
from tests.conftest import PASSWORD
from tests.reviews.conftest import periods, year  # noqa: F401 - fixtures
from tests.reviews.data.conftest import mixed_year  # noqa: F401 - fixture

from .conftest import sign_in
from .test_annex_journey import navigate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reviewer_downloads_the_workbook_then_prepares_a_large_years_on_the_worker(
    page,
    live_server,
    rita,
    mixed_year,  # noqa: F811
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    page.set_default_timeout(30_000)
    navigate(page, lambda: sign_in(page, live_server, "rita", PASSWORD), loads=2)
    navigate(page, lambda: page.goto(f"{live_server.url}/review/?year=2026-27"))
    navigate(page, page.get_by_role("link", name="Data for analysts, 2026-27").click)
    expect(page.get_by_role("heading", level=1)).to_have_text("Data for analysts")
    page.get_by_text("Project updates", exact=True).click()
    expect(page.get_by_role("rowheader", name="Override reason")).to_be_visible()
    page.axe_check()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the XLSX workbook of the 2026-27 data").click()
    download = download_info.value
    assert download.suggested_filename == "csp-data-2026-27.xlsx"
    with open(download.path(), "rb") as file:
        assert load_workbook(io.BytesIO(file.read())).sheetnames[0] == "Read me"

    settings.ANALYSTS_WORKBOOK_INLINE_MAX = 0
    navigate(page, page.reload)
    navigate(page, page.get_by_role("button", name="Prepare the CSV ZIP of the 2026-27 data").click)
    expect(page.get_by_role("heading", level=1)).to_have_text("CSV ZIP of the 2026-27 data")
    expect(page.locator("main .govuk-tag")).to_have_text("Queued")
    # The page polls status.json and reloads itself once the worker has built the file.
    navigate(page, lambda: build_year_data_export.call(YearDataExport.objects.get().pk))
    expect(page.locator("main .govuk-tag")).to_have_text("Ready")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download csp-data-2026-27.zip").click()
    assert download_info.value.suggested_filename == "csp-data-2026-27.zip"
