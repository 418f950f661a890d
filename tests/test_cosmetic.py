"""Cosmetic rules (issue 15, item 8), each checked at its cause: one GOV.UK date and time style for the whole
service, no "None" on a summary, link-buttons that Space activates, one character-count message without
JavaScript, and headings that never skip a level."""

import re
from datetime import date, datetime
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.template import engines
from django.urls import reverse

from boroughs.formats import govuk_date, govuk_datetime, govuk_time
from returns.models import FinancialYear, Project, Return
from returns.services import return_start, return_submit
from tests.returns.conftest import complete_everything, make_project

LONDON = ZoneInfo("Europe/London")
TEMPLATES = Path(settings.BASE_DIR) / "templates"


@pytest.fixture
def year(db):
    year, _ = FinancialYear.get_or_create_for_start(2026)
    year.ensure_periods()
    return year


@pytest.fixture
def bare_project(birmingham):
    """A project with none of its optional details: no partner, description, priorities or dates."""
    return Project.objects.create(borough=birmingham, name="Street pastors", csf_allocation=1000)


@pytest.fixture
def draft(birmingham, alice, year):
    make_project(birmingham, "Youth violence prevention")
    return return_start(borough=birmingham, period=year.periods.get(quarter=2), by=alice)


@pytest.fixture
def submitted(draft, alice):
    complete_everything(draft)
    submitted = return_submit(return_=draft, by=alice)
    # 8:06pm on New Year's Day, London time (GMT): the time the issue saw printed as "8:06p.m.".
    Return.objects.filter(pk=submitted.pk).update(submitted_at=datetime(2027, 1, 1, 20, 6, tzinfo=LONDON))
    submitted.refresh_from_db()
    return submitted


def text_of(response):
    """The page's text with its whitespace collapsed, as a reader sees it."""
    assert response.status_code == 200
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


# --- Dates and times ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "time", "full"),
    [
        (datetime(2027, 1, 1, 20, 6, tzinfo=LONDON), "8:06pm", "1 January 2027 at 8:06pm"),
        (datetime(2027, 1, 1, 9, 0, tzinfo=LONDON), "9am", "1 January 2027 at 9am"),
        (datetime(2027, 1, 1, 12, 0, tzinfo=LONDON), "midday", "1 January 2027 at midday"),
        (datetime(2027, 1, 2, 0, 0, tzinfo=LONDON), "midnight", "2 January 2027 at midnight"),
        # Stored in UTC, shown in London time (British Summer Time here).
        (datetime(2026, 11, 28, 20, 7, 41, 250743, tzinfo=ZoneInfo("UTC")), "8:07pm", "28 November 2026 at 8:07pm"),
        (datetime(2026, 7, 1, 11, 30, tzinfo=ZoneInfo("UTC")), "12:30pm", "1 July 2026 at 12:30pm"),
    ],
)
def test_times_are_in_govuk_style(moment, time, full):
    assert govuk_time(moment) == time
    assert govuk_datetime(moment) == full


def test_dates_and_nothing():
    assert govuk_date(date(2027, 1, 1)) == "1 January 2027"
    assert govuk_datetime(date(2027, 1, 1)) == "1 January 2027"
    assert govuk_date(None) == govuk_time(None) == govuk_datetime(None) == ""


def test_the_filters_are_built_into_every_template():
    template = engines["django"].from_string("{{ at|govuk_datetime }}|{{ at|govuk_time }}|{{ at|govuk_date }}")
    moment = datetime(2027, 1, 1, 20, 6, tzinfo=LONDON)
    assert template.render({"at": moment}) == "1 January 2027 at 8:06pm|8:06pm|1 January 2027"


def test_no_template_formats_a_time_its_own_way():
    """Django's "a" prints "p.m." and "H:i" a 24-hour clock: times go through govuk_datetime/govuk_time."""
    offenders = []
    for path in TEMPLATES.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".txt"):
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if re.search(r'\|(date|time):"[^"]*[aAgGhHiPs]', line):
                    offenders.append(f"{path.relative_to(TEMPLATES)}:{number}")
    assert not offenders, "time formats outside boroughs/formats.py:\n" + "\n".join(offenders)


