"""Pages that work at every width (issue 15): at 320 to 1920 px nothing scrolls the page sideways, and no table
cell spills out of its scroll container or under a column beside it.

The data is deliberately wide: long project and indicator names, long unbroken URLs in the narratives, eight
indicators a project with targets in the millions, three quarters of figures, every borough in the grid, and the
2015-16 annex with a URL in a cell. Every <details> on the page is opened first, so the tables behind them (the
charts' figures) are measured too.
"""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from returns.models import (
    CommunityEngagement,
    FinancialYear,
    Indicator,
    IndicatorActual,
    OpccEngagement,
    Project,
    Return,
    Risk,
    SectionStatus,
)
from returns.services import return_start
from reviews.annex.importer import validate
from reviews.models import Annex, AnnexColumn, FlagType
from reviews.reference import ensure_flag_types
from reviews.services.annex import annex_import, annex_publish
from tests.reviews.conftest import seed_json  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [320, 375, 768, 1280, 1920]

URL = (
    "https://www.birmingham.gov.uk/downloads/file/28391/"
    "domestic_abuse_advocacy_and_whole_family_support_programme_independent_evaluation_2026_27_final_report.pdf"
)
PROJECT_NAMES = [
    "Domestic abuse advocacy, independent sexual violence advisers and whole-family support across Birmingham",
    "Reducing serious youth violence through detached youth work, mentoring and the Safer Streets partnership",
]
INDICATORS = [
    ("Referrals received from the police, health visitors and children's services", Indicator.Unit.COUNT, 1200, 1600),
    (
        "Percentage of victims reporting that they feel safer after six months of support",
        Indicator.Unit.PERCENT,
        70,
        85,
    ),
    ("Match funding secured from partners, housing associations and the NHS", Indicator.Unit.POUNDS, 1250000, 1750000),
    ("Volunteer hours contributed by trained community champions", Indicator.Unit.HOURS, 12000, 16000),
    ("Repeat referrals within twelve months (multi-agency risk assessment conference)", Indicator.Unit.COUNT, 90, 60),
    ("Young people completing the twelve-week mentoring programme", Indicator.Unit.COUNT, 450, 600),
    ("Schools and colleges receiving healthy-relationships workshops", Indicator.Unit.COUNT, 85, 120),
    ("Professionals trained in domestic abuse risk assessment (DASH)", Indicator.Unit.COUNT, 1500, 2000),
]


def _narrative(topic):
    return (
        f"{topic}: the partnership delivered 312 one-to-one sessions and 48 group sessions across the city, with "
        f"the full evaluation at {URL} and the partners' minutes at {URL}?page=appendix_b_minutes_of_meetings."
    )


def _fill_return(return_, quarter, *, status, by):
    """A return with every section complete, realistic long text and indicator figures for the quarter."""
    return_.sections.update(status=SectionStatus.COMPLETED)
    return_.alignment_statement = _narrative("Alignment with the Police and Crime Plan's priorities")
    for update in return_.project_updates.select_related("project"):
        update.status = SectionStatus.COMPLETED
        update.activity = _narrative(f"Q{quarter} activity")
        update.outcomes = _narrative(f"Q{quarter} outcomes")
        update.spend = Decimal("123456.78")
        update.expected_spend = Decimal("250000")
        update.save()
        for n, indicator in enumerate(update.project.indicators.all()):
            IndicatorActual.objects.create(update=update, indicator=indicator, value=Decimal(300 * quarter + n))
    Risk.objects.create(
        return_of=return_,
        description=_narrative("Risk that referrals outstrip capacity"),
        likelihood=4,
        impact=5,
        mitigation=_narrative("Mitigation"),
        owner="Head of Community Safety, Birmingham City Council",
    )
    CommunityEngagement.objects.create(
        return_of=return_,
        date=datetime.date(2026, 3 * quarter + 1, 12),
        title="Community safety roadshow at the Bullring and Grand Central",
        description=_narrative("Roadshow"),
        people_reached=12345,
        partners="West Midlands Police, West Midlands Fire Service, Birmingham Women's Aid, St Basils",
    )
    OpccEngagement.objects.create(
        return_of=return_,
        date=datetime.date(2026, 3 * quarter + 1, 20),
        what=_narrative("Launch event"),
        pcc_involvement=OpccEngagement.Pcc.DEPUTY_ATTENDED,
        logo_used=True,
    )
    return_.status = status
    if status != Return.Status.DRAFT:
        return_.submitted_by, return_.submitted_at = by, timezone.now()
    return_.save()
    return return_


