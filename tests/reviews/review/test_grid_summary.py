"""The grid's summary of the current quarter per borough: share spent, RAG counts, open flags, forecast, sorting."""

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.template import engines
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from boroughs.models import Borough
from returns.models import IndicatorActual, Rag, Return
from reviews.models import FlagType
from reviews.selectors.grid import build_grid, current_period
from reviews.services import review as services
from tests.reviews.conftest import make_project, make_return

D = Decimal


@pytest.fixture
def q2(periods):
    """Q2 is the current quarter whatever today is: Q1 and Q2 have opened, Q3 and Q4 not yet."""
    for period in periods:
        period.opens_on = date(2000, 1, 1) if period.quarter <= 2 else date(2100, 1, 1)
        period.save(update_fields=["opens_on"])
    return periods[1]


def _spend(return_, project, spend, expected):
    return_.project_updates.filter(project=project).update(spend=D(spend), expected_spend=D(expected))


def _actual(return_, project, value):
    update = return_.project_updates.get(project=project)
    IndicatorActual.objects.create(update=update, indicator=project.indicators.get(), value=D(value))


@pytest.fixture
def quarter(birmingham, coventry, west_midlands, periods, q2, alice, rita, columns):
    """Birmingham: 25,000 allocated, 5,000 spent to date, forecast 20,000 (80%: likely underspend), its project red.
    Coventry: 25,000 allocated, 20,000 spent, forecast 30,000 (likely overspend), green, one open flag."""
    brum, cov = make_project(birmingham), make_project(coventry)
    brum_q1 = make_return(birmingham, periods[0], by=alice)
    _spend(brum_q1, brum, "2500.10", "0")
    brum_q2 = make_return(birmingham, q2, by=alice)
    _spend(brum_q2, brum, "2499.90", "15000")
    _actual(brum_q2, brum, "10")  # year to date 10 of a 50-by-Q2 minimum: red
    cov_q2 = make_return(coventry, q2, by=alice)
    _spend(cov_q2, cov, "20000", "10000")
    _actual(cov_q2, cov, "80")  # year to date 80 of a 75-by-Q2 aspiration: green
    services.flag_raise(
        return_=cov_q2, flag_type=FlagType.objects.first(), column=columns["alignment"], visibility="opcc", by=rita
    )
    return {"birmingham": brum_q2, "coventry": cov_q2}


def _summary_order(page):
    table = re.search(r'<table class="govuk-table app-review-summary".*?</table>', page, re.S).group(0)
    return re.findall(r'<tr class="govuk-table__row" id="summary-([\w-]+)"', table)


def _row(page, slug):
    row = re.search(rf'id="summary-{slug}">(.*?)</tr>', page, re.S).group(1)
    return [
        " ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
    ]


def test_the_current_quarter_is_the_latest_that_has_opened(periods):
    q1, q2, q3, q4 = periods
    assert current_period(periods, q2.opens_on) == q2
    assert current_period(periods, q3.opens_on.replace(day=1)) == q2
    assert current_period(periods, date(2000, 1, 1)) == q1
    assert current_period(periods, date(2100, 1, 1)) == q4


def test_each_borough_shows_share_spent_rag_counts_flags_and_forecast(client, rita, quarter, year):
    client.force_login(rita)
    page = client.get(f"/review/?year={year.label}").text
    assert "Q2 2026-27 by borough" in page
    assert _row(page, "birmingham") == [
        "Birmingham Submitted",
        "20.0% £5,000.00 of £25,000.00",
        "1",
        "0",
        "0",
        "0",
        "Likely underspend £5,000.00 under the allocation",
    ]
    assert _row(page, "coventry") == [
        "Coventry Submitted",
        "80.0% £20,000.00 of £25,000.00",
        "0",
        "0",
        "1",
        "1",
        "Likely overspend £5,000.00 over the allocation",
    ]
    # A borough with no projects and no return: nothing to forecast against, said in words.
    assert _row(page, "dudley")[1:] == ["No allocation", "0", "0", "0", "0", "No allocation"]
    assert '<strong class="govuk-tag govuk-tag--yellow">Likely underspend</strong>' in page