def test_submitted_time_reads_like_govuk(client, alice, submitted):
    client.force_login(alice)
    page = text_of(client.get(reverse("return_detail", args=[submitted.pk])))
    assert "Submitted on 1 January 2027 at 8:06pm" in page
    assert "p.m." not in page


def test_history_shows_human_dates_and_times(client, alice, submitted):
    client.force_login(alice)
    page = text_of(client.get(f"/returns/{submitted.pk}/history/"))
    assert re.search(r"\d{1,2} [A-Z][a-z]+ \d{4} at (\d{1,2}(:\d\d)?[ap]m|midday|midnight)", page), page
    assert not re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d", page), "a raw datetime is shown"
    assert "p.m." not in page
    assert "a.m." not in page


def test_history_values_that_are_dates_or_times_are_human():
    from reviews.selectors.history import _show

    moment = Return._meta.get_field("submitted_at")
    started = Project._meta.get_field("start_date")
    assert _show(moment, datetime(2026, 11, 28, 20, 7, 41, 250743, tzinfo=ZoneInfo("UTC"))) == (
        "28 November 2026 at 8:07pm"
    )
    assert _show(started, date(2027, 4, 1)) == "1 April 2027"


# --- No "None" on a summary ---------------------------------------------------------------------------------


def test_project_page_without_optional_details_says_not_given(client, alice, bare_project, birmingham):
    client.force_login(alice)
    page = text_of(client.get(reverse("project_detail", args=[birmingham.slug, bare_project.pk])))
    assert "None" not in page
    assert "No start date" not in page
    assert "no end date" not in page
    assert "Description Not given" in page
    assert "Dates Not given" in page


@pytest.mark.parametrize(
    ("dates", "shown"),
    [
        ({"start_date": date(2026, 4, 1), "end_date": date(2027, 3, 31)}, "Dates 1 April 2026 to 31 March 2027"),
        ({"start_date": date(2026, 4, 1)}, "Dates From 1 April 2026"),
        ({"end_date": date(2027, 3, 31)}, "Dates Until 31 March 2027"),
    ],
)
def test_project_page_says_what_is_known_of_its_dates(client, alice, birmingham, dates, shown):
    project = Project.objects.create(borough=birmingham, name="Street pastors", csf_allocation=1000, **dates)
    client.force_login(alice)
    assert shown in text_of(client.get(reverse("project_detail", args=[birmingham.slug, project.pk])))


# --- Links styled as buttons --------------------------------------------------------------------------------

LINK = re.compile(r"<a\b[^>]*>", re.S)


def test_every_link_styled_as_a_button_is_a_govuk_button():
    """GOV.UK: a link that looks like a button has role="button" and data-module="govuk-button", so Space
    activates it as it does a button (and draggable="false", so dragging it does not move a link)."""
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        for tag in LINK.findall(path.read_text()):
            if re.search(r'class="[^"]*\bgovuk-button\b', tag):
                missing = [a for a in ('role="button"', 'data-module="govuk-button"') if a not in tag]
                if missing:
                    offenders.append(f"{path.relative_to(TEMPLATES)}: {' '.join(tag.split())} lacks {missing}")
    assert not offenders, "\n".join(offenders)


def test_add_an_activity_is_a_button_that_space_activates(client, alice, draft):
    client.force_login(alice)
    html = client.get(reverse("return_log", args=[draft.pk, "community"])).content.decode()
    (tag,) = [t for t in LINK.findall(html) if "/add/" in t]
    assert 'role="button"' in tag
    assert 'data-module="govuk-button"' in tag


# --- Character counts ---------------------------------------------------------------------------------------


def test_a_character_count_states_its_limit_once_without_javascript(client, alice, draft):
    update = draft.project_updates.get()
    client.force_login(alice)
    html = client.get(reverse("return_project", args=[draft.pk, update.pk])).content.decode()
    counts = html.count('data-module="govuk-character-count"')
    assert counts, "the page has character counts"
    assert html.count("You can enter up to") == counts, "one limit message per character count"


