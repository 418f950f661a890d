"""Projects, indicators and match funding: bad input gets a clear message and nothing typed is lost."""

from decimal import Decimal

from returns.models import Indicator, MatchFunding, Project

from .conftest import make_project


def project_data(**values):
    data = {
        "name": "Knife crime education",
        "delivery_partner": "West Midlands Fire Service",
        "description": "Sessions in every mainstream school.",
        "csf_allocation": "30000",
        "start_date_0": "1",
        "start_date_1": "4",
        "start_date_2": "2026",
        "end_date_0": "31",
        "end_date_1": "3",
        "end_date_2": "2027",
        "status": "active",
        "save": "",
    }
    data.update(values)
    return data


def test_officer_adds_a_project(client, alice, birmingham):
    client.force_login(alice)
    response = client.post("/boroughs/birmingham/projects/add/", project_data())
    assert response.status_code == 302
    project = Project.objects.get(borough=birmingham, name="Knife crime education")
    assert project.csf_allocation == Decimal("30000")
    assert str(project.end_date) == "2027-03-31"


def test_bad_project_input_is_explained_next_to_each_field(client, alice, birmingham):
    make_project(birmingham, "Knife crime education")
    client.force_login(alice)
    response = client.post(
        "/boroughs/birmingham/projects/add/",
        project_data(csf_allocation="-5", end_date_2="2025", description="x" * 100_000),
    )
    assert response.status_code == 200
    page = response.text
    assert "There is a problem" in page
    assert page.count("Birmingham already has a project called Knife crime education") == 2  # summary and field
    assert "already exists" not in page  # the constraint's own wording never reaches the officer
    assert "cannot be negative" in page
    assert "The end date must be the same as or after the start date" in page
    assert "characters or fewer" in page
    assert "West Midlands Fire Service" in page  # what was typed comes back
    assert Project.objects.filter(borough=birmingham).count() == 1


def test_indicator_targets_must_make_sense(client, alice, birmingham):
    project = make_project(birmingham, "Youth violence prevention", indicators=())
    client.force_login(alice)
    url = f"/boroughs/birmingham/projects/{project.pk}/indicators/add/"
    response = client.post(
        url,
        {
            "name": "Engaged regularly",
            "unit": Indicator.Unit.PERCENT,
            "baseline": "",
            "minimum_target": "45",
            "aspirational_target": "130",
            "higher_is_better": "yes",
            "save": "",
        },
    )
    assert response.status_code == 200
    assert "must be 100% or less" in response.text
    response = client.post(
        url,
        {
            "name": "Engaged regularly",
            "unit": Indicator.Unit.PERCENT,
            "minimum_target": "45",
            "aspirational_target": "30",
            "higher_is_better": "yes",
            "save": "",
        },
    )
    assert "The aspirational target must be at least the minimum target" in response.text
    assert not project.indicators.exists()
    client.post(
        url,
        {
            "name": "Engaged regularly",
            "unit": Indicator.Unit.PERCENT,
            "minimum_target": "30",
            "aspirational_target": "45",
            "higher_is_better": "yes",
            "save": "",
        },
    )
    indicator = project.indicators.get()
    assert (indicator.minimum_target, indicator.aspirational_target) == (Decimal("30"), Decimal("45"))


def test_match_funding_amount_is_checked(client, alice, birmingham):
    project = make_project(birmingham, "Business crime", indicators=())
    client.force_login(alice)
    url = f"/boroughs/birmingham/projects/{project.pk}/funding/add/"
    response = client.post(url, {"source": "Business Improvement District", "amount": "lots", "save": ""})
    assert response.status_code == 200
    assert "Enter the amount in pounds, like 1,250.50" in response.text
    assert "Business Improvement District" in response.text
    client.post(url, {"source": "Business Improvement District", "amount": "12500", "save": ""})
    assert MatchFunding.objects.get(project=project).amount == Decimal("12500")


def test_officer_cannot_add_to_another_boroughs_project(client, bob, birmingham):
    project = make_project(birmingham, "Business crime", indicators=())
    client.force_login(bob)
    response = client.post(f"/boroughs/birmingham/projects/{project.pk}/funding/add/", {"source": "x", "amount": "1"})
    assert response.status_code == 404
    assert not MatchFunding.objects.exists()


def test_changing_an_indicator_keeps_it_and_records_who(client, alice, birmingham):
    project = make_project(birmingham, "Business crime")
    indicator = project.indicators.get()
    client.force_login(alice)
    response = client.post(
        f"/boroughs/birmingham/projects/{project.pk}/indicators/{indicator.pk}/",
        {
            "name": "Businesses visited",
            "unit": Indicator.Unit.COUNT,
            "baseline": "20",
            "minimum_target": "100",
            "aspirational_target": "150",
            "higher_is_better": "yes",
            "version": indicator.version,
            "save": "",
        },
        follow=True,
    )
    assert response.redirect_chain == [(f"/boroughs/birmingham/projects/{project.pk}/", 302)]
    assert "The indicator Businesses visited has been saved." in response.text
    assert list(project.indicators.values_list("pk", "name", "baseline")) == [
        (indicator.pk, "Businesses visited", Decimal("20"))
    ]
    assert indicator.history.latest("history_id").history_user == alice


def test_removing_match_funding_is_recorded(client, alice, birmingham):
    project = make_project(birmingham, "Business crime", indicators=())
    funding = MatchFunding.objects.create(project=project, source="Council", amount=Decimal("500"))
    client.force_login(alice)
    response = client.post(
        f"/boroughs/birmingham/projects/{project.pk}/funding/{funding.pk}/remove/", {"version": 1}, follow=True
    )
    assert "The match funding has been removed." in response.text
    assert not MatchFunding.objects.exists()
    assert MatchFunding.history.get(id=funding.pk, history_type="-").history_user == alice
