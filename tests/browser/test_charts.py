"""Charts in a real browser: styled by the site's stylesheet with the CSP in force (no CSP errors), named for
screen readers, clean for axe-core, and still there with JavaScript off. Saves docs/screenshots/project-chart.png."""

import re
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from returns.models import FinancialYear
from returns.services import return_start, return_submit
from tests.conftest import PASSWORD
from tests.returns.charts.test_pages import report
from tests.returns.conftest import complete_everything, make_project

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT = Path(settings.BASE_DIR) / "docs" / "screenshots" / "project-chart.png"
BLUE = "rgb(29, 112, 184)"  # GOV.UK blue: the first series, as the stylesheet colours it


@pytest.fixture
def youth(birmingham, alice):
    """A project with two quarters of figures this year and one last year."""
    last, _ = FinancialYear.get_or_create_for_start(2025)
    last.ensure_periods()
    year, _ = FinancialYear.get_or_create_for_start(2026)
    year.ensure_periods()
    project = make_project(birmingham, "Youth violence prevention")
    make_project(birmingham, "Business crime")
    earlier = return_start(borough=birmingham, period=last.periods.get(quarter=1), by=alice)
    report(earlier, project.name, referrals=D("20"))
    first = return_start(borough=birmingham, period=year.periods.get(quarter=1), by=alice)
    report(first, project.name, spend=D("9000"), referrals=D("22"))
    report(first, "Business crime", spend=D("12000"), referrals=D("40"))
    complete_everything(first)
    return_submit(return_=first, by=alice)
    second = return_start(borough=birmingham, period=year.periods.get(quarter=2), by=alice)
    report(second, project.name, spend=D("11000"), referrals=D("41"))
    return project


def _csp_errors(page):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return errors


def _check_charts(root, count):
    """`count` charts in `root` (a page or a part of one), each named, each drawn at a readable size."""
    images = root.locator(".app-chart [role=img]")
    expect(images).to_have_count(count)
    for index in range(count):
        image = images.nth(index)
        # Named by the title and the one-sentence summary.
        title = image.evaluate(
            "e => document.getElementById(e.getAttribute('aria-labelledby').split(' ')[0]).textContent"
        )
        expect(image).to_have_accessible_name(re.compile(rf"^{re.escape(title)} .+\.$"))
        box = image.locator("svg").bounding_box()
        assert box["width"] > 300
        assert box["height"] > 150


def test_project_and_borough_charts(page, live_server, youth):
    errors = _csp_errors(page)
    sign_in(page, live_server, "alice", PASSWORD)
    response = page.goto(f"{live_server.url}{youth.get_absolute_url()}")
    assert "style-src 'self'" in response.headers["content-security-policy"]
    _check_charts(page, 2)  # the indicator, the spend
    chart = page.locator(".app-chart").first
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    chart.screenshot(path=SCREENSHOT)
    expect(chart.locator("[role=img]")).to_have_accessible_name(re.compile("^Referrals engaged: 2026-27 against"))
    # Styled with the CSP in force: the page's stylesheet colours the line and sets the chart's font.
    line = chart.locator(".series.serie-0 path.line").first
    assert line.evaluate("e => getComputedStyle(e).stroke") == BLUE
    assert line.evaluate("e => getComputedStyle(e).fill") == "none"
    assert "Arial" in chart.locator("svg").evaluate("e => getComputedStyle(e).fontFamily")
    # Printed, the figures show without opening the details element.
    expect(chart.locator("table")).to_be_hidden()
    page.emulate_media(media="print")
    expect(chart.locator("table")).to_be_visible()
    page.emulate_media(media="screen")
    # The figures behind the details element.
    chart.locator(".govuk-details__summary").click()
    expect(chart.locator("tbody tr").first).to_contain_text("22")
    page.axe_check()

    page.goto(f"{live_server.url}/boroughs/birmingham/returns/?year=2026-27")
    _check_charts(page, 2)  # RAG by quarter, spend
    rag = page.locator("#chart-borough-rag")
    expect(rag.locator("svg text", has_text="1 red")).to_have_count(1)
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors


def test_charts_show_with_javascript_off(browser, live_server, youth, west_midlands):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, "alice", PASSWORD)
    page.goto(f"{live_server.url}{youth.get_absolute_url()}")
    _check_charts(page, 2)
    expect(page.locator(".app-chart").first.locator("svg .series.serie-0 path.line").first).to_be_visible()
    context.close()


def test_officer_task_and_reviewer_cards(page, live_server, youth, rita):
    errors = _csp_errors(page)
    second, first = youth.updates.select_related("return_of").order_by("-return_of__period__start_date")[:2]
    sign_in(page, live_server, "alice", PASSWORD)
    page.goto(f"{live_server.url}{reverse('return_project', args=[second.return_of_id, second.pk])}")
    page.locator("#indicator-charts > summary").click()
    _check_charts(page, 1)
    page.axe_check()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, "rita", PASSWORD)
    page.goto(f"{live_server.url}{reverse('reviews:return', args=[first.return_of_id])}")
    card = page.locator(f"#project-{youth.pk}")
    card.locator(".app-chart-group > summary").click()
    _check_charts(card, 1)
    expect(card.locator(".app-chart--compact")).to_have_count(1)
    page.axe_check()
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
