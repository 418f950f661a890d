"""The grid speaks returns.statuses' words (issue 15) and is filtered and paged in the database (issue 12).

The world, on 1 December 2026: Q1 (due 30 July) holds a return in every state, a borough with no return and one
with an extension to 10 December; Q2 is closed, with Birmingham's return submitted before it closed; Q3 opens on
1 January 2027 and Q4 on 31 March 2027.
"""

import re
from datetime import date

import pytest
from django.utils import timezone

from boroughs.models import Borough
from returns.models import FinancialYear, PeriodExtension, Return
from returns.services import period_close
from returns.statuses import return_status
from reviews.selectors.grid import PAGE_SIZE, build_grid, with_status_keys
from tests.reviews.conftest import make_return

TODAY = date(2026, 12, 1)
S = Return.Status


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)
    return TODAY


@pytest.fixture
def world(today, west_midlands, periods, alice, adam):
    q1, q2, q3, _q4 = periods
    q3.opens_on = date(2027, 1, 1)
    q3.save(update_fields=["opens_on"])
    boroughs = {b.slug: b for b in west_midlands}
    for slug, status in [
        ("birmingham", S.SUBMITTED),
        ("coventry", S.CHANGES_REQUESTED),
        ("dudley", S.ACCEPTED),
        ("sandwell", S.DRAFT),
        ("walsall", S.RESUBMITTED),
    ]:
        make_return(boroughs[slug], q1, status=status, by=alice)
    PeriodExtension.objects.create(
        period=q1, borough=boroughs["wolverhampton"], due_on=date(2026, 12, 10), reason="Data late"
    )
    make_return(boroughs["birmingham"], q2, by=alice)
    period_close(period=q2, by=adam, reason="Year-end report")
    return boroughs