# --- Tags ---------------------------------------------------------------------------------------------------


def test_a_tag_is_kept_on_one_line_from_tablet_up():
    """GOV.UK Frontend caps a tag at 160px, so "Changes requested" broke mid-phrase: ours lifts the cap and keeps
    it on one line (it may wrap inside its own box only on small screens, rather than overflow)."""
    css = (Path(settings.BASE_DIR) / "static" / "src" / "_components.scss").read_text()
    rule = re.search(r"^\.govuk-tag \{(.*?)^\}", css, re.S | re.M)
    assert rule, "no .govuk-tag rule in static/src/_components.scss"
    assert "max-width: none;" in rule.group(1)
    assert "white-space: nowrap;" in rule.group(1)


# --- Headings -----------------------------------------------------------------------------------------------


class Headings(HTMLParser):
    def __init__(self):
        super().__init__()
        self.levels = []

    def handle_starttag(self, tag, attrs):
        if re.fullmatch(r"h[1-6]", tag):
            self.levels.append(int(tag[1]))


def heading_levels(html):
    parser = Headings()
    parser.feed(html)
    return parser.levels


def assert_no_skipped_heading(html, where):
    levels = heading_levels(html)
    assert levels, f"{where}: no headings"
    assert levels[0] == 1, f"{where}: the first heading is not an h1: {levels}"
    for before, after in pairwise(levels):
        assert after <= before + 1, f"{where}: h{before} is followed by h{after}: {levels}"


def test_the_checker_finds_a_skipped_level():
    with pytest.raises(AssertionError, match="h1 is followed by h3"):
        assert_no_skipped_heading("<h1>a</h1><h2>b</h2><h1>c</h1><h3>d</h3>", "example")


def test_headings_never_skip_a_level_on_officer_pages(client, alice, birmingham, submitted, bare_project):
    client.force_login(alice)
    pages = [
        "/",
        reverse("project_list", args=[birmingham.slug]),
        reverse("project_detail", args=[birmingham.slug, bare_project.pk]),
        reverse("borough_returns", args=[birmingham.slug]),
        reverse("return_detail", args=[submitted.pk]),
        reverse("return_check", args=[submitted.pk]),
        reverse("return_print", args=[submitted.pk]),
        f"/returns/{submitted.pk}/history/",
    ]
    for url in pages:
        response = client.get(url, follow=True)  # "/" sends each person to their home page
        assert response.status_code == 200, url
        assert_no_skipped_heading(response.content.decode(), url)


def test_headings_never_skip_a_level_on_draft_pages(client, alice, draft):
    client.force_login(alice)
    update = draft.project_updates.get()
    for url in [
        reverse("return_detail", args=[draft.pk]),
        reverse("return_alignment", args=[draft.pk]),
        reverse("return_project", args=[draft.pk, update.pk]),
        reverse("return_log", args=[draft.pk, "community"]),
        reverse("return_evidence", args=[draft.pk]),
    ]:
        response = client.get(url, follow=True)  # "/" sends each person to their home page
        assert response.status_code == 200, url
        assert_no_skipped_heading(response.content.decode(), url)


def test_headings_never_skip_a_level_on_opcc_pages(client, rita, adam, birmingham, year, submitted):
    from reviews.services.rollup import rollup_start

    rollup_start(borough=birmingham, year=year, by=rita)
    client.force_login(rita)
    for url in [
        "/",
        reverse("reviews:grid"),
        reverse("reviews:return", args=[submitted.pk]),
        # It went from its h1 straight to the entries' h3s (the Nu checker's finding in the issue).
        reverse("reviews:rollup_history", args=[birmingham.slug, year.label]),
    ]:
        response = client.get(url, follow=True)  # "/" sends each person to their home page
        assert response.status_code == 200, url
        assert_no_skipped_heading(response.content.decode(), url)
    client.force_login(adam)
    for url in [reverse("year_list"), reverse("people:list")]:
        response = client.get(url, follow=True)  # "/" sends each person to their home page
        assert response.status_code == 200, url
        assert_no_skipped_heading(response.content.decode(), url)