def _project(borough, name):
    project = Project.objects.create(
        borough=borough,
        name=f"{borough.name}: {name}",
        delivery_partner="Birmingham and Solihull Women's Aid with St Giles Trust and Barnardo's",
        description=_narrative("Description"),
        csf_allocation=Decimal("1250000"),
    )
    for ind_name, unit, minimum, aspiration in INDICATORS:
        Indicator.objects.create(
            project=project,
            name=ind_name,
            unit=unit,
            baseline=minimum // 2,
            minimum_target=minimum,
            aspirational_target=aspiration,
            higher_is_better=aspiration > minimum,
        )
    return project


def _quarters(borough, periods, states, by):
    """Returns for the first quarters in `states`, each filled in: several quarters of figures."""
    return [
        _fill_return(return_start(borough=borough, period=period, by=by), quarter, status=status, by=by)
        for quarter, (period, status) in enumerate(zip(periods, states, strict=False), start=1)
    ]


@pytest.fixture
def periods(west_midlands):
    year, _ = FinancialYear.get_or_create_for_start(2026)
    AnnexColumn.ensure_for_year(year)
    ensure_flag_types(FlagType)
    return year.ensure_periods()


@pytest.fixture
def wide(birmingham, periods, alice, rita):
    """Birmingham: two projects of eight indicators; Q1 accepted, Q2 with the OPCC, Q3 the officer's draft."""
    projects = [_project(birmingham, name) for name in PROJECT_NAMES]
    _q1, submitted, draft = _quarters(
        birmingham, periods, [Return.Status.ACCEPTED, Return.Status.SUBMITTED, Return.Status.DRAFT], alice
    )
    return {
        "draft": draft,
        "update": draft.project_updates.order_by("pk").first(),
        "project": projects[0],
        "submitted": submitted,
    }


@pytest.fixture
def every_borough(west_midlands, periods, alice):
    """The other six boroughs, each with a project and returns in two quarters: a full grid."""
    for borough in west_midlands.exclude(slug="birmingham"):
        _project(borough, PROJECT_NAMES[1])
        _quarters(borough, periods, [Return.Status.ACCEPTED, Return.Status.SUBMITTED], alice)


@pytest.fixture
def published_annex(west_midlands, rita, seed_json):  # noqa: F811
    """The 2015-16 annex with a long URL in a cell, and version 1 published from it."""
    seed = {
        **seed_json,
        "boroughs": [
            {**b, "rows": [{**r, "cells": dict(r["cells"])} for r in b["rows"]]} for b in seed_json["boroughs"]
        ],
    }
    cells = seed["boroughs"][0]["rows"][0]["cells"]
    cells["community"] = f"{cells.get('community', '')} The full report is at {URL}".strip()
    annex_import(spec=validate(seed))
    annex = Annex.objects.get(financial_year__label="2015-16")
    annex_publish(annex=annex, meeting_date=datetime.date(2016, 7, 12), by=rita)
    return annex


PAGES = {
    # name: (who, the path from the `wide` fixture's data, any further data the page needs)
    "task list": ("alice", lambda d: f"/returns/{d['draft'].pk}/", ()),
    "project task": ("alice", lambda d: f"/returns/{d['draft'].pk}/projects/{d['update'].pk}/", ()),
    "check answers": ("alice", lambda d: f"/returns/{d['draft'].pk}/check/", ()),
    "project": ("alice", lambda d: f"/boroughs/birmingham/projects/{d['project'].pk}/", ()),
    "review return": ("rita", lambda d: f"/review/returns/{d['submitted'].pk}/", ()),
    "grid": ("rita", lambda d: "/review/", ("every_borough",)),
    "annex preview": ("rita", lambda d: "/annex/2015-16/", ("published_annex",)),
    "annex version": ("rita", lambda d: "/annex/2015-16/versions/1/", ("published_annex",)),
}


def load(page, url):
    """Open `url` and wait for the fixture's axe-core and Nu checks of it: they run beside the test, and
    measuring (or ending the test) before they finish would cut them short."""
    checked = page.axe_check.__self__.checked
    before = len(checked)
    response = page.goto(url)
    for _ in range(600):
        if len(checked) > before:
            return response
        page.wait_for_timeout(100)
    raise AssertionError(f"axe-core did not finish checking {url}")


def signed_in(page, live_server, username):
    """A session made on the server side and handed to the browser: the sign-in pages are tested elsewhere,
    and loading them here (each checked by axe-core and Nu) would double the run time."""
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])


