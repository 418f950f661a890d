"""The board view (/review/board/): who may see it, that its figures are the database's, and its query count."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from boroughs.models import Borough
from returns.models import IndicatorActual, Plan, PlanPriority, Project, Return
from reviews.board_cache import board_changed
from reviews.charts import board_charts
from reviews.models import Flag, FlagType
from reviews.selectors.board import BoardData, board_view_data
from tests.conftest import assert_redirects_to_login
from tests.reviews.conftest import make_project, make_return

URL = "/review/board/"
TODAY = date(2026, 11, 29)  # in Q3 of 2026-27


def raise_flag(borough, period, flag_type, by, *, column=None, project=None, resolved=False):
    return Flag.objects.create(
        borough=borough,
        period=period,
        flag_type=flag_type,
        column=column,
        project=project,
        raised_by=by,
        status=Flag.Status.RESOLVED if resolved else Flag.Status.OPEN,
    )


@pytest.fixture
def priorities(year):
    plan = Plan.objects.create(name="Police and Crime Plan 2026-29")
    plan.years.add(year)
    return [
        PlanPriority.objects.create(plan=plan, name="Reducing reoffending", order=1),
        PlanPriority.objects.create(plan=plan, name="Protecting from harm", order=2),
    ]


@pytest.fixture
def board(year, periods, columns, priorities, birmingham, coventry, alice, rita):
    """Birmingham: three projects on two priorities, a submitted Q1 return; flags in both boroughs."""
    reoffending, harm = priorities
    green = make_project(birmingham, "Youth diversion")
    green.priorities.add(reoffending)
    red = make_project(birmingham, "Domestic abuse advocacy")
    red.priorities.add(reoffending, harm)
    unrated = make_project(birmingham, "Night-time economy")
    unrated.priorities.add(harm)
    make_project(coventry, "Coventry draft only").priorities.add(harm)  # only ever in a draft: not counted
    return_ = make_return(birmingham, periods[0], by=alice)
    make_return(coventry, periods[0], status=Return.Status.DRAFT)
    updates = {u.project_id: u for u in return_.project_updates.all()}
    # 200 referrals in Q1 against 100 / 150 for the year: well beyond the aspirational target's Q1 share.
    IndicatorActual.objects.create(update=updates[green.pk], indicator=green.indicators.get(), value=200)
    IndicatorActual.objects.create(update=updates[red.pk], indicator=red.indicators.get(), value=200)
    updates[red.pk].rag_override = "red"  # the officer's own rating wins over the computed one
    updates[red.pk].save()
    updates[green.pk].spend = Decimal("1000.10")
    updates[green.pk].save()

    types = {t.key: t for t in FlagType.objects.all()}
    q1, q2 = periods[0], periods[1]
    raise_flag(birmingham, q1, types["no-impact-assessment"], rita, project=green)
    raise_flag(birmingham, q1, types["no-impact-assessment"], rita, project=red)
    raise_flag(birmingham, q2, types["no-impact-assessment"], rita, project=red, resolved=True)
    raise_flag(birmingham, q1, types["data-late"], rita, column=columns["alignment"], resolved=True)
    raise_flag(coventry, q1, types["outputs-only"], rita, column=columns["performance"])
    return {"green": green, "red": red, "unrated": unrated, "return": return_}


def _row(data, borough):
    return next(row for row in data.evidence if row.borough == borough)


# Who may look


def test_anonymous_goes_to_sign_in(client, year):
    assert_redirects_to_login(client.get(URL), URL)


def test_an_officer_gets_404(client, alice, year):
    client.force_login(alice)
    assert client.get(URL).status_code == 404


def test_bob_gets_404_even_for_a_named_year(client, bob, year):
    client.force_login(bob)
    assert client.get(f"{URL}?year={year.label}").status_code == 404


def test_no_role_gets_403(client, charlie, year):
    client.force_login(charlie)
    assert client.get(URL).status_code == 403


@pytest.mark.parametrize("who", ["rita", "adam"])
def test_opcc_staff_see_the_three_parts(client, board, year, who, request):
    client.force_login(request.getfixturevalue(who))
    response = client.get(f"{URL}?year={year.label}")
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Spend against allocation",
        "Evidence quality",
        "RAG ratings by Plan priority",
        "Reducing reoffending",
    ):
        assert text in html
    assert html.count('role="img"') == 3
    assert 'id="board-heatmap"' in html


@pytest.mark.parametrize("junk", ["nonsense", "2026-27%00", "9999-00"])
def test_junk_years_are_404(client, rita, year, junk):
    client.force_login(rita)
    assert client.get(f"{URL}?year={junk}").status_code == 404


def test_without_an_open_year_the_page_says_so(client, rita, west_midlands):
    client.force_login(rita)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["board"] is None


def test_the_grid_links_to_the_board_view(client, rita, year):
    client.force_login(rita)
    assert 'href="/review/board/' in client.get(f"/review/?year={year.label}").content.decode()


# The figures are the database's


def test_the_evidence_map_counts_open_and_resolved_flags_per_borough_and_type(board, year):
    data = board_view_data(year=year, today=TODAY)
    assert data.flag_types == tuple(FlagType.objects.filter(active=True).values_list("name", flat=True))
    for borough in Borough.objects.active():
        row = _row(data, borough.name)
        for name, (opened, resolved) in zip(data.flag_types, row.counts, strict=True):
            flags = Flag.objects.filter(borough=borough, flag_type__name=name, period__year=year)
            assert opened == flags.filter(status=Flag.Status.OPEN).count()
            assert resolved == flags.filter(status=Flag.Status.RESOLVED).count()
    birmingham = dict(zip(data.flag_types, _row(data, "Birmingham").counts, strict=True))
    assert birmingham["No impact assessment given"] == (2, 1)
    assert birmingham["Data provided late"] == (0, 1)
    coventry = dict(zip(data.flag_types, _row(data, "Coventry").counts, strict=True))
    assert coventry["Outputs only, no outcomes"] == (1, 0)


def test_the_evidence_chart_plots_the_same_counts(board, year):
    data = board_view_data(year=year, today=TODAY)
    chart = board_charts(data).evidence
    labels = list(chart.labels)
    assert chart.series["Open"][labels.index("Birmingham")] == 2
    assert chart.series["Resolved"][labels.index("Birmingham")] == 2
    assert chart.series["Open"][labels.index("Coventry")] == 1
    assert sum(chart.series["Open"]) == Flag.objects.open().count()
    assert sum(chart.series["Resolved"]) == Flag.objects.filter(status=Flag.Status.RESOLVED).count()
    assert chart.summary == "5 flags raised in 2026-27: 3 open, 2 resolved; most open in Birmingham (2)."


def test_the_heatmap_shows_numbers_not_colour_alone(client, board, rita, year):
    client.force_login(rita)
    html = client.get(f"{URL}?year={year.label}").content.decode()
    assert "2 open</strong>" in html
    assert "1 resolved</span>" in html


def test_rag_by_priority_counts_each_projects_latest_rating(board, year):
    data = board_view_data(year=year, today=TODAY)
    rows = {row.priority: row for row in data.rag}
    # Youth diversion: green (computed); advocacy: red (the officer's rating), on both; night-time: no figures.
    assert (rows["Reducing reoffending"].red, rows["Reducing reoffending"].amber) == (1, 0)
    assert (rows["Reducing reoffending"].green, rows["Reducing reoffending"].not_rated) == (1, 0)
    assert (rows["Protecting from harm"].red, rows["Protecting from harm"].green) == (1, 0)
    assert rows["Protecting from harm"].not_rated == 1  # Coventry's draft-only project is not counted
    chart = board_charts(data).rag
    assert chart.series == {"Red": [1, 1], "Amber": [0, 0], "Green": [1, 0], "Not rated": [0, 1]}
    assert chart.table_rows[0] == ["Reducing reoffending", 1, 0, 1, 0, 2]


def test_a_later_quarter_replaces_the_earlier_rating(board, year, periods, alice):
    later = make_return(board["return"].borough, periods[1], by=alice)
    update = later.project_updates.get(project=board["red"])
    update.rag_override = "amber"
    update.save()
    rows = {row.priority: row for row in board_view_data(year=year, today=TODAY).rag}
    assert (rows["Reducing reoffending"].red, rows["Reducing reoffending"].amber) == (0, 1)


def test_spend_comes_from_the_forecasts(board, year):
    data = board_view_data(year=year, today=TODAY)
    assert data.period == "Q1 2026-27"  # the latest quarter with a return sent to the OPCC
    spend = dict(data.spend)
    assert spend["Birmingham"].spent_to_date == Decimal("1000.10")
    assert list(dict(data.spend)) == sorted(dict(data.spend))


def test_without_returns_the_spend_figures_run_to_the_latest_quarter_begun(year, periods, birmingham):
    assert board_view_data(year=year, today=TODAY).period == "Q3 2026-27"
    data = board_view_data(year=year, today=date(2026, 3, 1))  # before its first quarter
    assert data.period == ""
    assert data.spend == ()
    assert board_charts(data).spend is None


def test_the_figures_survive_a_snapshot(board, year):
    data = board_view_data(year=year, today=TODAY)
    assert BoardData.from_snapshot(data.to_snapshot()) == data


# A fixed number of queries


def _extra_boroughs(count):
    for n in range(count):
        Borough.objects.create(
            name=f"Town {n:02}", slug=f"town-{n:02}", partnership_name=f"Town {n}", ons_code=f"T{n:08}"
        )


def _grow(year, periods, priorities, rita, alice):
    types = list(FlagType.objects.all())
    for n, borough in enumerate(Borough.objects.filter(slug__startswith="town-")):
        project = make_project(borough, f"Project {n}")
        project.priorities.add(*priorities)
        return_ = make_return(borough, periods[0], by=alice)
        update = return_.project_updates.get()
        IndicatorActual.objects.create(update=update, indicator=project.indicators.get(), value=n)
        raise_flag(borough, periods[0], types[n % len(types)], rita, project=project, resolved=n % 2 == 0)


def _count(client, url):
    """The page's own queries: not the session's renewal (at most once a minute, whatever the page)."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    ignored = ("django_session", "SAVEPOINT")
    return len([q for q in queries.captured_queries if not any(word in q["sql"] for word in ignored)])


def test_the_board_view_queries_do_not_grow_with_the_boroughs(client, board, year, periods, priorities, rita, alice):
    client.force_login(rita)
    url = f"{URL}?year={year.label}"
    client.get(url)
    board_changed()  # count the queries of working the figures out, not of the cache (test_board_cache.py)
    few = _count(client, url)
    _extra_boroughs(20)
    _grow(year, periods, priorities, rita, alice)
    assert Project.objects.count() > 20
    board_changed()
    assert _count(client, url) == few


# The demo


def test_the_demo_fills_the_evidence_map_with_open_and_resolved_flags(db):
    from django.core.management import call_command

    from returns.models import FinancialYear

    call_command("seed_demo", "--quiet-logins")
    data = board_view_data(year=FinancialYear.objects.get(label="2026-27"))
    flagged = [row for row in data.evidence if row.open + row.resolved]
    assert len(flagged) >= 5
    assert sum(row.open for row in data.evidence) >= 4
    assert sum(row.resolved for row in data.evidence) >= 4
    used = {name for row in data.evidence for name, pair in zip(data.flag_types, row.counts, strict=True) if any(pair)}
    assert len(used) >= 5
