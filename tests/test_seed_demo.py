from datetime import date

from django.contrib.auth import get_user_model
from django.core.management import call_command

from boroughs.models import Borough, Membership


def test_seed_demo_is_idempotent_and_creates_the_demo_logins(db, capsys):
    call_command("seed_demo", "--password", "demo-pass-123")
    call_command("seed_demo", "--password", "demo-pass-123")
    out = capsys.readouterr().out
    assert "Demo logins (password for all: demo-pass-123)" in out

    users = get_user_model().objects
    expected = {f"officer.{b.slug}" for b in Borough.objects.all()} | {"officer.multi", "reviewer", "opcc.admin"}
    assert set(users.values_list("username", flat=True)) == expected
    assert Borough.objects.count() == 7
    assert Membership.objects.count() == 9

    multi = users.get(username="officer.multi")
    assert sorted(b.slug for b in Borough.objects.for_user(multi)) == ["dudley", "sandwell"]
    reviewer = users.get(username="reviewer")
    assert reviewer.has_perm("boroughs.view_all_boroughs")
    assert reviewer.check_password("demo-pass-123")
    admin = users.get(username="opcc.admin")
    assert admin.is_staff
    assert admin.has_perm("boroughs.change_borough")
    assert not users.filter(is_superuser=True).exists()


def test_seed_demo_has_the_returns_annex_and_a_demo_export(db):
    from returns.models import Project, Return
    from reviews.models import AnnexExport, BoroughRollUp, RollUpCell

    call_command("seed_demo", "--quiet-logins")
    returns = Return.objects.filter(period__year__label="2026-27")
    q1_filed = returns.filter(period__quarter=1).exclude(status=Return.Status.DRAFT)
    assert q1_filed.count() >= 3
    assert returns.get(borough__slug="birmingham", period__quarter=2).status == Return.Status.DRAFT
    projects = Project.objects.filter(borough__slug="birmingham", status=Project.Status.ACTIVE)
    # Like the real annex, some activity (Local Delivery Groups) reports no measurable outcomes.
    assert projects.filter(indicators__isnull=False).distinct().count() >= 2
    assert returns.get(borough__slug="birmingham", period__quarter=1).risks.exists()

    # The real 2015-16 annex, imported from the project's own copy.
    assert BoroughRollUp.objects.filter(financial_year__label="2015-16").count() == 7
    assert RollUpCell.objects.filter(
        rollup__financial_year__label="2015-16", text__startswith="Thematic areas all align"
    ).exists()
    # One demo PDF for the worker, however often the demo is seeded.
    call_command("seed_demo", "--quiet-logins")
    assert AnnexExport.objects.filter(format="pdf").count() == 1


def test_the_demo_opens_its_year_as_an_admin_would_and_its_returns_list_only_live_projects(db):
    from returns.demo import PROJECTS
    from returns.models import FinancialYear, Project, ProjectUpdate, ReportingPeriod
    from returns.services import return_start

    call_command("seed_demo", "--quiet-logins")
    year = FinancialYear.objects.get(label="2026-27")
    periods = list(year.periods.order_by("quarter"))
    assert len(periods) == 4
    # Opened by the open-year service, in the OPCC admin's name: each period's history says so.
    created = ReportingPeriod.history.filter(year=year, history_type="+")
    assert {(h.history_user.username, h.history_change_reason) for h in created} == {("opcc.admin", "2026-27 opened")}

    live = {(slug, spec[0]) for slug, specs in PROJECTS.items() for spec in specs}
    on_returns = set(ProjectUpdate.objects.values_list("project__borough__slug", "project__name"))
    assert on_returns <= live
    # The 2015-16 annex's rows are history: completed, never carried into a later return.
    history = Project.objects.exclude(status=Project.Status.ACTIVE)
    assert history.exists()
    assert not history.filter(end_date__gt=date(2016, 3, 31)).exists()
    coventry = Borough.objects.get(slug="coventry")
    q3 = return_start(borough=coventry, period=periods[2], by=None)
    assert sorted(q3.project_updates.values_list("project__name", flat=True)) == sorted(
        spec[0] for spec in PROJECTS["coventry"]
    )
    assert set(Project.objects.filter(status=Project.Status.ACTIVE).values_list("borough__slug", "name")) == live


def test_the_demo_shows_forecast_flags_and_every_rag(db):
    """Issue 13's demo: a likely underspend and overspend, expected spend filled in, and indicators above the
    aspirational target, between the targets and below the minimum (the charts show all three)."""
    from returns.forecast import Forecast, project_forecasts
    from returns.models import IndicatorActual, ProjectUpdate, Rag, Return

    call_command("seed_demo", "--quiet-logins")
    coventry_q2 = Return.objects.get(borough__slug="coventry", period__year__label="2026-27", period__quarter=2)
    by_name = {
        name: project_forecasts(coventry_q2)[pk]
        for pk, name in coventry_q2.project_updates.values_list("project_id", "project__name")
    }
    assert by_name["DVA perpetrator programme"].state == Forecast.UNDERSPEND
    assert by_name["Street Pastors"].state == Forecast.OVERSPEND
    filled = ProjectUpdate.objects.filter(spend__isnull=False)
    assert filled.exists()
    assert not filled.filter(expected_spend__isnull=True).exists()

    rags = set()
    for actual in IndicatorActual.objects.select_related("indicator", "update__return_of__period"):
        indicator, update = actual.indicator, actual.update
        quarter = update.return_of.period.quarter
        values = IndicatorActual.objects.filter(
            indicator=indicator,
            update__return_of__borough_id=update.return_of.borough_id,
            update__return_of__period__year_id=update.return_of.period.year_id,
            update__return_of__period__quarter__lte=quarter,
        ).values_list("value", flat=True)
        basis = indicator.year_to_date(values) if indicator.is_cumulative else actual.value
        rags.add(indicator.rag_for(basis, quarter))
    assert {Rag.GREEN, Rag.AMBER, Rag.RED} <= rags
