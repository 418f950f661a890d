"""Warnings the officer confirms rather than rules that block: spend beyond the year's allocation, and an
engagement dated outside the return's quarter. Nothing is saved until the box is ticked.

Also the figures the warning is about: spend to date against the allocation, per project and for the
borough, on the task list, check answers and the reviewer's page, equal to the database's own sum.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from returns.models import CommunityEngagement, OpccEngagement, ProjectUpdate, Return
from returns.overview import load_overview
from returns.services import return_start, return_submit
from returns.spend import spend_to_date
from tests.form_html import error_beside, summary_links, value_of

from .conftest import complete_everything, make_project, project_post

# Every project of the fixtures has a £40,000 allocation for the year.
ALLOCATION = Decimal("40000.00")


def set_spend(return_, name, amount):
    ProjectUpdate.objects.filter(return_of=return_, project__name=name).update(
        spend=None if amount is None else Decimal(amount)
    )


@pytest.fixture
def year_of_spend(birmingham, coventry, alice, bob, year, q1, draft):
    """Birmingham's Q1 submitted and Q2 in draft, plus spend that must not count: Birmingham's Q3 and
    Coventry's Q2. Returns the Q2 draft."""
    first = return_start(borough=birmingham, period=q1, by=alice)
    set_spend(first, "Youth violence prevention", "30000.33")
    set_spend(first, "Business crime", "100.10")
    complete_everything(first)
    return_submit(return_=first, by=alice)

    set_spend(draft, "Youth violence prevention", "1234.56")
    set_spend(draft, "Business crime", None)  # not given yet: counts as nothing

    later = return_start(borough=birmingham, period=year.periods.get(quarter=3), by=alice)
    set_spend(later, "Youth violence prevention", "7777.77")

    make_project(coventry, "Youth violence prevention")
    theirs = return_start(borough=coventry, period=draft.period, by=bob)
    set_spend(theirs, "Youth violence prevention", "99999.99")
    return draft


def database_sum(return_, **filters):
    """What the database sums: the borough's spend in the year, up to and including the return's quarter."""
    return ProjectUpdate.objects.filter(
        return_of__borough=return_.borough,
        return_of__period__year=return_.period.year,
        return_of__period__quarter__lte=return_.period.quarter,
        **filters,
    ).aggregate(total=Sum("spend"))["total"]


def spend_text(to_date, allocation):
    return f"£{to_date:,.2f} of £{allocation:,.2f} allocated"


class TestSpendToDate:
    def test_the_figures_match_the_database_sum_to_the_penny(self, year_of_spend):
        q2 = year_of_spend
        youth = q2.project_updates.get(project__name="Youth violence prevention")
        summary = load_overview(q2).spend
        line = summary.lines[youth.project_id]
        assert line.to_date == database_sum(q2, project=youth.project) == Decimal("31234.89")
        assert (line.before, line.this_quarter, line.allocation) == (
            Decimal("30000.33"),
            Decimal("1234.56"),
            ALLOCATION,
        )
        assert summary.total.to_date == database_sum(q2) == Decimal("31334.99")
        assert summary.total.allocation == 2 * ALLOCATION
        assert not line.over

    def test_one_query_however_many_projects(self, year_of_spend, birmingham, alice, q2):
        def queries():
            overview = load_overview(Return.objects.get(pk=year_of_spend.pk))
            with CaptureQueriesContext(connection) as captured:
                spend_to_date(overview.return_, overview.tasks)
            return len(captured), len(overview.tasks)

        before = queries()
        for n in range(4):
            project = make_project(birmingham, f"Project {n}")
            ProjectUpdate.objects.create(return_of=year_of_spend, project=project, spend=Decimal("1.01"))
        after = queries()
        assert (before, after) == ((1, 2), (1, 6))

    def test_the_task_list_shows_each_project_and_the_borough(self, client, alice, year_of_spend):
        q2 = year_of_spend
        client.force_login(alice)
        page = client.get(q2.get_absolute_url()).text
        youth = q2.project_updates.get(project__name="Youth violence prevention").project
        business = q2.project_updates.get(project__name="Business crime").project
        assert spend_text(database_sum(q2, project=youth), ALLOCATION) in page
        assert spend_text(database_sum(q2, project=business), ALLOCATION) in page
        assert f"Spend to date this year, all projects: {spend_text(database_sum(q2), 2 * ALLOCATION)}" in page
        # Neither a later quarter's spend nor another borough's counts.
        assert "7,777.77" not in page
        assert "99,999.99" not in page

    def test_check_answers_and_the_reviewers_page_show_the_same_figures(self, client, alice, rita, year_of_spend):
        q2 = year_of_spend
        youth = q2.project_updates.get(project__name="Youth violence prevention").project
        client.force_login(alice)
        check = client.get(reverse("return_check", args=[q2.pk])).text
        expected = [
            spend_text(database_sum(q2, project=youth), ALLOCATION),
            spend_text(database_sum(q2), 2 * ALLOCATION),
        ]
        for text in expected:
            assert text in check
        complete_everything(q2)
        return_submit(return_=q2, by=alice)
        client.force_login(rita)
        review = client.get(reverse("reviews:return", args=[q2.pk])).text
        for text in expected:
            assert text in review
        assert "Spend this quarter" in review
        assert "£1,234.56" in review

    def test_the_first_quarter_counts_only_itself(self, client, rita, year_of_spend, q1):
        first = Return.objects.get(borough=year_of_spend.borough, period=q1)
        client.force_login(rita)
        page = client.get(reverse("reviews:return", args=[first.pk])).text
        assert spend_text(Decimal("30000.33"), ALLOCATION) in page
        assert spend_text(database_sum(first), 2 * ALLOCATION) in page


