"""The charts on the project page, the borough's returns page, the officer's project task and the review page:
the figures they plot come from the returns, and the queries do not grow with the projects or indicators."""

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from returns.models import FinancialYear, Indicator, IndicatorActual
from returns.services import return_start, return_submit
from tests.conftest import assert_redirects_to_login
from tests.returns.conftest import complete_everything, make_project

from .svg import points


def report(return_, project_name, spend=None, **values):
    """Set a project's spend and actuals in a return, straight in the rows (the forms are tested elsewhere)."""
    update = return_.project_updates.get(project__name=project_name)
    update.spend = spend
    update.save()
    for indicator in update.project.indicators.all():
        key = indicator.name.split()[0].lower()
        if key in values:
            IndicatorActual.objects.update_or_create(
                update=update, indicator=indicator, defaults={"value": values[key]}
            )


@pytest.fixture
def filed(birmingham, alice, year, q1, projects, draft):
    """Birmingham: 2025-26 Q1, and 2026-27 Q1 (submitted) and Q2 (the draft), with figures."""
    last, _ = FinancialYear.get_or_create_for_start(2025)
    last.ensure_periods()
    earlier = return_start(borough=birmingham, period=last.periods.get(quarter=1), by=alice)
    report(earlier, "Youth violence prevention", referrals=D("25"))
    first = return_start(borough=birmingham, period=q1, by=alice)
    report(first, "Youth violence prevention", spend=D("10000"), referrals=D("30"), engaged=D("62.5"))
    report(first, "Business crime", spend=D("5000"), referrals=D("20"))
    complete_everything(first)
    first = return_submit(return_=first, by=alice)
    report(draft, "Youth violence prevention", spend=D("5000"), referrals=D("45"))
    return first


def test_project_page_plots_this_year_last_year_the_targets_and_spend(client, alice, projects, filed):
    youth = projects[0]
    client.force_login(alice)
    response = client.get(reverse("project_detail", args=["birmingham", youth.pk]))
    charts = response.context["charts"]
    referrals, engaged = charts["indicators"]
    assert referrals.series == {
        "2026-27 year to date": [D("30"), D("75"), None, None],
        "Minimum target": [D("30"), D("60"), D("90"), D("120")],
        "Aspirational target": [D("40"), D("80"), D("120"), D("160")],
        "2025-26 year to date": [D("25"), None, None, None],
    }
    assert points(referrals.svg)[0] == {"Q1": D("30"), "Q2": D("75")}
    assert points(referrals.svg)[3] == {"Q1": D("25")}
    assert engaged.series["2026-27 actual"] == [D("62.5"), None, None, None]
    assert charts["spend"].series["Spend to date"] == [D("10000"), D("15000"), None, None]
    assert charts["spend"].series["Allocation pro rata"] == [D("10000"), D("20000"), D("30000"), D("40000")]
    html = response.content.decode()
    assert f'id="chart-indicator-{referrals.key.split("-")[1]}"' in html
    assert 'id="chart-spend-' in html
    assert "<style" not in html.split('class="app-chart__image"')[1].split("</figure>")[0]


def test_borough_page_shows_each_projects_rag_by_quarter_and_spend(client, alice, filed):
    client.force_login(alice)
    response = client.get(reverse("borough_returns", args=["birmingham"]), {"year": "2026-27"})
    rag, spend = response.context["charts"]
    # Q1 as submitted: youth amber (30 of the 30–40 due; 62.5%), business crime red (20 of 25 due).
    # Q2 live: youth amber (75 of 60–80 due), business crime has no figure yet.
    assert rag.series == {
        "Red": [1, 0, None, None],
        "Amber": [1, 1, None, None],
        "Green": [0, 0, None, None],
        "No rating yet": [0, 1, None, None],
    }
    assert rag.table_rows[:2] == [
        ["Business crime", "Red", "No rating yet", "No return", "No return"],
        ["Youth violence prevention", "Amber", "Amber", "No return", "No return"],
    ]
    assert spend.series["Spend to date"] == [D("15000"), D("20000"), None, None]
    assert spend.series["Allocation pro rata"] == [D("20000"), D("40000"), D("60000"), D("80000")]
    assert spend.table_rows[1][:3] == ["Q2", "£5,000", "£20,000"]
    html = response.content.decode()
    assert 'class="app-chart app-chart--rag"' in html
    assert 'id="chart-borough-spend"' in html


