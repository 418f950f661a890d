"""Money and counts as people type them: "£1,000", "18,750", "1,200.50", " 12 ", "£ 40,000.00".

Each is read into an exact Decimal (or an int for a count column), shown back formatted when the form is
opened again, and wrong input gets a message saying what is accepted, beside the field, with the input kept.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from returns.forms.fields import count_field, money_field, number_field
from returns.models import CommunityEngagement, Indicator, IndicatorActual, MatchFunding, Project
from tests.form_html import error_beside, value_of

from .conftest import make_project, project_post

TYPED = [
    ("£1,000", Decimal("1000.00")),
    ("18,750", Decimal("18750.00")),
    ("1,200.50", Decimal("1200.50")),
    (" 12 ", Decimal("12.00")),
    ("£ 40,000.00", Decimal("40000.00")),
    ("£0.5", Decimal("0.50")),
    ("\u00a31,000\u00a0", Decimal("1000.00")),  # a no-break space pasted from a spreadsheet
]

SPEND_MESSAGE = "Enter the spend in pounds, like 1,250.50"
BAD_MONEY = [
    ("ten thousand", SPEND_MESSAGE),
    ("1,2,3", SPEND_MESSAGE),  # separators only between thousands
    ("12,34", SPEND_MESSAGE),
    ("$500", SPEND_MESSAGE),
    ("£", SPEND_MESSAGE),
    ("1 000", SPEND_MESSAGE),
    ("1e3", SPEND_MESSAGE),
    ("NaN", SPEND_MESSAGE),
    ("9" * 60, SPEND_MESSAGE),
    ("1,200.505", "Spend this quarter (£) can have at most 2 decimal places"),
    ("£-5", "Spend this quarter (£) cannot be negative"),
    ("12,345,678,901", "Spend this quarter (£) must be less than 10,000,000,000"),
]


class TestTheFields:
    """The fields themselves: what each kind reads, and the value is a Decimal, never a float."""

    @pytest.mark.parametrize(("typed", "expected"), TYPED)
    def test_money_is_read_as_people_type_it(self, typed, expected):
        value = money_field("Spend (£)", noun="the spend").clean(typed)
        assert value == expected
        assert type(value) is Decimal

    def test_pennies_add_up_exactly(self):
        field = money_field("Spend (£)", noun="the spend")
        assert field.clean("0.10") + field.clean("0.20") == Decimal("0.30")

    def test_a_count_is_a_whole_number_and_an_int_for_an_integer_column(self):
        field = count_field("People", noun="the number of people")
        assert field.clean(" 1,200 ") == 1200
        assert type(field.clean("12")) is int
        assert field.clean("12.0") == 12
        with pytest.raises(Exception, match="Enter the number of people as a whole number, like 1,200"):
            field.clean("12.5")

    def test_an_indicator_takes_its_units_form(self):
        count = number_field("Referrals (count)", unit=Indicator.Unit.COUNT)
        assert count.clean("1,200") == Decimal("1200")
        assert type(count.clean("3")) is Decimal
        assert number_field("Engaged (percentage)", unit=Indicator.Unit.PERCENT).clean("62.5%") == Decimal("62.5")
        assert number_field("Recovered (pounds)", unit=Indicator.Unit.POUNDS).clean("£1,250.50") == Decimal("1250.50")
        assert number_field("Volunteering (hours)", unit=Indicator.Unit.HOURS).clean("1,207.5") == Decimal("1207.5")
        with pytest.raises(Exception, match="must be 100% or less"):
            number_field("Engaged (percentage)", unit=Indicator.Unit.PERCENT).clean("100.5")


class TestSpendOnTheProjectPage:
    @pytest.mark.parametrize(("typed", "expected"), TYPED[:5])
    def test_each_format_saves_the_exact_amount(self, client, alice, youth, typed, expected):
        client.force_login(alice)
        url = reverse("return_project", args=[youth.return_of_id, youth.pk])
        assert client.post(url, project_post(youth, spend=typed)).status_code == 302
        youth.refresh_from_db()
        assert youth.spend == expected

    @pytest.mark.parametrize(("typed", "message"), BAD_MONEY)
    def test_wrong_input_says_what_is_accepted_and_is_kept(self, client, alice, youth, typed, message):
        client.force_login(alice)
        url = reverse("return_project", args=[youth.return_of_id, youth.pk])
        response = client.post(url, project_post(youth, spend=typed))
        assert response.status_code == 200
        page = response.text
        assert error_beside(page, "id_spend") == [message]
        assert f'<a href="#id_spend">{message}</a>' in page  # the error summary links to the field
        assert value_of(page, "spend") == typed
        assert "Mentoring sessions in three schools" in page
        youth.refresh_from_db()
        assert (youth.spend, youth.version) == (None, 1)

    def test_the_saved_amount_is_shown_back_with_separators_and_a_pound_prefix(self, client, alice, youth):
        client.force_login(alice)
        url = reverse("return_project", args=[youth.return_of_id, youth.pk])
        client.post(url, project_post(youth, spend="£1,234.5", completed="no"))
        page = client.get(url).text
        assert value_of(page, "spend") == "1,234.50"
        assert '<div class="govuk-input__prefix" aria-hidden="true">£</div>' in page
        # The label still says the unit: the prefix is hidden from screen readers.
        assert "Spend this quarter (£)" in page

    def test_valid_input_is_shown_formatted_when_another_answer_needs_correcting(self, client, alice, youth):
        referrals, _ = youth.project.indicators.order_by("pk")
        client.force_login(alice)
        url = reverse("return_project", args=[youth.return_of_id, youth.pk])
        page = client.post(url, project_post(youth, spend="£ 9500", **{f"indicator_{referrals.pk}": "7.5"})).text
        assert error_beside(page, f"id_indicator_{referrals.pk}") == [
            "Enter referrals received (count) as a whole number, like 1,200"
        ]
        assert value_of(page, f"indicator_{referrals.pk}") == "7.5"
        assert value_of(page, "spend") == "9,500.00"

    def test_indicator_actuals_accept_separators_and_percent_signs(self, client, alice, youth):
        referrals, engaged = youth.project.indicators.order_by("pk")
        client.force_login(alice)
        url = reverse("return_project", args=[youth.return_of_id, youth.pk])
        data = project_post(youth, **{f"indicator_{referrals.pk}": "1,070", f"indicator_{engaged.pk}": " 62.6% "})
        assert client.post(url, data).status_code == 302
        values = dict(IndicatorActual.objects.filter(update=youth).values_list("indicator_id", "value"))
        assert values == {referrals.pk: Decimal("1070.00"), engaged.pk: Decimal("62.60")}
        page = client.get(url).text
        assert value_of(page, f"indicator_{referrals.pk}") == "1,070"
        assert value_of(page, f"indicator_{engaged.pk}") == "62.6"


class TestProjectMoney:
    def project_data(self, **values):
        return {
            "name": "Knife crime education",
            "delivery_partner": "West Midlands Fire Service",
            "description": "",
            "csf_allocation": "30000",
            "status": "active",
            "save": "",
            **values,
        }

    @pytest.mark.parametrize(("typed", "expected"), TYPED[:5])
    def test_the_allocation_takes_each_format(self, client, alice, birmingham, typed, expected):
        client.force_login(alice)
        response = client.post("/boroughs/birmingham/projects/add/", self.project_data(csf_allocation=typed))
        assert response.status_code == 302
        assert Project.objects.get(borough=birmingham, name="Knife crime education").csf_allocation == expected

    def test_a_wrong_allocation_is_explained_and_kept(self, client, alice, birmingham):
        client.force_login(alice)
        page = client.post("/boroughs/birmingham/projects/add/", self.project_data(csf_allocation="30k")).text
        assert error_beside(page, "id_csf_allocation") == ["Enter the allocation in pounds, like 1,250.50"]
        assert value_of(page, "csf_allocation") == "30k"
        assert not Project.objects.filter(borough=birmingham).exists()

    def test_the_allocation_is_shown_back_formatted(self, client, alice, birmingham):
        project = make_project(birmingham, "Business crime", indicators=())
        Project.objects.filter(pk=project.pk).update(csf_allocation=Decimal("1234567.80"))
        client.force_login(alice)
        page = client.get(f"/boroughs/birmingham/projects/{project.pk}/edit/").text
        assert value_of(page, "csf_allocation") == "1,234,567.80"

    @pytest.mark.parametrize(("typed", "expected"), TYPED[:5])
    def test_match_funding_takes_each_format(self, client, alice, birmingham, typed, expected):
        project = make_project(birmingham, "Business crime", indicators=())
        client.force_login(alice)
        url = f"/boroughs/birmingham/projects/{project.pk}/funding/add/"
        assert client.post(url, {"source": "Council", "amount": typed, "save": ""}).status_code == 302
        assert MatchFunding.objects.get(project=project).amount == expected

    def test_wrong_match_funding_is_explained_and_kept(self, client, alice, birmingham):
        project = make_project(birmingham, "Business crime", indicators=())
        client.force_login(alice)
        url = f"/boroughs/birmingham/projects/{project.pk}/funding/add/"
        page = client.post(url, {"source": "Council", "amount": "£12.345", "save": ""}).text
        assert error_beside(page, "id_amount") == ["Amount (£) can have at most 2 decimal places"]
        assert value_of(page, "amount") == "£12.345"
        assert not MatchFunding.objects.exists()

    def test_indicator_targets_accept_separators(self, client, alice, birmingham):
        project = make_project(birmingham, "Business crime", indicators=())
        client.force_login(alice)
        url = f"/boroughs/birmingham/projects/{project.pk}/indicators/add/"
        data = {
            "name": "Referrals",
            "unit": "count",
            "baseline": "",
            "minimum_target": "1,200",
            "aspirational_target": " 1,500 ",
            "higher_is_better": "yes",
            "save": "",
        }
        assert client.post(url, data).status_code == 302
        indicator = Indicator.objects.get(project=project)
        assert (indicator.minimum_target, indicator.aspirational_target) == (Decimal("1200"), Decimal("1500"))


class TestPeopleReached:
    def data(self, **values):
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

    @pytest.mark.parametrize(("typed", "expected"), [("1,200", 1200), (" 12 ", 12), ("12.0", 12), ("0", 0)])
    def test_a_count_is_read_as_typed(self, client, alice, draft, typed, expected):
        client.force_login(alice)
        url = reverse("return_log_add", args=[draft.pk, "community"])
        assert client.post(url, self.data(people_reached=typed)).status_code == 302
        assert CommunityEngagement.objects.get(return_of=draft).people_reached == expected

    @pytest.mark.parametrize(
        ("typed", "message"),
        [
            ("12.5", "Enter the number of people reached as a whole number, like 1,200"),
            ("£12", "Enter the number of people reached as a whole number, like 1,200"),
            ("lots", "Enter the number of people reached as a whole number, like 1,200"),
            ("-1", "The number of people reached cannot be negative"),
            ("10,000,001", "The number of people reached must be 10,000,000 or fewer"),
        ],
    )
    def test_a_wrong_count_is_explained_and_kept(self, client, alice, draft, typed, message):
        client.force_login(alice)
        url = reverse("return_log_add", args=[draft.pk, "community"])
        response = client.post(url, self.data(people_reached=typed))
        assert response.status_code == 200
        assert error_beside(response.text, "id_people_reached") == [message]
        assert value_of(response.text, "people_reached") == typed
        assert not CommunityEngagement.objects.exists()

    def test_the_count_is_shown_back_with_separators(self, client, alice, draft):
        item = CommunityEngagement.objects.create(
            return_of=draft, date=date(2026, 8, 1), title="Road show", description="x", people_reached=12500
        )
        client.force_login(alice)
        page = client.get(reverse("return_log_item", args=[draft.pk, "community", item.pk])).text
        assert value_of(page, "people_reached") == "12,500"
