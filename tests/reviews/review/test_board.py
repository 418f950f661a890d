"""What the board views say: open flags by borough and column, and projects by Plan priority."""

from decimal import Decimal

from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext

from returns.models import FinancialYear, Plan, PlanPriority, Project, ProjectUpdate, ProjectYear, Return
from reviews.models import FlagType, Visibility
from reviews.selectors.thematic import THEMATIC_PAGE_SIZE
from reviews.services.review import flag_raise, flag_resolve
from tests.conftest import make_user
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


def test_thematic_view_leaves_out_projects_finished_before_the_year(client, year, birmingham, rita):
    """A priority outlives projects: one completed in an earlier year, never carried in, is not this year's."""
    plan = Plan.objects.create(name="Police and Crime Plan 2026-29")
    plan.years.add(year)
    domestic = PlanPriority.objects.create(plan=plan, name="Domestic abuse and violence")
    current = make_project(birmingham, "Domestic abuse advocacy")
    finished = make_project(birmingham, "Old refuge scheme")
    finished.status = finished.Status.COMPLETED
    finished.save()
    for project in (current, finished):
        project.priorities.add(domestic)

    client.force_login(rita)
    response = client.get(f"/review/themes/?priority={domestic.pk}")
    assert [row.project.name for row in response.context["rows"]] == ["Domestic abuse advocacy"]
    assert "Old refuge scheme" not in response.text


def test_thematic_view_takes_the_years_projects_by_returns_rule_in_one_read_of_the_projects(
    client, periods, birmingham, coventry, rita, bob
):
    """The year's projects: those carried into it (ProjectQuerySet.carried_into: funded in it, or active and in no
    year yet) and those that reported in it, whatever their status now; not one funded only in another year, nor a
    finished one that never reported. The rule is a condition on the project's row: the ids' query reads the
    projects table once (as a subquery of its own it read every project of every year again)."""
    year = periods[0].year
    earlier, _ = FinancialYear.get_or_create_for_start(2025)
    funded = make_project(birmingham, "Funded this year")
    added = make_project(birmingham, "Added during the year")
    elsewhere = make_project(birmingham, "Funded only last year")
    reported = make_project(coventry, "Reported, then closed")
    finished = make_project(coventry, "Closed, never reported")
    ProjectYear.objects.create(project=funded, financial_year=year, csf_allocation=Decimal("1000"))
    ProjectYear.objects.create(project=elsewhere, financial_year=earlier, csf_allocation=Decimal("1000"))
    finished.status = finished.Status.CLOSED
    finished.save()
    make_return(coventry, periods[0], by=bob)  # carries `reported` while it is active
    reported.status = reported.Status.CLOSED
    reported.save()
    theme = _theme(year, funded, added, elsewhere, reported, finished)
    assert set(Project.objects.carried_into(year)) == {funded, added}

    client.force_login(rita)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/review/themes/?priority={theme.pk}")
    assert [row.project.name for row in response.context["rows"]] == [
        "Added during the year",
        "Funded this year",
        "Reported, then closed",
    ]
    ids_query = next(q["sql"] for q in queries if q["sql"].startswith('SELECT "returns_project"."id" AS "pk"'))
    assert ids_query.count('FROM "returns_project"') == 1
    # The latest updates come with their returns' quarters, not with what those returns reported.
    assert all('"returns_return"."snapshot"' not in q["sql"] for q in queries)


def test_thematic_view_is_404_for_a_priority_of_another_year(client, year, rita):
    plan = Plan.objects.create(name="Old plan")
    old = PlanPriority.objects.create(plan=plan, name="Hidden crimes")
    client.force_login(rita)
    assert client.get(f"/review/themes/?priority={old.pk}").status_code == 404


def _theme(year, *projects):
    plan = Plan.objects.create(name="Police and Crime Plan 2026-29")
    plan.years.add(year)
    theme = PlanPriority.objects.create(plan=plan, name="Domestic abuse and violence")
    for project in projects:
        project.priorities.add(theme)
    return theme


def _rated(return_, rag):
    return_.project_updates.update(rag_override=rag, rag_reason="The officer's judgement.")
    return return_


def test_thematic_view_shows_each_projects_latest_quarter_with_the_opcc_not_a_draft(
    client, periods, birmingham, coventry, rita, alice, bob
):
    advocacy = make_project(birmingham, "Domestic abuse advocacy")
    refuge = make_project(coventry, "Refuge outreach")
    theme = _theme(periods[0].year, advocacy, refuge)
    q1, q2, q3 = periods[:3]
    _rated(make_return(birmingham, q1, by=alice), "red")
    _rated(make_return(birmingham, q2, by=alice, status=Return.Status.ACCEPTED), "green")
    _rated(make_return(birmingham, q3, by=alice, status=Return.Status.DRAFT), "amber")  # still the officer's
    _rated(make_return(coventry, q1, by=bob, status=Return.Status.DRAFT), "red")  # nothing with the OPCC yet

    client.force_login(rita)
    rows = client.get(f"/review/themes/?priority={theme.pk}").context["rows"]
    assert [(row.project.name, row.rag, row.quarter) for row in rows] == [
        ("Domestic abuse advocacy", "green", 2),
        ("Refuge outreach", None, None),
    ]
    assert [i.name for i in rows[0].indicators] == ["Referrals"]