# Returns, for every visible table cell, what is wrong with where it is drawn: outside its table's scroll
# container (or the viewport, when it has none), or over an element in a column beside its own (the review
# page's commentary). Cells and elements are measured by what shows of them: a cell scrolled out of sight inside
# its container is not drawn over anything.
LAYOUT_PROBLEMS = """
() => {
  const problems = [];
  const viewport = {left: 0, right: document.documentElement.clientWidth};
  const label = (cell) => (cell.innerText || cell.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 60);
  const clips = (el) => ["auto", "scroll", "hidden", "clip"].includes(getComputedStyle(el).overflowX);

  // What of an element shows: its box cut by every ancestor that clips overflow (a table's scroll container).
  function visible(el) {
    const r = el.getBoundingClientRect();
    let box = {left: r.left, right: r.right, top: r.top, bottom: r.bottom};
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (!clips(a)) continue;
      const c = a.getBoundingClientRect();
      box = {
        left: Math.max(box.left, c.left), right: Math.min(box.right, c.right),
        top: Math.max(box.top, c.top), bottom: Math.min(box.bottom, c.bottom),
      };
    }
    return box;
  }
  const overlaps = (a, b) =>
    a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;

  for (const table of document.querySelectorAll("table")) {
    if (!table.getClientRects().length) continue;
    const scroller = table.closest(".app-table-scroll");
    const bounds = scroller ? scroller.getBoundingClientRect() : viewport;
    // The columns beside the one the table is in, and everything in them.
    const column = table.closest('[class*="govuk-grid-column"]');
    const others = [];
    if (column && column.parentElement) {
      for (const sibling of column.parentElement.children) {
        if (sibling === column || !sibling.getClientRects().length) continue;
        for (const el of [sibling, ...sibling.querySelectorAll("*")]) {
          if (!el.getClientRects().length) continue;
          const box = visible(el);
          if (box.right > box.left && box.bottom > box.top) others.push([el, box]);
        }
      }
    }
    for (const cell of table.querySelectorAll("td, th")) {
      const r = cell.getBoundingClientRect();
      if (!r.width || !r.height) continue;
      const box = visible(cell);
      if (box.right <= box.left) continue;  // scrolled wholly out of sight inside its container
      if (box.left < bounds.left - 1 || box.right > bounds.right + 1) {
        const px = (a, b) => `${Math.round(a)}-${Math.round(b)} px`;
        problems.push(`"${label(cell)}" spills out of ${scroller ? "its scroll container" : "the viewport"}`
          + ` (${px(box.left, box.right)}, which ends at ${px(bounds.left, bounds.right)})`);
        continue;
      }
      for (const [other, otherBox] of others) {
        if (overlaps(box, otherBox)) {
          const what = other.id ? `#${other.id}` : `<${other.tagName.toLowerCase()} class="${other.className}">`;
          problems.push(`"${label(cell)}" lies over ${what} in the next column`);
          break;
        }
      }
    }
  }
  return problems;
}
"""

# Tables that are not inside a labelled, focusable scroll container (GOV.UK's pattern). A table that cannot
# outgrow its container needs none: one stacked at this width (not displayed as a table, like the annex on a
# phone) or with a fixed layout (its columns share the container's width and their text wraps).
UNWRAPPED_TABLES = """
() => [...document.querySelectorAll("table")]
  .filter((table) => table.getClientRects().length)
  .filter((table) => {
    const style = getComputedStyle(table);
    return style.display === "table" && style.tableLayout !== "fixed";
  })
  .filter((table) => {
    const s = table.closest(".app-table-scroll");
    return !(s && s.getAttribute("role") === "region" && s.getAttribute("aria-label") && s.tabIndex === 0);
  })
  .map((table) => table.id || (table.caption ? table.caption.innerText.trim() : table.className) || "a table")
"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", list(PAGES))
def test_page_fits_its_width(page, live_server, request, wide, name, width):
    who, path, needs = PAGES[name]
    for fixture in needs:
        request.getfixturevalue(fixture)
    page.set_default_timeout(30_000)
    page.set_viewport_size({"width": width, "height": 900})
    signed_in(page, live_server, who)
    response = load(page, f"{live_server.url}{path(wide)}")
    assert response.status == 200, f"{name}: {response.status}"
    page.evaluate("() => document.querySelectorAll('details').forEach((d) => { d.open = true; })")

    scroll_width, inner_width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= inner_width, f"{name} at {width} px scrolls sideways to {scroll_width} px"
    assert page.evaluate(LAYOUT_PROBLEMS) == [], f"{name} at {width} px"
    assert page.evaluate(UNWRAPPED_TABLES) == [], f"{name} at {width} px: tables outside a scroll container"


def test_the_checks_see_a_table_spilling_under_the_commentary(page, live_server, wide):
    """Without its scroll container (as before issue 15), the review page's indicator table runs under the
    commentary column at 1280 px, and the check above says so: it is not passing for want of looking."""
    page.set_default_timeout(30_000)
    page.set_viewport_size({"width": 1280, "height": 900})
    signed_in(page, live_server, "rita")
    load(page, f"{live_server.url}/review/returns/{wide['submitted'].pk}/")
    page.evaluate(
        """() => document.querySelectorAll(".app-table-scroll").forEach((box) => {
          box.classList.remove("app-table-scroll");
        })"""
    )
    problems = page.evaluate(LAYOUT_PROBLEMS)
    assert any("Targets" in problem and "next column" in problem for problem in problems), problems