def test_drafts_are_not_counted_in_rag_but_their_spend_is(client, rita, quarter, year, monkeypatch):
    Return.objects.filter(pk=quarter["birmingham"].pk).update(status=Return.Status.DRAFT)
    monkeypatch.setattr(timezone, "localdate", lambda *args: date(2026, 11, 29))  # a month after Q2 was due
    client.force_login(rita)
    row = _row(client.get(f"/review/?year={year.label}").text, "birmingham")
    assert row[0] == "Birmingham Overdue"  # a draft is still with the borough: the period and due date speak
    assert row[1:5] == ["20.0% £5,000.00 of £25,000.00", "0", "0", "0"]


def test_spend_matches_the_database_to_the_penny(rita, quarter, year, birmingham):
    grid = build_grid(rita, year)
    brum = next(row for row in grid.summary if row.borough == birmingham)
    assert brum.forecast.spent_to_date == D("5000.00")  # 2,500.10 + 2,499.90
    assert brum.forecast.outturn == D("20000.00")


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("", ["birmingham", "coventry"]),
        ("borough", ["birmingham", "coventry"]),
        ("-borough", ["coventry", "birmingham"]),
        ("spent", ["birmingham", "coventry"]),
        ("-spent", ["coventry", "birmingham"]),
        ("red", ["coventry", "birmingham"]),
        ("-red", ["birmingham", "coventry"]),
        ("green", ["birmingham", "coventry"]),
        ("-green", ["coventry", "birmingham"]),
        ("-flags", ["coventry", "birmingham"]),
        ("forecast", ["coventry", "birmingham"]),  # overspend first, then underspend
        ("-forecast", ["birmingham", "coventry"]),
    ],
)
def test_the_summary_sorts_by_any_column(client, rita, quarter, year, sort, order):
    client.force_login(rita)
    page = client.get(f"/review/?year={year.label}&sort={sort}").text
    shown = [slug for slug in _summary_order(page) if slug in ("birmingham", "coventry")]
    assert shown == order


def test_boroughs_with_no_allocation_come_last_either_way(client, rita, quarter, year):
    client.force_login(rita)
    for sort in ("spent", "-spent"):
        order = _summary_order(client.get(f"/review/?year={year.label}&sort={sort}").text)
        assert order[:2] == (["birmingham", "coventry"] if sort == "spent" else ["coventry", "birmingham"])
        assert "dudley" in order[2:]


def test_sort_links_work_without_javascript_and_say_the_order(client, rita, quarter, year):
    client.force_login(rita)
    page = client.get(f"/review/?year={year.label}&sort=spent").text
    assert re.search(
        r'aria-sort="ascending"><a class="govuk-link" href="\?year=2026-27&amp;sort=-spent#summary">', page
    )
    assert re.search(r'aria-sort="none"><a class="govuk-link" href="\?year=2026-27&amp;sort=red#summary">', page)
    page = client.get(f"/review/?year={year.label}&sort=-spent").text
    assert re.search(
        r'aria-sort="descending"><a class="govuk-link" href="\?year=2026-27&amp;sort=spent#summary">', page
    )
    assert "sorted by allocation spent (descending)" in page


@pytest.mark.parametrize("sort", ["nonsense", "--spent", "spent\x00", "-" * 500, "Spent", "1"])
def test_a_bad_sort_is_a_404_never_a_500(client, rita, quarter, year, sort):
    client.force_login(rita)
    assert client.get("/review/", {"year": year.label, "sort": sort}).status_code == 404


@pytest.mark.parametrize(
    ("persona", "status"), [("rita", 200), ("adam", 200), ("alice", 404), ("bob", 404), ("charlie", 403)]
)
def test_who_sees_the_sorted_grid(client, request, quarter, year, persona, status):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(f"/review/?year={year.label}&sort=-spent")
    assert response.status_code == status
    if status == 200:
        assert "Likely overspend" in response.text


