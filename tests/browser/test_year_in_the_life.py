"""A year in the life: an admin opens 2026-27, officers file Q1–Q4, a reviewer comments and accepts, the admin
starts the annex, edits it, publishes it and downloads the DOCX, then closes 2026-27 and opens 2027-28.

Chromium with axe-core on every page load. The live server runs in this process, so the `clock` fixture's
"today" is the server's too: each step happens on its own day of the year.
"""

import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone
from docx import Document
from playwright.sync_api import expect

from returns.models import (
    FinancialYear,
    Indicator,
    Plan,
    PlanPriority,
    Project,
    ProjectYear,
    ReportingPeriod,
    Return,
    SectionStatus,
)
from returns.reference import PRIORITIES_2015_16, ensure_plan
from returns.services import return_start, return_submit
from reviews.models import AnnexColumn, AnnexVersion, ColumnCommentary, Visibility
from reviews.services.review import column_commentary_save
from tests.conftest import PASSWORD

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COMPLETED = "Yes, I’ve completed this section"
PERFORMANCE = "Performance: Impact and Risk Assessment"
INNOVATION_EDIT = "Birmingham piloted a youth-led knife crime panel in spring 2027."
BIRMINGHAM_SHARED = "Strong Q2 referrals growth across the mentoring scheme."
BIRMINGHAM_SECRET = "Internal: the Q2 spend looks front-loaded against the grant."
COVENTRY_SHARED = "Coventry's patrol nights held steady through the autumn."
Q4_ACTIVITY = "Year-end mentoring showcase at Villa Park."


class Clock:
    """Moves `django.utils.timezone.now` (and so `localdate`) to a chosen day; time keeps running from there."""

    def __init__(self, monkeypatch):
        self._real_now = timezone.now
        self._offset = timedelta(0)
        monkeypatch.setattr(timezone, "now", lambda: self._real_now() + self._offset)

    def set(self, day):
        moment = datetime(day.year, day.month, day.day, 9, 30, tzinfo=ZoneInfo(settings.TIME_ZONE))
        self._offset = moment - self._real_now()


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def people(alice, bob, rita, adam):
    return {"alice": alice, "bob": bob, "rita": rita, "adam": adam}


def make_project(borough, name, *, allocation, indicators=(("Referrals engaged", Indicator.Unit.COUNT, 100, 140),)):
    project = Project.objects.create(
        borough=borough, name=name, delivery_partner="St Giles Trust", csf_allocation=Decimal(allocation)
    )
    for indicator, unit, minimum, aspiration in indicators:
        Indicator.objects.create(
            project=project, name=indicator, unit=unit, minimum_target=minimum, aspirational_target=aspiration
        )
    return project


@pytest.fixture
def projects(birmingham, coventry):
    """The projects running when 2026-27 is opened: three continue, one is closed."""
    return {
        "mentoring": make_project(
            birmingham,
            "Knife crime mentoring",
            indicators=[("Young people mentored", Indicator.Unit.COUNT, 40, 60)],
            allocation="30000",
        ),
        "marshals": make_project(
            birmingham,
            "Night-time economy marshals",
            indicators=[("Shifts covered", Indicator.Unit.COUNT, 20, 30)],
            allocation="18000",
        ),
        "cctv": make_project(birmingham, "Legacy CCTV upgrade", allocation="5000"),
        "pastors": make_project(
            coventry,
            "Coventry Street Pastors",
            indicators=[("Patrol nights", Indicator.Unit.COUNT, 30, 45)],
            allocation="12000",
        ),
    }


def navigate(page, action, *, loads=1):
    """Do something that loads a page, then wait for axe-core to finish checking it (long pages take a while)."""
    checked = page.axe_check.__self__.checked
    before = len(checked)
    action()
    for _ in range(300):
        if len(checked) >= before + loads:
            return
        page.wait_for_timeout(100)
    raise AssertionError("axe-core did not finish checking the page")


def switch_user(page, live_server, username):
    page.context.clear_cookies()
    navigate(page, lambda: sign_in(page, live_server, username, PASSWORD), loads=2)


def save_and_continue(page):
    navigate(page, page.get_by_role("button", name="Save and continue").click)