def _grid_rows(page):
    """{borough slug: [text of each cell, the borough's name first]} from the "Boroughs and quarters" table."""
    table = re.search(r'<table class="govuk-table app-review-grid">.*?</table>', page, re.S).group(0)
    rows = {}
    for slug, row in re.findall(r'<tr class="govuk-table__row" id="grid-([\w-]+)">(.*?)</tr>', table, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows[slug] = [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in cells]
    return rows


def _headers(page):
    table = re.search(r'<table class="govuk-table app-review-grid">.*?</thead>', page, re.S).group(0)
    return [
        " ".join(re.sub(r"<[^>]+>", " ", h).split()) for h in re.findall(r"<th scope=\"col\"[^>]*>(.*?)</th>", table)
    ]


def _counts(page):
    listed = re.search(r'<ul class="govuk-list app-review-counts">(.*?)</ul>', page, re.S).group(1)
    return [
        " ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in re.findall(r"<li[^>]*>(.*?)</li>", listed, re.S)
    ]


def _get(client, **params):
    return client.get("/review/", {"year": "2026-27", **params})


def test_every_cell_speaks_the_one_vocabulary(client, rita, world):
    client.force_login(rita)
    page = _get(client).text
    rows = _grid_rows(page)
    not_open = ["Not open yet (opens 1 January 2027)", "Not open yet (opens 31 March 2027)"]
    assert rows["birmingham"] == [
        "Birmingham",
        "Submitted Birmingham Q1",
        "Submitted Birmingham Q2",
        *not_open,
        "Roll-up for Birmingham",
    ]
    # Changes requested stays the label past the due date, with an Overdue tag beside it.
    assert rows["coventry"][1] == "Changes requested Coventry Q1 Overdue"
    assert rows["dudley"][1] == "Accepted Dudley Q1"
    assert rows["sandwell"][1:3] == ["Overdue Sandwell Q1", "Closed"]  # a draft is still with the borough
    assert rows["solihull"][1:3] == ["Overdue", "Closed"]  # no return at all: nothing to link to
    assert rows["walsall"][1] == "Resubmitted Walsall Q1"
    assert rows["wolverhampton"][1] == "Due in 9 days"  # its extension runs to 10 December
    assert "Not started" not in page
    assert "Draft" not in " ".join(" ".join(row) for row in rows.values())


def test_the_counts_use_the_same_words_and_count_unopened_quarters_as_not_open(client, rita, world):
    client.force_login(rita)
    assert _counts(_get(client).text) == [
        "14 not open yet",
        "0 open",
        "1 due within 14 days",
        "2 overdue",
        "2 submitted",
        "1 changes requested",
        "1 resubmitted",
        "1 accepted",
        "6 closed",
    ]


@pytest.mark.parametrize("day", [date(2026, 7, 1), date(2026, 7, 20), TODAY, date(2027, 1, 5), date(2027, 6, 1)])
def test_the_sql_status_is_return_status_in_every_cell(rita, year, world, day):
    """The counts and the status filter run the rule in SQL: it must agree with return_status everywhere."""
    grid = build_grid(rita, year, today=day)
    keyed = with_status_keys(Borough.objects.active(), grid.periods, day)
    in_sql = {(b["id"], p.pk): b[f"status_q{p.pk}"] for b in keyed.values() for p in grid.periods}
    cells = [cell for row in grid.rows for cell in row.cells]
    assert len(cells) == 28
    for cell in cells:
        by_rule = return_status(cell.period, cell.return_, borough_id=cell.borough.pk, today=day).key
        assert cell.status.key == by_rule
        assert in_sql[cell.borough.pk, cell.period.pk] == by_rule, (cell.borough.name, cell.period.quarter, day)


def test_a_status_filter_shows_only_matching_cells(client, rita, world):
    client.force_login(rita)
    page = _get(client, status="overdue").text
    rows = _grid_rows(page)
    assert set(rows) == {"sandwell", "solihull"}
    assert rows["sandwell"] == [
        "Sandwell",
        "Overdue Sandwell Q1",
        "Not overdue",
        "Not overdue",
        "Not overdue",
        "Roll-up for Sandwell",
    ]
    assert "Overdue only" in page
    # The counts are the filter's choices: they do not shrink to the filter, and the one shown says so.
    assert "2 overdue (shown)" in _counts(page)
    assert "2 submitted" in _counts(page)


def test_a_quarter_filter_shows_that_quarter_alone(client, rita, world):
    client.force_login(rita)
    page = _get(client, quarter="2").text
    assert _headers(page) == ["Borough", "Q2 2026-27", "Year"]
    assert _grid_rows(page)["birmingham"] == ["Birmingham", "Submitted Birmingham Q2", "Roll-up for Birmingham"]
    assert _counts(page)[4] == "1 submitted"
    assert _counts(page)[8] == "6 closed"
    both = _grid_rows(_get(client, quarter="2", status="submitted").text)
    assert list(both) == ["birmingham"]


def test_filter_by_name(client, rita, world):
    client.force_login(rita)
    page = _get(client, borough="  WOLVER ").text
    assert list(_grid_rows(page)) == ["wolverhampton"]
    assert _counts(page)[:3] == ["2 not open yet", "0 open", "1 due within 14 days"]
    assert 'value="  WOLVER "' in page
    assert "Clear filters" in page
    # Wildcards are letters like any other.
    assert "No borough matches these filters." in _get(client, borough="%").text
    assert "No borough matches these filters." in _get(client, borough="_").text


def test_a_borough_on_page_two_is_found(client, rita, world):
    Borough.objects.bulk_create(
        Borough(name=f"Town {i:02d}", slug=f"town-{i:02d}", partnership_name=f"Town {i:02d} CSP", ons_code=f"X{i:08d}")
        for i in range(60)
    )
    client.force_login(rita)
    first = _get(client).text
    assert len(_grid_rows(first)) == PAGE_SIZE == 50
    assert "wolverhampton" not in _grid_rows(first)
    assert '<nav class="govuk-pagination" aria-label="Pages of boroughs">' in first
    assert "1 to 50 of 67 boroughs" in first
    assert "(page 1 of 2)" in first
    second = _get(client, page="2").text
    assert list(_grid_rows(second))[-2:] == ["walsall", "wolverhampton"]
    assert len(_grid_rows(second)) == 17
    assert 'aria-current="page">2</a>' in second
    # The summary shows the page's boroughs; the counts stay the year's.
    assert re.findall(r'id="summary-([\w-]+)"', second)[-1] == "wolverhampton"
    assert _counts(second)[0] == "134 not open yet"  # 67 boroughs × Q3 and Q4
    # Past the last page: the last page, as Paginator.get_page gives it.
    assert len(_grid_rows(_get(client, page="9").text)) == 17


@pytest.mark.parametrize(
    "params",
    [
        {"status": "not_started"},
        {"status": "Overdue"},
        {"status": "draft"},
        {"status": "x" * 500},
        {"status": "open\x00"},
        {"quarter": "5"},
        {"quarter": "0"},
        {"quarter": "Q1"},
        {"quarter": "1.5"},
        {"page": "0"},
        {"page": "-1"},
        {"page": "two"},
        {"page": "9" * 40},
        {"sort": "nonsense"},
        {"year": "2026-27\x00"},
    ],
)
def test_junk_in_a_link_is_a_404_never_a_500(client, rita, world, params):
    client.force_login(rita)
    assert _get(client, **params).status_code == 404


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("B" * 101, "Borough name must be 100 characters or fewer"),
        ("Bir\x00mingham", "Borough name cannot contain null characters"),
        ("Bir\x0bmingham", "Remove the control character U+000B"),
    ],
)
def test_a_bad_name_is_a_message_beside_the_field(client, rita, world, value, message):
    client.force_login(rita)
    response = _get(client, borough=value, status="submitted")
    assert response.status_code == 200
    page = response.text
    assert message in page
    assert '<p id="filter-borough-error" class="govuk-error-message">' in page
    assert '<a href="#filter-borough">' in page  # the error summary links to the field
    assert page.count("<title>Error: ") == 1
    # The other filters still apply; the name filters nothing.
    assert set(_grid_rows(page)) == {"birmingham"}


@pytest.mark.parametrize(("persona", "status"), [("rita", 200), ("adam", 200), ("bob", 404), ("charlie", 403)])
def test_who_sees_the_filtered_grid(client, request, world, persona, status):
    client.force_login(request.getfixturevalue(persona))
    response = _get(client, status="overdue", quarter="1", borough="s", page="1")
    assert response.status_code == status
    if status == 200:
        assert set(_grid_rows(response.text)) == {"sandwell", "solihull"}


def test_anonymous_is_sent_to_sign_in(client, world):
    response = _get(client, status="overdue")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/review/")


def test_links_are_the_urls_django_would_reverse(client, rita, world, year):
    client.force_login(rita)
    page = _get(client).text
    for return_ in Return.objects.all():
        assert f'href="/review/returns/{return_.pk}/"' in page
    assert f'href="/review/roll-up/walsall/{year.label}/"' in page
    # Count links filter by status and keep the other choices, from page 1.
    counts = _get(client, quarter="1", page="1").text
    assert 'href="?year=2026-27&amp;quarter=1&amp;status=overdue"' in counts


def test_a_year_without_periods_takes_any_filter(client, rita, world):
    FinancialYear.get_or_create_for_start(2015)
    client.force_login(rita)
    for params in ({}, {"status": "open"}, {"quarter": "2", "status": "closed", "borough": "x", "page": "3"}):
        response = client.get("/review/", {"year": "2015-16", **params})
        assert response.status_code == 200
        assert _counts(response.text)[0] == "0 not open yet"