def test_anonymous_is_sent_to_sign_in(client, year):
    response = client.get(f"/review/?year={year.label}&sort=-spent")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def _extra_boroughs(n, periods, *, by):
    Borough.objects.bulk_create(
        Borough(name=f"Town {i}", slug=f"town-{i}", partnership_name=f"Town {i} CSP", ons_code=f"X{i:08d}")
        for i in range(n)
    )
    for borough in Borough.objects.filter(slug__startswith="town-"):
        for k in range(2):
            make_project(borough, f"Project {k}")
        for period in periods[:2]:
            return_ = make_return(borough, period, by=by)
            return_.project_updates.update(spend=D("100.10"), expected_spend=D("5000"))
            for update in return_.project_updates.select_related("project"):
                _actual(return_, update.project, "60")


def _count(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_the_summary_costs_the_same_however_many_boroughs(client, rita, alice, quarter, year, periods):
    client.force_login(rita)
    url = f"/review/?year={year.label}&sort=-spent"
    client.get(url)
    few = _count(client, url)
    _extra_boroughs(12, periods, by=alice)
    page = client.get(url).text
    assert _row(page, "town-3")[4] == "2"  # both projects green: year to date 120, beyond 75 by Q2
    assert _count(client, url) == few


def test_rag_counts_use_the_officers_own_rating(client, rita, quarter, year):
    quarter["birmingham"].project_updates.update(rag_override=Rag.GREEN, rag_reason="Referrals came late.")
    client.force_login(rita)
    assert _row(client.get(f"/review/?year={year.label}").text, "birmingham")[2:5] == ["0", "0", "1"]


# The rows as the template drew them before reviews/templatetags/review_grid.py (which says why it draws them).
REFERENCE_ROWS = Path(__file__).with_name("reference_grid_rows.html")


def _markup(html):
    """Whitespace between tags dropped (the template's indentation), text untouched."""
    return [re.sub(r">\s+<", "><", part).strip() for part in html.split("@@")]


@pytest.mark.parametrize(
    ("status", "shown"), [("", ["odd", "flags"]), ("changes_requested", ["odd"]), ("submitted", ["flags"])]
)
def test_the_rows_drawn_in_python_are_the_templates_markup(
    rita, quarter, year, periods, alice, columns, status, shown
):
    """Every state the rows print: underspend and overspend tags, no allocation, red and green counts, an open
    flag (singular) and two (plural), a status filter's hidden cells, and a name that must be escaped."""
    odd = Borough.objects.create(
        name="Brent & Harrow's <Partnership>", slug="brent-harrow", partnership_name="P", ons_code="Q00000099"
    )
    make_return(odd, periods[0], status=Return.Status.CHANGES_REQUESTED, by=alice)
    cov_q2 = quarter["coventry"]
    services.flag_raise(
        return_=cov_q2, flag_type=FlagType.objects.last(), column=columns["innovation"], visibility="opcc", by=rita
    )
    grid = build_grid(rita, year, status=status)
    drawn = "{% load review_grid %}{% grid_summary_rows grid %}@@{% grid_rows grid %}"
    ours = engines["django"].from_string(drawn).render({"grid": grid})
    theirs = engines["django"].from_string(REFERENCE_ROWS.read_text()).render({"grid": grid})
    assert _markup(ours) == _markup(theirs)
    # The states above are on the page (a comparison of two empty pages would prove nothing).
    assert ("Brent &amp; Harrow&#x27;s &lt;Partnership&gt;" in ours) == ("odd" in shown)
    assert ("No allocation" in ours) == ("odd" in shown)
    assert ("2 open flags" in ours) == ("flags" in shown)
    assert ("Likely overspend" in ours) == ("flags" in shown)
    assert ("app-review-grid__cell--other" in ours) == bool(status)