def test_officer_project_task_charts_the_year_so_far(client, alice, youth, filed):
    client.force_login(alice)
    response = client.get(reverse("return_project", args=[youth.return_of_id, youth.pk]))
    referrals, engaged = response.context["charts"]
    assert referrals.series["2026-27 year to date"] == [D("30"), D("75"), None, None]
    assert referrals.series["2025-26 year to date"] == [D("25"), None, None, None]
    assert engaged.series["2026-27 actual"] == [D("62.5"), None, None, None]
    assert 'id="indicator-charts"' in response.content.decode()


def test_review_page_charts_the_submitted_figures(client, rita, filed):
    # Someone changes a live figure after submission: the review shows what was submitted.
    IndicatorActual.objects.filter(update__return_of=filed, indicator__name="Referrals received").update(value=999)
    client.force_login(rita)
    response = client.get(reverse("reviews:return", args=[filed.pk]))
    charts = response.context["indicator_charts"]
    youth = filed.project_updates.get(project__name="Youth violence prevention").project_id
    referrals = charts[youth][0]
    assert referrals.series["2026-27 year to date"] == [D("30"), None, None, None]  # Q2 is after this return
    assert referrals.series["2025-26 year to date"] == [D("25"), None, None, None]
    html = response.content.decode()
    assert "app-chart--compact" in html
    assert "Indicators against targets" in html


def test_no_year_no_charts(client, alice, birmingham):
    project = make_project(birmingham, "New work")
    client.force_login(alice)
    response = client.get(reverse("project_detail", args=["birmingham", project.pk]))
    assert response.status_code == 200
    assert response.context["chart_year"] is None
    assert "app-chart" not in response.content.decode()


def test_no_returns_yet_no_borough_charts(client, alice, year, projects):
    client.force_login(alice)
    response = client.get(reverse("borough_returns", args=["birmingham"]), {"year": "2026-27"})
    assert response.context["charts"] == []
    assert "app-chart" not in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "status"), [("alice", 200), ("bob", 404), ("charlie", 403), ("rita", 200), ("adam", 200)]
)
def test_pages_with_charts_for_each_persona(client, request, persona, status, projects, filed):
    client.force_login(request.getfixturevalue(persona))
    project_page = client.get(reverse("project_detail", args=["birmingham", projects[0].pk]))
    borough_page = client.get(reverse("borough_returns", args=["birmingham"]), {"year": "2026-27"})
    assert project_page.status_code == borough_page.status_code == status
    if status == 200:
        assert 'role="img"' in project_page.content.decode()
        assert 'role="img"' in borough_page.content.decode()


def test_anonymous_is_sent_to_sign_in(client, projects, filed):
    path = reverse("project_detail", args=["birmingham", projects[0].pk])
    assert_redirects_to_login(client.get(path), path)


def _file_year(borough, officer, year, *, projects, indicators):
    """`projects` projects of `indicators` indicators each, with figures in Q1 (submitted) and Q2 (draft)."""
    made = [
        make_project(
            borough,
            f"Project {n}",
            indicators=[(f"Measure {m}", Indicator.Unit.COUNT, 10, 20) for m in range(indicators)],
        )
        for n in range(projects)
    ]
    returns = []
    for quarter in (1, 2):
        return_ = return_start(borough=borough, period=year.periods.get(quarter=quarter), by=officer)
        for update in return_.project_updates.all():
            update.spend = D("100")
            update.save()
            for indicator in update.project.indicators.all():
                IndicatorActual.objects.create(update=update, indicator=indicator, value=D("3"))
        returns.append(return_)
    complete_everything(returns[0])
    returns[0] = return_submit(return_=returns[0], by=officer)
    return made, returns


def _queries(client, user, url, **params):
    client.force_login(user)
    client.get(url, params)  # first requests of a session cost more (the session, the user's groups)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(context)


def test_queries_do_not_grow_with_projects_or_indicators(client, year, birmingham, coventry, alice, bob, rita):
    small, small_returns = _file_year(birmingham, alice, year, projects=2, indicators=1)
    big, big_returns = _file_year(coventry, bob, year, projects=7, indicators=4)

    def borough(user, slug):
        return _queries(client, user, reverse("borough_returns", args=[slug]), year="2026-27")

    def project(user, project):
        return _queries(client, user, reverse("project_detail", args=[project.borough.slug, project.pk]))

    def review(return_):
        return _queries(client, rita, reverse("reviews:return", args=[return_.pk]))

    def task(user, return_):
        update = return_.project_updates.first()
        return _queries(client, user, reverse("return_project", args=[return_.pk, update.pk]))

    assert borough(alice, "birmingham") == borough(bob, "coventry")
    assert project(alice, small[0]) == project(bob, big[0])
    assert review(small_returns[0]) == review(big_returns[0])
    assert review(small_returns[1]) == review(big_returns[1])
    assert task(alice, small_returns[1]) == task(bob, big_returns[1])
