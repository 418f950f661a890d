"""Forecast outturn, variance and the likely under/overspend flags (returns/forecast.py)."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.urls import reverse

from returns.forecast import Forecast, borough_forecasts, project_forecasts, total_forecast
from returns.models import MatchFunding, ProjectUpdate, ProjectYear
from returns.services import return_start
from tests.form_html import error_beside, value_of

from .conftest import complete_everything, make_project, project_post

D = Decimal


def forecast(allocation, spent, rest, funding="0"):
    return Forecast(
        allocation=D(allocation),
        spent_to_date=D(spent),
        expected_rest=None if rest is None else D(rest),
        match_funding=D(funding),
    )


# The rule, with no database.


def test_outturn_and_variance():
    f = forecast("10000", "4000", "3500")
    assert f.outturn == D("7500")
    assert f.variance == D("-2500")
    assert f.share_spent == D("40.0")


def test_exactly_ninety_percent_is_on_track_and_a_penny_under_is_flagged():
    assert forecast("10000", "4000", "5000").state == Forecast.ON_TRACK
    under = forecast("10000", "4000", "4999.99")
    assert under.state == Forecast.UNDERSPEND
    assert under.flagged
    assert under.tag == "Likely underspend"
    assert under.label == "Likely underspend: £8,999.99 forecast of £10,000.00 allocated"


def test_exactly_the_allocation_is_on_track_and_a_penny_over_is_flagged():
    assert forecast("10000", "4000", "6000").state == Forecast.ON_TRACK
    assert forecast("10000", "4000", "6000").variance == 0
    over = forecast("10000", "4000", "6000.01")
    assert over.state == Forecast.OVERSPEND
    assert over.tag == "Likely overspend"
    assert over.variance == D("0.01")


def test_thresholds_come_from_settings(settings):
    settings.FORECAST_UNDERSPEND_BELOW = D("0.75")
    settings.FORECAST_OVERSPEND_ABOVE = D("1.10")
    assert forecast("10000", "4000", "3600").state == Forecast.ON_TRACK  # 76%
    assert forecast("10000", "4000", "6900").state == Forecast.ON_TRACK  # 109%
    assert forecast("10000", "4000", "7001").state == Forecast.OVERSPEND


def test_no_allocation():
    f = forecast("0", "500", "100")
    assert f.state == Forecast.NO_ALLOCATION
    assert f.share_spent is None
    assert not f.flagged
    assert f.outturn == D("600")


def test_no_expectation_given():
    f = forecast("10000", "4000", None)
    assert f.state == Forecast.NO_FORECAST
    assert f.outturn is None
    assert f.variance is None
    assert f.share_spent == D("40.0")


def test_total_needs_every_forecast():
    assert total_forecast([forecast("10", "1", "8"), forecast("10", "2", "8")]).outturn == D("19")
    assert total_forecast([forecast("10", "1", "8"), forecast("10", "2", None)]).state == Forecast.NO_FORECAST
    assert total_forecast([]).state == Forecast.NO_ALLOCATION


# From the database.


def _fill(return_, **by_name):
    for update in return_.project_updates.select_related("project"):
        spend, expected = by_name.get(update.project.name, (None, None))
        update.spend = None if spend is None else D(spend)
        update.expected_spend = None if expected is None else D(expected)
        update.save()


@pytest.fixture
def q1_and_q2(birmingham, alice, q1, q2, projects):
    first = return_start(borough=birmingham, period=q1, by=alice)
    _fill(first, **{"Youth violence prevention": ("0.10", "1"), "Business crime": ("0.10", "1")})
    complete_everything(first)
    second = return_start(borough=birmingham, period=q2, by=alice)
    _fill(second, **{"Youth violence prevention": ("0.10", "30000"), "Business crime": ("10000", "40000")})
    return first, second


def test_project_forecasts_sum_pennies_and_use_this_quarters_expectation(
    q1_and_q2, projects, django_assert_num_queries
):
    _first, second = q1_and_q2
    youth, business = projects
    MatchFunding.objects.create(project=youth, source="Council", amount=D("0.10"))
    MatchFunding.objects.create(project=youth, source="Lottery", amount=D("0.20"))
    forecasts = project_forecasts(second)
    assert forecasts[youth.pk].spent_to_date == D("0.20")
    assert forecasts[youth.pk].outturn == D("30000.20")
    assert forecasts[youth.pk].state == Forecast.UNDERSPEND  # 75% of £40,000
    assert forecasts[youth.pk].match_funding == D("0.30")
    assert forecasts[business.pk].outturn == D("50000.10")
    assert forecasts[business.pk].state == Forecast.OVERSPEND


def test_project_forecasts_cost_the_same_for_more_projects(q1_and_q2, birmingham, django_assert_max_num_queries):
    _first, second = q1_and_q2
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        project_forecasts(second)
    for n in range(5):
        project = make_project(birmingham, f"Extra {n}")
        ProjectUpdate.objects.create(return_of=second, project=project, spend=D("1"), expected_spend=D("2"))
    with CaptureQueriesContext(connection) as many:
        assert len(project_forecasts(second)) == 7
    assert len(many) == len(few)


def test_q4_has_nothing_left_to_spend(birmingham, alice, year, projects):
    q4 = year.periods.get(quarter=4)
    return_ = return_start(borough=birmingham, period=q4, by=alice)
    _fill(return_, **{"Youth violence prevention": ("36000", None), "Business crime": ("40000", "999")})
    forecasts = project_forecasts(return_)
    youth, business = projects
    assert forecasts[youth.pk].expected_rest == 0
    assert forecasts[youth.pk].outturn == D("36000")
    assert forecasts[youth.pk].state == Forecast.ON_TRACK  # exactly 90%
    assert forecasts[business.pk].outturn == D("40000")
    assert borough_forecasts(period=q4)[birmingham.pk].outturn == D("76000.00")


def test_borough_forecasts_match_the_database_to_the_penny(q1_and_q2, birmingham, coventry, q2, projects):
    in_db = ProjectUpdate.objects.filter(return_of__borough=birmingham).aggregate(total=Sum("spend"))["total"]
    forecasts = borough_forecasts(period=q2)
    mine = forecasts[birmingham.pk]
    assert mine.spent_to_date == D(in_db).quantize(D("0.01")) == D("10000.30")
    assert mine.allocation == D("80000.00")
    assert mine.expected_rest == D("70000.00")
    assert mine.outturn == D("80000.30")
    assert mine.state == Forecast.OVERSPEND
    assert forecasts[coventry.pk].state == Forecast.NO_ALLOCATION
    assert forecasts[coventry.pk].spent_to_date == 0


def test_borough_forecast_needs_every_projects_expectation(q1_and_q2, birmingham, q2):
    _first, second = q1_and_q2
    second.project_updates.filter(project__name="Business crime").update(expected_spend=None)
    assert borough_forecasts(period=q2)[birmingham.pk].state == Forecast.NO_FORECAST


def test_borough_forecasts_use_the_years_allocation(q1_and_q2, birmingham, year, q2, projects):
    youth, _business = projects
    ProjectYear.objects.create(project=youth, financial_year=year, csf_allocation=D("50000"))
    assert borough_forecasts(period=q2)[birmingham.pk].allocation == D("90000.00")


def test_a_project_that_starts_mid_year(q1_and_q2, birmingham, year, q1, q2, projects):
    """Started in Q2: no Q1 update, so its allocation counts from Q2 and Q1 has no spend for it."""
    _first, second = q1_and_q2
    late = make_project(birmingham, "Started in Q2", start_date=date(2026, 7, 1))
    ProjectUpdate.objects.create(return_of=second, project=late, spend=D("100"), expected_spend=D("39900"))
    at_q1 = borough_forecasts(period=q1)[birmingham.pk]
    at_q2 = borough_forecasts(period=q2)[birmingham.pk]
    assert at_q1.allocation == D("80000.00")
    assert at_q2.allocation == D("120000.00")
    assert project_forecasts(second)[late.pk].allocation == D("40000.00")  # its whole year's allocation
    assert project_forecasts(second)[late.pk].state == Forecast.ON_TRACK


def test_a_borough_counts_its_active_projects_before_its_first_return(birmingham, coventry, year, q1, q2, projects):
    make_project(coventry, "Starts in Q2", start_date=date(2026, 7, 1))
    make_project(coventry, "No start date")
    assert borough_forecasts(period=q1)[coventry.pk].allocation == D("40000.00")
    at_q2 = borough_forecasts(period=q2)[coventry.pk]
    assert at_q2.allocation == D("80000.00")
    assert at_q2.spent_to_date == 0
    assert at_q2.state == Forecast.NO_FORECAST  # no return yet: nothing forecast, not an underspend
    assert borough_forecasts(period=year.periods.get(quarter=4))[coventry.pk].state == Forecast.NO_FORECAST


def test_borough_forecasts_take_a_fixed_number_of_queries(q1_and_q2, birmingham, coventry, alice, q2):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        borough_forecasts(period=q2)
    for n in range(4):
        make_project(coventry, f"Coventry {n}")
    return_start(borough=coventry, period=q2, by=alice)
    with CaptureQueriesContext(connection) as many:
        borough_forecasts(period=q2)
    assert len(many) == len(few) == 3


# The project task form: "Expected spend for the rest of the year (£)".


def _page(client, user, update, **values):
    client.force_login(user)
    url = reverse("return_project", args=[update.return_of_id, update.pk])
    return client.post(url, project_post(update, **values))


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("twenty grand", "Enter the expected spend in pounds, like 1,250.50"),
        ("£-5", "Expected spend for the rest of the year (£) cannot be negative"),
        ("9" * 60, "Enter the expected spend in pounds, like 1,250.50"),
        ("12,345,678,901", "Expected spend for the rest of the year (£) must be less than 10,000,000,000"),
        ("1.234", "Expected spend for the rest of the year (£) can have at most 2 decimal places"),
    ],
)
def test_wrong_expected_spend_is_explained_beside_the_field_and_kept(client, alice, youth, typed, message):
    response = _page(client, alice, youth, expected_spend=typed)
    assert response.status_code == 200
    assert error_beside(response.text, "id_expected_spend") == [message]
    assert value_of(response.text, "expected_spend") == typed
    assert "Mentoring sessions in three schools" in response.text
    youth.refresh_from_db()
    assert (youth.expected_spend, youth.version) == (None, 1)


def test_expected_spend_is_required_to_complete_the_task(client, alice, youth):
    response = _page(client, alice, youth, expected_spend="")
    assert error_beside(response.text, "id_expected_spend") == [
        "Enter the expected spend for the rest of the year, or 0 if none"
    ]


def test_expected_spend_may_wait_when_saving_for_later(client, alice, youth):
    data = project_post(youth, expected_spend="", completed="")
    data.pop("save")
    data["later"] = ""
    client.force_login(alice)
    response = client.post(reverse("return_project", args=[youth.return_of_id, youth.pk]), data)
    assert response.status_code == 302
    youth.refresh_from_db()
    assert youth.expected_spend is None


def test_expected_spend_is_saved_exactly_and_shown_on_check_answers(client, alice, youth):
    assert _page(client, alice, youth, expected_spend="£29,999.99").status_code == 302
    youth.refresh_from_db()
    assert youth.expected_spend == D("29999.99")
    page = client.get(reverse("return_check", args=[youth.return_of_id])).text
    assert _text(page, f"expected-spend-{youth.project_id}") == "£29,999.99"
    # 10,000 spent + 29,999.99 expected = 39,999.99 of 40,000: on track, a penny under.
    assert _text(page, f"forecast-{youth.project_id}").startswith(
        "£39,999.99 forecast outturn, £0.01 under the allocation"
    )
    # Shown back formatted when the form is opened again.
    form = client.get(reverse("return_project", args=[youth.return_of_id, youth.pk])).text
    assert value_of(form, "expected_spend") == "29,999.99"


def test_q4_does_not_ask_and_saves_nothing_left_to_spend(client, alice, birmingham, year, projects):
    q4 = year.periods.get(quarter=4)
    return_ = return_start(borough=birmingham, period=q4, by=alice)
    youth = return_.project_updates.get(project__name="Youth violence prevention")
    client.force_login(alice)
    form = client.get(reverse("return_project", args=[return_.pk, youth.pk])).text
    assert 'name="expected_spend"' not in form
    assert _page(client, alice, youth, expected_spend="").status_code == 302
    youth.refresh_from_db()
    assert youth.expected_spend == 0
    page = client.get(reverse("return_check", args=[return_.pk])).text
    assert _text(page, f"expected-spend-{youth.project_id}") == "None: the year ends this quarter"


# The flags on the pages.


def _text(page, element_id):
    match = re.search(rf'id="{element_id}"[^>]*>(.*?)</(?:dd|span|p)>', page, re.S)
    assert match, f"no element {element_id}"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


@pytest.fixture
def flagged(q1_and_q2, projects):
    """Q2: the youth project likely to underspend (75%), business crime to overspend (125%)."""
    youth, _business = projects
    MatchFunding.objects.create(project=youth, source="Birmingham City Council", amount=D("12500.50"))
    return q1_and_q2[1]


def test_the_task_list_flags_each_project_and_the_total_with_words(client, alice, flagged, projects):
    youth, business = projects
    client.force_login(alice)
    page = client.get(reverse("return_detail", args=[flagged.pk])).text
    assert "Likely underspend" in _text(page, f"forecast-{youth.pk}")
    assert "Likely overspend" in _text(page, f"forecast-{business.pk}")
    assert "match funding £12,500.50" in _text(page, f"spend-{youth.pk}")
    total = _text(page, "spend-total")
    assert "forecast outturn £80,000.30" in total
    assert "Likely overspend" in total
    assert "Match funding £12,500.50" in total


def test_the_reviewers_page_flags_each_project_and_shows_match_funding(client, rita, alice, flagged, projects):
    from returns.services import return_submit

    youth, business = projects
    complete_everything(flagged)
    return_submit(return_=flagged, by=alice)
    client.force_login(rita)
    page = client.get(reverse("reviews:return", args=[flagged.pk])).text
    assert _text(page, f"forecast-{youth.pk}").startswith(
        "£30,000.20 forecast outturn, £9,999.80 under the allocation (£40,000.00) Likely underspend"
    )
    assert "Likely overspend" in _text(page, f"forecast-{business.pk}")
    assert _text(page, f"match-funding-{youth.pk}") == "£12,500.50 beside the £40,000.00 allocation"
    assert "Likely overspend" in _text(page, "forecast-total")


# The chart (returns/charts/money.py).


def test_spend_by_borough_chart_shows_spend_and_forecast_against_allocation():
    from returns.charts.money import spend_by_borough_chart

    rows = [
        ("Birmingham", forecast("100000", "40000.10", "30000")),
        ("Coventry", forecast("50000", "30000", "30000", funding="5000")),
        ("Dudley", forecast("20000", "5000", None)),
        ("Sandwell", forecast("0", "0", None)),
    ]
    chart = spend_by_borough_chart(rows, key="money")
    assert chart.key == "money"
    assert chart.labels == ["Birmingham", "Coventry", "Dudley", "Sandwell"]
    assert chart.series["Allocation"] == [D("100000"), D("50000"), D("20000"), D("0")]
    assert chart.series["Spent to date"][0] == D("40000.10")
    assert chart.series["Forecast outturn"] == [D("70000.10"), D("60000"), None, None]  # a gap, never a zero
    assert all(isinstance(v, Decimal) for values in chart.series.values() for v in values if v is not None)
    assert chart.summary == "1 of 4 boroughs is likely to underspend, 1 likely to overspend, 1 without a forecast."
    assert chart.table_head == [
        "Borough",
        "Allocation",
        "Spent to date",
        "Share spent",
        "Forecast outturn",
        "Variance",
        "Forecast",
    ]
    assert chart.table_rows[0] == [
        "Birmingham",
        "£100,000.00",
        "£40,000.10",
        "40.0%",
        "£70,000.10",
        "-£29,999.90",
        "Likely underspend: £70,000.10 forecast of £100,000.00 allocated",
    ]
    assert chart.table_rows[2][4:] == ["Not forecast", "Not forecast", Forecast(D("20000"), D("5000"), None).label]
    assert chart.table_rows[3][3] == "No allocation"
    assert "<svg" in chart.svg
    assert "Birmingham" in chart.svg


def test_spend_by_borough_chart_with_no_rows():
    from returns.charts.money import spend_by_borough_chart

    chart = spend_by_borough_chart([])
    assert chart.summary == "No boroughs to show."
    assert chart.table_rows == []
