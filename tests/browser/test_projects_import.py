"""The projects import in a real browser: an OPCC admin downloads the template, uploads a file with a problem,
sees it named on its row, uploads the corrected file and applies it. axe-core checks every page on the way."""

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from returns.models import FinancialYear, Project
from tests.conftest import PASSWORD

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _filled(template, allocation, tmp_path):
    workbook = load_workbook(io.BytesIO(template))
    workbook["Projects"].append(["Birmingham", "Knife crime education", "Prince's Trust", "", allocation, ""])
    workbook["Indicators"].append(
        ["Birmingham", "Knife crime education", "Pupils reached", "Count", None, 10, 20, "Yes"]
    )
    path = tmp_path / f"projects-{allocation}.xlsx"
    workbook.save(path)
    return path


def test_admin_imports_the_years_projects(page, live_server, adam, tmp_path):
    year, _ = FinancialYear.get_or_create_for_start(2026)
    year.ensure_periods()
    sign_in(page, live_server, "adam", PASSWORD)
    page.goto(f"{live_server.url}/years/")
    page.get_by_role("link", name="Import projects for 2026-27").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import projects for 2026-27")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the 2026-27 projects template (XLSX)").click()
    template = download.value.path().read_bytes()

    page.get_by_label("Upload the filled-in template").set_input_files(_filled(template, "twelve", tmp_path))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the projects to import into 2026-27")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Projects sheet, row 2: Allocation (£): 'twelve' is not a number"
    )
    expect(page.get_by_role("button", name="Apply these changes")).to_have_count(0)

    page.get_by_role("link", name="Upload another file").first.click()
    page.get_by_label("Upload the filled-in template").set_input_files(_filled(template, 25000, tmp_path))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.locator("#changes")).to_contain_text("Projects: 1 new")
    page.get_by_role("button", name="Apply these changes").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Financial years")
    expect(page.get_by_text("2026-27 projects imported: 1 project added")).to_be_visible()
    assert Project.objects.get(name="Knife crime education").indicators.count() == 1
