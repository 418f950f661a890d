"""The reviewer's return page draws a project's indicator charts when the reader opens them (issue 12).

The page carries each chart's title, summary and figures table; static/js/review-charts.js fetches the project's
drawings the first time its "Indicators against targets" opens, with the CSP in force. Without JavaScript the
figures are there all the same, in the table. axe-core and the Nu checker look at every page (the `page` fixture).
"""

import re
from decimal import Decimal as D

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from returns.models import IndicatorActual
from tests.conftest import PASSWORD
from tests.reviews.conftest import make_project, make_return

from .conftest import sign_in
from .test_charts import _check_charts, _csp_errors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ORANGE = (
    "rgb(244, 119, 56)"  # the trend charts' second series (returns.charts.TREND_STYLE), as the stylesheet colours it
)


@pytest.fixture
def reported(alice, rita, birmingham):
    """A submitted return of two projects, each with a figure for its indicator."""
    from returns.models import FinancialYear
    from reviews.models import AnnexColumn, FlagType
    from reviews.reference import ensure_flag_types

    year, _ = FinancialYear.get_or_create_for_start(2026)
    periods = year.ensure_periods()
    AnnexColumn.ensure_for_year(year)
    ensure_flag_types(FlagType)
    projects = [make_project(birmingham), make_project(birmingham, name="Youth diversion")]
    return_ = make_return(birmingham, periods[0], by=alice)
    for update in return_.project_updates.all():
        for indicator in update.project.indicators.all():
            IndicatorActual.objects.create(update=update, indicator=indicator, value=D("42"))
    return return_, projects


def test_a_projects_charts_are_drawn_when_opened(page, live_server, reported):
    return_, projects = reported
    errors = _csp_errors(page)
    drawings = []
    page.on("request", lambda request: "/charts/" in request.url and drawings.append(request.url))
    sign_in(page, live_server, "rita", PASSWORD)
    page.goto(f"{live_server.url}{reverse('reviews:return', args=[return_.pk])}")
    expect(page.locator(".app-chart svg")).to_have_count(0)
    assert drawings == []  # nothing fetched until the reader asks

    card = page.locator(f"#project-{projects[0].pk}")
    card.locator(".app-chart-group > summary").click()
    _check_charts(card, 1)  # named by its title and summary, drawn at a readable size
    # Styled by the page's stylesheet: the minimum target's line (one quarter's figure makes no line of its own).
    line = card.locator(".series.serie-1 path.line").first
    assert line.evaluate("e => getComputedStyle(e).stroke") == ORANGE
    assert drawings == [
        f"{live_server.url}{reverse('reviews:return_project_charts', args=[return_.pk, projects[0].pk])}"
    ]
    # The other project's stay undrawn; closing and opening again fetches nothing more.
    expect(page.locator(f"#project-{projects[1].pk} .app-chart svg")).to_have_count(0)
    card.locator(".app-chart-group > summary").click()
    card.locator(".app-chart-group > summary").click()
    expect(card.locator(".app-chart svg")).to_have_count(1)
    assert len(drawings) == 1
    # The figures, as before, behind their own details element.
    card.locator(".app-chart__data > summary").click()
    expect(card.locator(".app-chart tbody tr").first).to_contain_text("42")
    page.axe_check()
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors


def test_the_figures_are_there_with_javascript_off(browser, live_server, reported):
    return_, projects = reported
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, "rita", PASSWORD)
    page.goto(f"{live_server.url}{reverse('reviews:return', args=[return_.pk])}")
    card = page.locator(f"#project-{projects[0].pk}")
    card.locator(".app-chart-group > summary").click()
    figure = card.locator(".app-chart")
    expect(figure.locator(".app-chart__title")).to_have_text(
        re.compile(r"^Referrals: \d{4}-\d{2} against its targets$")
    )
    expect(figure.locator("[role=img]")).to_have_count(0)  # no drawing, so no image for a screen reader to name
    figure.locator(".app-chart__data > summary").click()
    expect(figure.locator("tbody tr").first).to_contain_text("42")
    context.close()