def file_through_services(borough, period, by, *, activity):
    """A whole return filed in Python (the quarters the test does not click through)."""
    return_ = return_start(borough=borough, period=period, by=by)
    return_.alignment_statement = f"{borough.name}'s work in {period.short_label} serves the Plan."
    return_.save(update_fields=["alignment_statement"])
    return_.sections.update(status=SectionStatus.COMPLETED)
    return_.project_updates.update(status=SectionStatus.COMPLETED, activity=activity)
    return return_submit(return_=return_, by=by)


def table_under_heading(document, heading):
    """The table that follows the level-1 heading `heading` in the DOCX (one per borough)."""
    found = False
    for block in document.iter_inner_content():
        if not found:
            found = getattr(block, "style", None) is not None and (
                block.style.name == "Heading 1" and block.text == heading
            )
            continue
        if hasattr(block, "rows"):
            return block
    raise AssertionError(f"No table under the heading {heading!r}")


def column_texts(table, header):
    """Every body cell's text in the column whose header cell reads `header`."""
    headers = [cell.text for cell in table.rows[0].cells]
    index = headers.index(header)
    return [row.cells[index].text for row in table.rows[1:]]


def test_a_year_in_the_life(page, live_server, clock, people, projects, birmingham, coventry, tmp_path):
    page.set_default_timeout(30_000)
    alice, bob, rita, adam = people["alice"], people["bob"], people["rita"], people["adam"]

    # 1. 2 April 2026: the admin opens 2026-27 from the years page, continuing three projects and closing one.
    clock.set(date(2026, 4, 2))
    switch_user(page, live_server, "adam")
    navigate(page, lambda: page.goto(f"{live_server.url}/years/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Financial years")
    expect(page.get_by_role("rowheader", name=re.compile("^2026-27"))).to_have_count(0)
    navigate(page, page.get_by_role("button", name="Open 2026-27").click)
    expect(page.get_by_role("heading", level=1)).to_have_text("Open 2026-27")
    periods_table = page.locator("table", has=page.get_by_text("Periods of 2026-27 and their dates"))
    expect(periods_table.locator("tbody tr")).to_have_count(4)
    expect(periods_table).to_contain_text("30 June 2026")
    page.get_by_label("Allocation for Knife crime mentoring in 2026-27 (£)").fill("32000")
    page.get_by_role("group", name="Legacy CCTV upgrade").get_by_label("Close it now").check()
    navigate(page, page.get_by_role("button", name="Open 2026-27").click)
    expect(page.get_by_role("heading", level=1)).to_have_text("Financial years")
    expect(page.get_by_text("2026-27 is open: 3 projects continued, 1 closed.")).to_be_visible()
    row_2026 = page.locator("tr", has=page.get_by_role("rowheader", name=re.compile("^2026-27")))
    expect(row_2026.locator(".govuk-tag")).to_have_text("Open")
    expect(row_2026.get_by_role("link", name="Q4 2026-27")).to_be_visible()

    year = FinancialYear.objects.get(label="2026-27")
    assert year.periods.count() == 4
    mentoring = projects["mentoring"]
    assert ProjectYear.objects.get(project=mentoring, financial_year=year).csf_allocation == Decimal("32000")
    projects["cctv"].refresh_from_db()
    assert projects["cctv"].status == Project.Status.COMPLETED
    assert not ProjectYear.objects.filter(project=projects["cctv"], financial_year=year).exists()
    # The admin links the year's Police and Crime Plan in the administration (not what this test is about).
    ensure_plan(Plan, PlanPriority, FinancialYear, name="Plan", priorities=PRIORITIES_2015_16, year_start=2026)
    # Opening the year gave it its annex columns (reviews listens to returns' year_opened), so reviewers
    # can comment per column from the first quarter.
    assert [c.key for c in AnnexColumn.objects.for_year(year)] == [
        "alignment",
        "performance",
        "innovation",
        "community",
        "marketing",
    ]

    # 2. Q1–Q3: both partnerships file on time (in Python: the browser files Q4 below).
    periods = {p.quarter: p for p in ReportingPeriod.objects.filter(year=year)}
    filed = {}
    for quarter, day in ((1, date(2026, 7, 10)), (2, date(2026, 10, 9)), (3, date(2027, 1, 12))):
        clock.set(day)
        for borough, officer in ((birmingham, alice), (coventry, bob)):
            filed[borough.slug, quarter] = file_through_services(
                borough, periods[quarter], officer, activity=f"{borough.name} delivered its Q{quarter} plan."
            )
    assert not filed["birmingham", 1].project_updates.filter(project=projects["cctv"]).exists()
    assert filed["birmingham", 3].project_updates.count() == 2

    # 2 (cont.). 3 April 2027: Alice files Birmingham's Q4 return in the browser.
    clock.set(date(2027, 4, 3))
    switch_user(page, live_server, "alice")
    navigate(page, lambda: page.goto(f"{live_server.url}/boroughs/birmingham/returns/?year=2026-27"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Quarterly returns")
    returns_table = page.locator("table", has=page.get_by_text("Returns for 2026-27"))
    for quarter in ("Q1", "Q2", "Q3"):
        row = returns_table.locator("tr", has=page.get_by_role("rowheader", name=re.compile(f"^{quarter} ")))
        expect(row.locator(".govuk-tag")).to_have_text("Submitted")
    navigate(page, page.get_by_role("button", name="Start the Q4 2026-27 return").click)
    expect(page.get_by_role("heading", level=1)).to_have_text("Quarterly return")
    expect(page.get_by_text("You have completed 0 of 7 sections.")).to_be_visible()

    navigate(page, page.get_by_role("link", name="Alignment to the Police and Crime Plan").click)
    page.get_by_label("How the partnership’s work aligns to the Police and Crime Plan").fill(
        "Mentoring and marshals serve the Plan's youth violence and night-time economy priorities."
    )
    page.get_by_label("Young people and youth violence").check()
    page.get_by_label(COMPLETED).check()
    save_and_continue(page)
    for name, indicator, value in (
        ("Knife crime mentoring", "Young people mentored (count)", "58"),
        ("Night-time economy marshals", "Shifts covered (count)", "24"),
    ):
        navigate(page, page.get_by_role("link", name=name).click)
        page.get_by_label("Activity this quarter").fill(Q4_ACTIVITY if name == "Knife crime mentoring" else name)
        page.get_by_label("Outcomes achieved").fill("Most referrals engaged for the whole quarter.")
        page.get_by_label(indicator).fill(value)
        page.get_by_label("Spend this quarter (£)").fill("4000")
        page.get_by_label(COMPLETED).check()
        save_and_continue(page)
    for section in ("Risks", "Community engagement", "Engagement with the OPCC and marketing", "Evidence"):
        navigate(page, page.get_by_role("link", name=section, exact=True).click)
        page.get_by_label(COMPLETED).check()
        save_and_continue(page)
    expect(page.get_by_text("You have completed 7 of 7 sections.")).to_be_visible()
    navigate(page, page.get_by_role("link", name="Check your answers and submit").click)
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before submitting your return")
    expect(page.get_by_text(Q4_ACTIVITY)).to_be_visible()
    page.get_by_label("I confirm this return is accurate").check()
    navigate(page, page.get_by_role("button", name="Submit return").click)
    expect(page.get_by_text("Return submitted.")).to_be_visible()
    q4 = Return.objects.get(borough=birmingham, period=periods[4])
    assert (q4.status, q4.submitted_by) == (Return.Status.SUBMITTED, alice)
    assert q4.submitted_at.date() == date(2027, 4, 3)
    filed["coventry", 4] = file_through_services(coventry, periods[4], bob, activity="Coventry's Q4 patrols.")

    # 3. 20 April 2027: the reviewer comments on Birmingham's Q2 (shared, and OPCC-only) and accepts it.
    clock.set(date(2027, 4, 20))
    switch_user(page, live_server, "rita")
    navigate(page, lambda: page.goto(f"{live_server.url}/review/?year=2026-27"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Returns for 2026-27")
    navigate(page, page.get_by_role("link", name=re.compile("Submitted Birmingham Q2")).click)
    expect(page.get_by_role("heading", level=1)).to_have_text("Review the return")
    expect(page.get_by_text("Birmingham delivered its Q2 plan.").first).to_be_visible()
    # Commentary is written in the column's card on the review page and saved in place: no page load.
    card = page.locator("#column-performance")
    card.get_by_label("Commentary").fill(BIRMINGHAM_SHARED)
    card.get_by_label("Green").check()
    card.get_by_label("Shared with the partnership").check()
    card.get_by_role("button", name="Save commentary").click()
    expect(card.locator(".app-review-text")).to_have_text(BIRMINGHAM_SHARED)
    card = page.locator("#column-alignment")
    card.get_by_label("Commentary").fill(BIRMINGHAM_SECRET)
    card.get_by_label("OPCC only").check()
    card.get_by_role("button", name="Save commentary").click()
    expect(card.locator(".app-review-text")).to_have_text(BIRMINGHAM_SECRET)
    navigate(page, page.get_by_role("button", name="Accept").click)
    navigate(page, page.get_by_role("button", name="Accept return").click)
    expect(page.locator("#timeline")).to_contain_text("Accepted")
    assert Return.objects.get(pk=filed["birmingham", 2].pk).status == Return.Status.ACCEPTED
    navigate(page, lambda: page.goto(f"{live_server.url}/review/?year=2026-27"))
    expect(page.get_by_role("link", name=re.compile("Accepted Birmingham Q2"))).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Submitted Birmingham Q4"))).to_be_visible()
    # Coventry's Q2 commentary, in Python: the annex must put each borough's text in its own table.
    performance = AnnexColumn.objects.get(financial_year=year, key="performance")
    column_commentary_save(
        return_=filed["coventry", 2],
        column=performance,
        text=COVENTRY_SHARED,
        rag="green",
        visibility=Visibility.SHARED,
        expected_version=0,
        by=rita,
    )
    assert ColumnCommentary.objects.filter(period=periods[2], visibility=Visibility.SHARED).count() == 2

    # 4. 10 June 2027: the admin starts the 2026-27 annex, edits a cell, publishes and downloads the DOCX.
    clock.set(date(2027, 6, 10))
    switch_user(page, live_server, "adam")
    navigate(page, page.get_by_role("link", name="Annex", exact=True).click)
    expect(page.get_by_role("heading", level=1)).to_have_text("Annual annexes")
    navigate(page, page.get_by_role("button", name="Start the 2026-27 annex").click)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Started the 2026-27 annex")
    # One borough a page, the first by default; the contents list names all seven.
    expect(page.get_by_role("heading", level=2, name="Birmingham", exact=True)).to_be_visible()
    expect(page.locator(".app-annex__borough-heading")).to_have_count(1)
    contents = page.locator(".app-annex-contents")
    for name in ("Birmingham", "Coventry", "Dudley", "Sandwell", "Solihull", "Walsall", "Wolverhampton"):
        expect(contents.get_by_role("link", name=name, exact=True)).to_be_visible()
    birmingham_section = page.locator("section", has=page.get_by_role("heading", name="Birmingham", exact=True))
    expect(birmingham_section).to_contain_text(f"Q2: {BIRMINGHAM_SHARED}")
    expect(birmingham_section).not_to_contain_text(BIRMINGHAM_SECRET)
    expect(birmingham_section).not_to_contain_text(COVENTRY_SHARED)
    expect(birmingham_section.get_by_text("Row 1: Knife crime mentoring")).to_be_visible()
    expect(birmingham_section).not_to_contain_text("Legacy CCTV upgrade")

    innovation = AnnexColumn.objects.get(financial_year=year, key="innovation").heading
    navigate(
        page,
        page.get_by_role("link", name=f"Edit {innovation} for Birmingham, Annual commentary").click,
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Edit {innovation}")
    page.get_by_label(innovation).fill(INNOVATION_EDIT)
    navigate(page, page.get_by_role("button", name="Save cell").click)
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"Saved {innovation} for Birmingham")
    expect(birmingham_section).to_contain_text(INNOVATION_EDIT)

    navigate(page, page.get_by_role("button", name="Publish the version for the board").click)
    page.get_by_label("Day").fill("24")
    page.get_by_label("Month").fill("6")
    page.get_by_label("Year").fill("2027")
    navigate(page, page.get_by_role("button", name="Publish this version").click)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Published version 1 for the board")
    expect(page.get_by_text("published for the board meeting of 24 June 2027").first).to_be_visible()
    version = AnnexVersion.objects.get(annex__financial_year=year)
    assert (version.number, version.published_by) == (1, adam)
    # With its performance-summary appendix (chart images), the DOCX is prepared on the worker (here at once).
    navigate(page, page.get_by_role("button", name="Prepare the DOCX of version 1").click)
    expect(page.locator("main .govuk-tag")).to_have_text("Ready")
    with page.expect_download() as download_info:
        page.get_by_role("button", name=re.compile(r"^Download .*\.docx")).click()
    download = download_info.value
    assert download.suggested_filename.endswith("2026-27-v1.docx")
    document = Document(download.path())
    birmingham_table = table_under_heading(document, "Birmingham")
    coventry_table = table_under_heading(document, "Coventry")
    assert any(BIRMINGHAM_SHARED in text for text in column_texts(birmingham_table, PERFORMANCE))
    assert any(INNOVATION_EDIT in text for text in column_texts(birmingham_table, innovation))
    assert any(COVENTRY_SHARED in text for text in column_texts(coventry_table, PERFORMANCE))
    everything_birmingham = " ".join(c.text for row in birmingham_table.rows for c in row.cells)
    assert COVENTRY_SHARED not in everything_birmingham
    assert not any(BIRMINGHAM_SHARED in text for text in column_texts(birmingham_table, innovation))
    everything = " ".join(c.text for table in document.tables for row in table.rows for c in row.cells)
    assert BIRMINGHAM_SECRET not in everything

    # 5. 1 July 2027: the admin closes 2026-27, then opens 2027-28.
    clock.set(date(2027, 7, 1))
    switch_user(page, live_server, "adam")  # three weeks on: yesterday's session has timed out
    navigate(page, lambda: page.goto(f"{live_server.url}/years/"))
    navigate(page, page.get_by_role("link", name="Close 2026-27").click)
    expect(page.get_by_role("heading", level=1)).to_have_text("Close 2026-27")
    expect(page.get_by_text("A closed year cannot be reopened.")).to_be_visible()
    navigate(page, page.get_by_role("button", name="Close 2026-27").click)
    expect(page.get_by_text("2026-27 is closed: its returns and roll-ups can no longer be changed.")).to_be_visible()
    row_2026 = page.locator("tr", has=page.get_by_role("rowheader", name=re.compile("^2026-27")))
    expect(row_2026.locator(".govuk-tag")).to_have_text("Closed")
    expect(row_2026).to_contain_text("on 1 July 2027")
    expect(row_2026.get_by_role("link", name="Close 2026-27")).to_have_count(0)
    year.refresh_from_db()
    assert year.is_closed
    assert not ReportingPeriod.objects.filter(year=year, closed_at__isnull=True).exists()

    navigate(page, page.get_by_role("button", name="Open 2027-28").click)
    expect(page.get_by_role("heading", level=1)).to_have_text("Open 2027-28")
    expect(page.get_by_text("2027-28 uses the plan of 2026-27: Plan.")).to_be_visible()
    expect(page.get_by_role("group", name="Legacy CCTV upgrade")).to_have_count(0)
    expect(page.get_by_label("Allocation for Knife crime mentoring in 2027-28 (£)")).to_have_value(
        re.compile(r"^£?32,?000(\.00)?$")
    )
    page.get_by_role("group", name="Night-time economy marshals").get_by_label(
        "Close it at the end of 2026-27"
    ).check()
    navigate(page, page.get_by_role("button", name="Open 2027-28").click)
    expect(page.get_by_text("2027-28 is open: 2 projects continued, 1 closed.")).to_be_visible()
    row_2027 = page.locator("tr", has=page.get_by_role("rowheader", name=re.compile("^2027-28")))
    expect(row_2027.locator(".govuk-tag")).to_have_text("Open")
    expect(row_2027.get_by_role("rowheader")).to_contain_text("(current)")
    for quarter in range(1, 5):
        expect(row_2027.get_by_role("link", name=f"Q{quarter} 2027-28")).to_be_visible()
    next_year = FinancialYear.objects.get(label="2027-28")
    assert next_year.periods.get(quarter=1).opens_on == date(2027, 6, 30)
    # 2026-27 was closed before 2027-28 opened: the project not continued is completed at 2026-27's end.
    marshals = Project.objects.get(pk=projects["marshals"].pk)
    assert (marshals.status, marshals.end_date) == (Project.Status.COMPLETED, date(2027, 3, 31))
    assert Project.objects.get(pk=mentoring.pk).status == Project.Status.ACTIVE
