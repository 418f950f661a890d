"""What the board views say: open flags by borough and column, and projects by Plan priority."""

from returns.models import Plan, PlanPriority
from reviews.models import FlagType, Visibility
from reviews.services.review import flag_raise, flag_resolve
from tests.reviews.conftest import make_project, make_return


def test_evidence_quality_counts_open_flags_by_type(client, submitted, columns, rita, coventry, periods, alice):
    no_impact = FlagType.objects.get(name="No impact assessment given")
    double = FlagType.objects.get(name="Possible double counting with other funding")
    flag_raise(return_=submitted, flag_type=no_impact, column=columns["performance"], visibility="shared", by=rita)
    flag_raise(return_=submitted, flag_type=no_impact, column=columns["performance"], visibility="shared", by=rita)
    resolved = flag_raise(
        return_=submitted, flag_type=double, column=columns["performance"], visibility="shared", by=rita
    )
    flag_resolve(flag=resolved, by=rita)
    coventry_return = make_return(coventry, periods[0])
    flag_raise(
        return_=coventry_return,
        flag_type=double,
        project=make_project(coventry, "Night-time economy"),
        visibility=Visibility.OPCC_ONLY,
        by=rita,
    )

    client.force_login(rita)
    response = client.get("/review/evidence-quality/")
    assert response.status_code == 200
    table = dict(response.context["table"])
    columns_in_order = response.context["columns"]
    performance = [c.key for c in columns_in_order].index("performance")
    birmingham_row = next(cells for borough, cells in table.items() if borough.slug == "birmingham")
    assert [(t.name, n) for t, n in birmingham_row[performance]] == [("No impact assessment given", 2)]
    coventry_row = next(cells for borough, cells in table.items() if borough.slug == "coventry")
    assert [(t.name, n) for t, n in coventry_row[-1]] == [("Possible double counting with other funding", 1)]
    assert "No impact assessment given" in response.text


def test_thematic_view_lists_projects_under_a_priority_across_boroughs(client, year, birmingham, coventry, rita):
    plan = Plan.objects.create(name="Police and Crime Plan 2026-29")
    plan.years.add(year)
    domestic = PlanPriority.objects.create(plan=plan, name="Domestic abuse and violence")
    business = PlanPriority.objects.create(plan=plan, name="Business crime")
    advocacy = make_project(birmingham, "Domestic abuse advocacy")
    refuge = make_project(coventry, "Refuge outreach")
    facewatch = make_project(birmingham, "Facewatch")
    advocacy.priorities.add(domestic)
    refuge.priorities.add(domestic)
    facewatch.priorities.add(business)

    client.force_login(rita)
    response = client.get(f"/review/themes/?priority={domestic.pk}")
    assert response.status_code == 200
    assert [row.project.name for row in response.context["rows"]] == ["Domestic abuse advocacy", "Refuge outreach"]
    assert "Refuge outreach" in response.text
    assert "Facewatch" not in response.text
    assert "£25,000.00" in response.text


def test_thematic_view_is_404_for_a_priority_of_another_year(client, year, rita):
    plan = Plan.objects.create(name="Old plan")
    old = PlanPriority.objects.create(plan=plan, name="Hidden crimes")
    client.force_login(rita)
    assert client.get(f"/review/themes/?priority={old.pk}").status_code == 404