class TestOverspend:
    MESSAGE = (
        "Spend to date this year would be £40,000.33, which is £0.33 more than the £40,000.00 allocation. "
        "Check the spend, or confirm it is right"
    )

    def test_spend_over_the_allocation_waits_for_the_officer_to_confirm(self, client, alice, year_of_spend):
        q2 = year_of_spend
        youth = q2.project_updates.select_related("project").get(project__name="Youth violence prevention")
        url = reverse("return_project", args=[q2.pk, youth.pk])
        client.force_login(alice)

        page = client.get(url).text
        assert 'name="confirm_spend"' not in page  # no box until there is something to confirm
        assert "Spent in earlier quarters this year: £30,000.33 of the £40,000.00 allocation for the year." in page

        response = client.post(url, project_post(youth, spend="£10,000"))
        assert response.status_code == 200
        page = response.text
        assert error_beside(page, "id_spend") == [self.MESSAGE]
        assert ("#id_spend", self.MESSAGE) in summary_links(page)
        assert 'type="checkbox" name="confirm_spend"' in page
        assert "I confirm the spend is right" in page
        assert value_of(page, "spend") == "10,000.00"
        assert "Mentoring sessions in three schools" in page
        youth.refresh_from_db()
        assert (youth.spend, youth.version, youth.activity) == (Decimal("1234.56"), 1, "")

        response = client.post(url, project_post(youth, spend="£10,000", confirm_spend="on"))
        assert response.status_code == 302
        youth.refresh_from_db()
        assert (youth.spend, youth.version) == (Decimal("10000.00"), 2)

        # Confirmed once: saving again with the same spend does not ask again.
        response = client.post(url, project_post(youth, spend="10,000.00", activity="More sessions"))
        assert response.status_code == 302
        youth.refresh_from_db()
        assert (youth.activity, youth.version) == ("More sessions", 3)

        # The pages now say it is over.
        task_list = client.get(q2.get_absolute_url()).text
        assert f"{spend_text(database_sum(q2, project=youth.project), ALLOCATION)}" in task_list
        assert "Over by £0.33" in task_list
        assert "Over by £0.33" in client.get(reverse("return_check", args=[q2.pk])).text

    def test_saving_for_later_is_warned_too(self, client, alice, year_of_spend):
        q2 = year_of_spend
        youth = q2.project_updates.get(project__name="Youth violence prevention")
        client.force_login(alice)
        url = reverse("return_project", args=[q2.pk, youth.pk])
        data = project_post(youth, spend="10000", completed="")
        del data["save"]
        response = client.post(url, {**data, "later": ""})
        assert error_beside(response.text, "id_spend") == [self.MESSAGE]
        youth.refresh_from_db()
        assert youth.spend == Decimal("1234.56")

    def test_spend_up_to_the_allocation_needs_no_confirmation(self, client, alice, year_of_spend):
        q2 = year_of_spend
        youth = q2.project_updates.get(project__name="Youth violence prevention")
        client.force_login(alice)
        url = reverse("return_project", args=[q2.pk, youth.pk])
        assert client.post(url, project_post(youth, spend="9,999.67")).status_code == 302
        youth.refresh_from_db()
        assert youth.spend == Decimal("9999.67")
        assert database_sum(q2, project=youth.project) == ALLOCATION

    def test_a_ticked_box_stays_while_another_answer_is_corrected(self, client, alice, year_of_spend):
        q2 = year_of_spend
        youth = q2.project_updates.get(project__name="Youth violence prevention")
        client.force_login(alice)
        url = reverse("return_project", args=[q2.pk, youth.pk])
        page = client.post(url, project_post(youth, spend="50000", confirm_spend="on", outcomes="")).text
        assert error_beside(page, "id_outcomes") == ["Enter the outcomes achieved"]
        assert error_beside(page, "id_spend") == []
        assert 'type="checkbox" name="confirm_spend"' in page
        assert "checked" in page.split('name="confirm_spend"')[1].split(">")[0]
        youth.refresh_from_db()
        assert youth.spend == Decimal("1234.56")