def test_thematic_view_queries_do_not_grow_with_projects_boroughs_or_quarters(
    client, periods, birmingham, coventry, rita, alice, bob
):
    first = make_project(birmingham, "Domestic abuse advocacy")
    theme = _theme(periods[0].year, first)
    make_return(birmingham, periods[0], by=alice)
    url = f"/review/themes/?priority={theme.pk}"
    client.force_login(rita)
    one = _cold_and_warm_queries(client, url)
    assert len(client.get(url).context["rows"]) == 1

    # Added after the project ids were kept (reviews.selectors.thematic.project_ids): shown at once all the same.
    for borough in (birmingham, coventry):
        for n in range(3):
            make_project(borough, f"Refuge outreach {n}").priorities.add(theme)
    make_return(coventry, periods[0], by=bob)
    make_return(birmingham, periods[1], by=alice)
    make_return(coventry, periods[1], by=bob, status=Return.Status.ACCEPTED)
    loaded = []

    def count(sender, instance, **kwargs):
        loaded.append(instance)

    # Only each project's latest update leaves the database, not every quarter's.
    post_init.connect(count, sender=ProjectUpdate)
    try:
        response = client.get(url)
    finally:
        post_init.disconnect(count, sender=ProjectUpdate)
    rows = response.context["rows"]
    assert len(rows) == 7
    assert [row.quarter for row in rows] == [2] * 7  # Coventry's projects also have Q1, Birmingham's first too
    assert len(loaded) == 7
    assert _cold_and_warm_queries(client, url) == one


def test_the_kept_project_list_follows_what_it_shows(client, periods, birmingham, coventry, rita, alice):
    reported = make_project(birmingham, "Domestic abuse advocacy")
    carried = make_project(coventry, "Refuge outreach")  # in no return yet: carried into the year while active
    funded = make_project(coventry, "Sanctuary scheme")
    ProjectYear.objects.create(project=funded, financial_year=periods[0].year)
    last_years = make_project(coventry, "Street pastors")  # funded last year only: not this year's
    ProjectYear.objects.create(project=last_years, financial_year=FinancialYear.get_or_create_for_start(2025)[0])
    theme = _theme(periods[0].year, reported, carried, funded, last_years)
    make_return(birmingham, periods[0], by=alice)
    url = f"/review/themes/?priority={theme.pk}"
    client.force_login(rita)

    def shown():
        return [row.project.name for row in client.get(url).context["rows"]]

    assert shown() == ["Domestic abuse advocacy", "Refuge outreach", "Sanctuary scheme"]
    carried.status = Project.Status.CLOSED
    carried.save()
    assert shown() == ["Domestic abuse advocacy", "Sanctuary scheme"]
    funded.priorities.remove(theme)
    assert shown() == ["Domestic abuse advocacy"]
    ProjectYear.objects.create(project=last_years, financial_year=periods[0].year)  # continued into this year
    assert shown() == ["Domestic abuse advocacy", "Street pastors"]
    reported.status = Project.Status.CLOSED
    reported.save()
    assert shown() == ["Domestic abuse advocacy", "Street pastors"]  # closed, but reported in the year: still shown


def test_a_reviewer_of_some_boroughs_never_gets_the_kept_list_of_all(client, periods, birmingham, coventry, rita):
    theme = _theme(periods[0].year, make_project(birmingham, "Domestic abuse advocacy"))
    make_project(coventry, "Refuge outreach").priorities.add(theme)
    url = f"/review/themes/?priority={theme.pk}"
    client.force_login(rita)
    assert [row.project.name for row in client.get(url).context["rows"]] == [
        "Domestic abuse advocacy",
        "Refuge outreach",
    ]  # every borough's list now kept
    # A reviewer by direct permissions, of Coventry only (no role gives this today; the scope still holds).
    local = make_user("lena", boroughs=[coventry])
    local.user_permissions.add(
        Permission.objects.get(codename="view_borough", content_type__app_label="boroughs"),
        Permission.objects.get(codename="review_return", content_type__app_label="reviews"),
    )
    client.force_login(local)
    assert [row.project.name for row in client.get(url).context["rows"]] == ["Refuge outreach"]


def _cold_and_warm_queries(client, url):
    """The page's query counts with the project ids worked out (the shared cache emptied) and then kept."""
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        client.get(url)
    with CaptureQueriesContext(connection) as warm:
        client.get(url)
    return len(cold), len(warm)


def test_thematic_view_is_paged_by_borough_and_name_at_the_same_cost(
    client, periods, birmingham, coventry, rita, alice, bob
):
    theme = _theme(periods[0].year)
    for n in range(THEMATIC_PAGE_SIZE + 3):
        make_project(coventry if n % 2 else birmingham, f"Project {n:03}").priorities.add(theme)
    make_return(birmingham, periods[0], by=alice)
    make_return(coventry, periods[0], by=bob)
    url = f"/review/themes/?priority={theme.pk}"
    client.force_login(rita)
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        first_page = client.get(url)
    with CaptureQueriesContext(connection) as second:
        second_page = client.get(f"{url}&page=2")
    first_rows, second_rows = first_page.context["rows"], second_page.context["rows"]
    assert len(first_rows) == THEMATIC_PAGE_SIZE
    assert len(second_rows) == 3
    names = [(row.project.borough.name, row.project.name) for row in [*first_rows, *second_rows]]
    assert names == sorted(names)  # by borough, then name, across the pages
    assert len({name for _, name in names}) == THEMATIC_PAGE_SIZE + 3
    assert f"Projects 1 to {THEMATIC_PAGE_SIZE} of {THEMATIC_PAGE_SIZE + 3}, by borough." in first_page.text
    assert 'aria-label="Pages of projects"' in first_page.text
    assert len(second) == len(first)
    # A page past the end shows the last; junk is a 404, never a 500.
    assert client.get(f"{url}&page=99").context["rows"] == second_rows
    assert client.get(f"{url}&page=two").status_code == 404
    assert client.get(f"{url}&page=0").status_code == 404
