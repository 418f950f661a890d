"""The board view in a real browser: axe-core clean, every chart named, styled with the CSP in force.
Saves docs/screenshots/board-view.png for the README."""

import re
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from reviews.models import Annex
from reviews.services.annex import annex_publish, annex_start
from tests.conftest import PASSWORD
from tests.reviews.conftest import columns, periods, year  # noqa: F401 (fixtures)
from tests.reviews.test_board_view import board, priorities  # noqa: F401 (fixtures)

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT = Path(settings.BASE_DIR) / "docs" / "screenshots" / "board-view.png"


def test_the_board_view_as_a_reviewer(page, live_server, board, rita):  # noqa: F811
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    sign_in(page, live_server, "rita", PASSWORD)
    page.get_by_role("link", name="Board view").first.click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Board view \d{4}-\d{2}$"))
    page.goto(f"{live_server.url}/review/board/?year=2026-27")
    images = page.locator("[role=img]")
    expect(images).to_have_count(3)  # spend, evidence quality, RAG by priority
    for index in range(3):
        image = images.nth(index)
        title = image.evaluate(
            "e => document.getElementById(e.getAttribute('aria-labelledby').split(' ')[0]).textContent"
        )
        expect(image).to_have_accessible_name(re.compile(rf"^{re.escape(title)} .+\.$"))
        assert image.locator("svg").bounding_box()["width"] > 300
    heatmap = page.get_by_role("table", name=re.compile("^Evidence-quality map"))
    expect(heatmap.get_by_role("row", name=re.compile("^Birmingham"))).to_contain_text("2 open")
    # The RAG chart's first series is drawn red by the stylesheet (RAG_STYLE), and named "Red" in its legend.
    rag = page.locator("#chart-board-rag")
    expect(rag.locator("[role=img]")).to_have_accessible_name(re.compile("^RAG ratings by Plan priority 4 project"))
    assert not [e for e in errors if "Content Security Policy" in e]
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.locator("main").screenshot(path=SCREENSHOT)


def test_the_annex_preview_and_a_published_version_show_the_appendix(page, live_server, board, year, rita):  # noqa: F811
    annex_start(year=year, by=rita)
    annex_publish(annex=Annex.objects.get(), meeting_date=date(2026, 12, 10), by=rita)
    sign_in(page, live_server, "rita", PASSWORD)
    # The appendix has its own page, after the boroughs'.
    for path in (
        "/annex/2026-27/?borough=performance-summary",
        "/annex/2026-27/versions/1/?borough=performance-summary",
    ):
        page.goto(f"{live_server.url}{path}")  # axe-core checks each page as it loads
        expect(page.get_by_role("heading", name="Appendix: Performance summary")).to_be_visible()
        images = page.locator(".app-annex__appendix [role=img]")
        expect(images).to_have_count(3)
        for index in range(3):
            expect(images.nth(index)).to_have_accessible_name(re.compile(r"^.+ .+\.$"))