def community(**values):
    return {
        "date_0": "1",
        "date_1": "8",
        "date_2": "2026",
        "title": "Road show",
        "description": "Stalls and leaflets",
        "people_reached": "240",
        "partners": "",
        "save": "",
        **values,
    }


def opcc(**values):
    return {
        "date_0": "1",
        "date_1": "8",
        "date_2": "2026",
        "what": "Launch of the campaign",
        "pcc_involvement": "not_invited",
        "logo_used": "yes",
        "save": "",
        **values,
    }


class TestEngagementDates:
    """The draft is Q2 2026-27: 1 July to 30 September 2026."""

    @pytest.mark.parametrize(
        ("log", "data", "model"), [("community", community, CommunityEngagement), ("opcc", opcc, OpccEngagement)]
    )
    def test_a_date_outside_the_quarter_is_saved_only_once_confirmed(self, client, alice, draft, log, data, model):
        client.force_login(alice)
        url = reverse("return_log_add", args=[draft.pk, log])
        response = client.post(url, data(date_0="1", date_1="3", date_2="2026"))
        assert response.status_code == 200
        page = response.text
        message = (
            "1 March 2026 is not in this return’s quarter, 1 July 2026 to 30 September 2026. "
            "Check the date, or confirm it is right"
        )
        assert error_beside(page, "id_date") == [message]
        assert ("#id_date", message) in summary_links(page)
        assert "I confirm the date is right" in page
        assert (value_of(page, "date_0"), value_of(page, "date_1"), value_of(page, "date_2")) == ("1", "3", "2026")
        assert not model.objects.exists()

        response = client.post(url, data(date_0="1", date_1="3", date_2="2026", confirm_date="on"))
        assert response.status_code == 302
        assert model.objects.get(return_of=draft).date == date(2026, 3, 1)

    @pytest.mark.parametrize(("day", "month"), [("1", "7"), ("30", "9"), ("15", "8")])
    def test_a_date_in_the_quarter_needs_no_confirmation(self, client, alice, draft, day, month):
        client.force_login(alice)
        response = client.post(
            reverse("return_log_add", args=[draft.pk, "community"]), community(date_0=day, date_1=month)
        )
        assert response.status_code == 302
        assert CommunityEngagement.objects.get(return_of=draft).date == date(2026, int(month), int(day))

    @pytest.mark.parametrize(("day", "month", "year_"), [("30", "6", "2026"), ("1", "10", "2026"), ("1", "8", "2025")])
    def test_the_day_either_side_of_the_quarter_is_outside_it(self, client, alice, draft, day, month, year_):
        client.force_login(alice)
        url = reverse("return_log_add", args=[draft.pk, "opcc"])
        response = client.post(url, opcc(date_0=day, date_1=month, date_2=year_))
        assert response.status_code == 200
        assert "Check the date, or confirm it is right" in response.text
        assert not OpccEngagement.objects.exists()

    def test_an_out_of_quarter_date_saved_before_is_not_questioned_again(self, client, alice, draft):
        item = CommunityEngagement.objects.create(
            return_of=draft, date=date(2026, 3, 1), title="Road show", description="x", people_reached=40
        )
        client.force_login(alice)
        url = reverse("return_log_item", args=[draft.pk, "community", item.pk])
        data = community(date_0="1", date_1="3", date_2="2026", title="Road show (spring)", version=str(item.version))
        assert client.post(url, data).status_code == 302
        item.refresh_from_db()
        assert item.title == "Road show (spring)"
        # Moving it to another date outside the quarter is a new date: confirm again.
        data = community(date_0="2", date_1="3", date_2="2026", version=str(item.version))
        assert "Check the date, or confirm it is right" in client.post(url, data).text
        item.refresh_from_db()
        assert item.date == date(2026, 3, 1)
