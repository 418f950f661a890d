"""An officer fills a quarter in a spreadsheet: download the template, upload it filled, check the preview, confirm."""

from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from returns.models import FinancialYear, Indicator, IndicatorActual, ProjectUpdate
from returns.services import return_start
from tests.conftest import PASSWORD
from tests.returns.conftest import make_project
from tests.returns.imports.conftest import fill

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def draft(alice, birmingham, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    year, _ = FinancialYear.get_or_create_for_start(2026)
    year.ensure_periods()
    make_project(
        birmingham, "Youth violence prevention", indicators=[("Referrals received", Indicator.Unit.COUNT, 120, 160)]
    )
    return return_start(borough=birmingham, period=year.periods.get(quarter=2), by=alice)


def test_officer_imports_a_quarter_from_a_spreadsheet(page, live_server, draft, tmp_path):
    sign_in(page, live_server, "alice", PASSWORD)
    page.goto(f"{live_server.url}{draft.get_absolute_url()}")
    page.get_by_role("link", name="Fill in the projects' figures in a spreadsheet").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fill it in offline")

    with page.expect_download() as info:
        page.get_by_role("button", name="Download the spreadsheet (XLSX)").click()
    downloaded = Path(info.value.path()).read_bytes()
    assert info.value.suggested_filename == "birmingham-2026-27-q2-figures.xlsx"

    filled = tmp_path / "figures.xlsx"
    filled.write_bytes(
        fill(
            downloaded,
            actuals={("Youth violence prevention", "Referrals received"): 131},
            spend={"Youth violence prevention": (9500, 20000)},
        )
    )
    page.get_by_label("Upload your filled-in spreadsheet").set_input_files(filled)
    page.get_by_role("button", name="Upload and preview").click()
    page.wait_for_load_state()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check the changes from your spreadsheet")
    table = page.get_by_role("table")
    expect(table).to_contain_text("Indicators row 2")
    expect(table).to_contain_text("131")
    expect(table).to_contain_text("£9,500.00")
    expect(table).to_contain_text("£20,000.00")
    assert not IndicatorActual.objects.filter(value__isnull=False).exists()

    page.get_by_role("button", name="Confirm and apply").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text("Quarterly return")
    expect(page.get_by_text("1 project updated")).to_be_visible()

    update = ProjectUpdate.objects.get(return_of=draft)
    assert (update.spend, update.expected_spend) == (Decimal("9500.00"), Decimal("20000.00"))
    assert update.actuals.get().value == Decimal("131.00")
    page.get_by_role("link", name="Youth violence prevention").click()
    page.wait_for_load_state()
    expect(page.get_by_label("Referrals received (count)")).to_have_value("131")


def test_a_file_with_a_problem_is_shown_and_nothing_is_applied(page, live_server, draft, tmp_path):
    sign_in(page, live_server, "alice", PASSWORD)
    page.goto(f"{live_server.url}/returns/{draft.pk}/import/")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download the spreadsheet (XLSX)").click()
    filled = tmp_path / "figures.xlsx"
    filled.write_bytes(
        fill(
            Path(info.value.path()).read_bytes(), actuals={("Youth violence prevention", "Referrals received"): "lots"}
        )
    )
    page.get_by_label("Upload your filled-in spreadsheet").set_input_files(filled)
    page.get_by_role("button", name="Upload and preview").click()
    page.wait_for_load_state()
    expect(page.get_by_role("alert")).to_contain_text("Indicators row 2: 'lots' is not a number")
    expect(page.get_by_role("button", name="Confirm and apply")).to_have_count(0)
    expect(page.get_by_role("button", name="Upload a corrected file")).to_be_visible()
    assert not IndicatorActual.objects.exists()
