"""Demo returns for `manage.py seed_demo`, modelled on the 2015-16 annex. Never called in production.

2026-27: Q1 submitted by five boroughs, Q2 submitted by Coventry and in draft for Birmingham.
Running it again changes nothing that already exists.

Issue 13's demo needs (tests/test_seed_demo.py keeps them): every filled project task has its expected spend
for the rest of the year; Coventry's DVA perpetrator programme forecasts a likely underspend and its Street
Pastors a likely overspend (FORECAST_SHARE); the indicators include one beyond its aspirational target
(Coventry's volunteer hours, year to date in Q2), several between the minimum and the aspirational target, and
one below the minimum (Walsall's clients entering treatment in Q1).
"""

from datetime import date, datetime, time
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from boroughs.models import Borough

from .models import (
    CommunityEngagement,
    FinancialYear,
    Indicator,
    IndicatorActual,
    MatchFunding,
    OpccEngagement,
    Plan,
    PlanPriority,
    Project,
    ReportingPeriod,
    ReturnSection,
    Risk,
    SectionStatus,
)
from .reference import PRIORITIES_2015_16, ensure_plan
from .services import return_start, return_submit
from .services.years import year_open

PLAN_NAME = "West Midlands Police and Crime Plan 2025-29"
C, P, H, M = Indicator.Unit.COUNT, Indicator.Unit.PERCENT, Indicator.Unit.HOURS, Indicator.Unit.POUNDS

# borough: [(name, partner, description, priorities, allocation, match funding, indicators)]
# An indicator is (name, unit, baseline, minimum, aspirational, higher is better, [Q1, Q2 actuals]).
PROJECTS = {
    "birmingham": [
        (
            "Youth violence prevention",
            "St Giles Trust",
            "Diversionary activity, mentoring and resilience work with young people at risk of serious violence.",
            ["Young people and youth violence", "Vulnerable people"],
            "185000",
            [("Birmingham City Council", "40000")],
            [
                ("Referrals received", C, 110, 120, 160, True, [34, 29]),
                ("Referrals regularly engaged", P, 55, 60, 75, True, ["63.5", "58.6"]),
            ],
        ),
        (
            "Thematic business crime",
            "Birmingham Business Crime Partnership",
            "Facewatch and additional patrols at seasonal peaks for retail crime and robbery.",
            ["Business crime"],
            "60000",
            [("Business Improvement Districts", "15000")],
            [
                ("Businesses signed up to Facewatch", C, 180, 220, 300, True, [71, 64]),
                ("Retail robberies in the city centre", C, 96, 90, 70, False, [19, 24]),
            ],
        ),
        (
            "Domestic violence support",
            "Birmingham and Solihull Women's Aid",
            "Independent domestic violence advisers for high-risk victims referred through MARAC.",
            ["Domestic abuse and violence", "Vulnerable people"],
            "140000",
            [],
            [
                ("High-risk victims supported", C, 400, 420, 500, True, [118, 109]),
                ("Victims reporting they feel safer", P, 70, 75, 85, True, ["81.0", "77.5"]),
            ],
        ),
    ],
    "coventry": [
        (
            "DVA perpetrator programme",
            "Coventry University",
            "A programme of work with high-risk domestic abuse perpetrators, including CSE perpetrators.",
            ["Domestic abuse and violence", "Reducing reoffending"],
            "75000",
            [("Coventry City Council", "20000")],
            [("Perpetrators completing the programme", C, 22, 25, 35, True, [7, 8])],
        ),
        (
            "Street Pastors",
            "Coventry Street Pastors",
            "Volunteers supporting vulnerable people in the night-time economy.",
            ["Mobilising communities", "Vulnerable people"],
            "18000",
            [],
            # Q2's year to date (2,030) passes half the aspirational target: green.
            [("Volunteer hours", H, 3000, 3200, 4000, True, [880, 1150])],
        ),
    ],
    "dudley": [
        (
            "MARAC coordinator",
            "Dudley MBC",
            "Coordination and minute-taking for the multi-agency risk assessment conference.",
            ["Domestic abuse and violence"],
            "32000",
            [],
            [("Repeat referrals to MARAC", P, 30, 28, 25, False, ["26.0"])],
        ),
        (
            "Facewatch",
            "Dudley Business Crime Reduction Partnership",
            "Shared watch lists for retailers in the town centres.",
            ["Business crime"],
            "12000",
            [],
            [("Businesses using Facewatch", C, 40, 50, 70, True, [16])],
        ),
    ],
    "sandwell": [
        (
            "IOM coordinator",
            "Safer Sandwell Partnership",
            "Coordinates integrated offender management across police, probation and the council.",
            ["Reducing reoffending"],
            "45000",
            [],
            [("Cohort members reoffending", P, 40, 35, 30, False, [])],
        ),
    ],
    "solihull": [
        (
            "Positive Futures programme",
            "Solihull MBC Youth Service",
            "Sport and diversionary activity in areas with high youth anti-social behaviour.",
            ["Young people and youth violence"],
            "38000",
            [],
            [("Young people attending sessions", C, 250, 300, 400, True, [])],
        ),
    ],
    "walsall": [
        (
            "Drug intervention programme",
            "Change Grow Live",
            "Assessment and treatment for people arrested for trigger offences.",
            ["Substance misuse", "Reducing reoffending"],
            "90000",
            [("Public Health Walsall", "30000")],
            [("Clients entering treatment", C, 150, 160, 200, True, [37])],
        ),
        (
            "Road safety initiative",
            "Walsall Council Road Safety Team",
            "Education and enforcement at collision hotspots.",
            ["Road safety"],
            "15000",
            [],
            [("Killed or seriously injured casualties", C, 80, 75, 65, False, [21])],
        ),
    ],
    "wolverhampton": [
        (
            "Gangs and youth violence",
            "Wolverhampton Youth Offending Team",
            "Gang exit work and out of court disposals for young people.",
            ["Young people and youth violence"],
            "70000",
            [],
            [
                ("Young people engaged", C, 60, 70, 90, True, [21]),
                ("Engaged young people not reoffending", P, 65, 70, 80, True, ["72.0"]),
            ],
        ),
    ],
}

Q1_SUBMITTED = ["birmingham", "coventry", "dudley", "walsall", "wolverhampton"]

# Forecast outturn as a share of the allocation (returns/forecast.py); every other project forecasts exactly
# its allocation (on track).
FORECAST_SHARE = {
    "DVA perpetrator programme": Decimal("0.80"),  # likely underspend: below 90%
    "Street Pastors": Decimal("1.15"),  # likely overspend: above 100%
}

RISKS = [
    (
        "Fixed-term funding makes it hard to keep experienced staff.",
        4,
        3,
        "Seek multi-year commitments.",
        "CSP manager",
    ),
    ("Shrinking partner resources reduce referrals.", 3, 4, "Quarterly review with partners.", "Strategic board"),
]


def _officer(slug):
    return get_user_model().objects.filter(username=f"officer.{slug}").first()


def _admin():
    return get_user_model().objects.filter(username="opcc.admin").first()


def _aware(day):
    return timezone.make_aware(datetime.combine(day, time(10, 30)))


def _ensure_projects(borough, plan):
    priorities = {p.name: p for p in plan.priorities.all()}
    projects = []
    for name, partner, description, themes, allocation, funding, indicators in PROJECTS[borough.slug]:
        project, created = Project.objects.get_or_create(
            borough=borough,
            name=name,
            defaults={
                "delivery_partner": partner,
                "description": description,
                "csf_allocation": Decimal(allocation),
                "start_date": date(2026, 4, 1),
                "end_date": date(2027, 3, 31),
            },
        )
        if created:
            project.priorities.set([priorities[t] for t in themes])
            for source, amount in funding:
                MatchFunding.objects.create(project=project, source=source, amount=Decimal(amount))
            for ind_name, unit, baseline, minimum, aspiration, higher, _ in indicators:
                Indicator.objects.create(
                    project=project,
                    name=ind_name,
                    unit=unit,
                    baseline=baseline,
                    minimum_target=minimum,
                    aspirational_target=aspiration,
                    higher_is_better=higher,
                )
        projects.append(project)
    return projects


def _expected_spend(project, quarter, spend_per_quarter):
    """The rest of the year, so that the outturn is FORECAST_SHARE of the allocation (0 in Q4, never negative)."""
    if quarter == ReportingPeriod.Quarter.Q4:
        return Decimal(0)
    outturn = (project.csf_allocation * FORECAST_SHARE.get(project.name, Decimal(1))).quantize(Decimal("1"))
    return max(outturn - spend_per_quarter * quarter, Decimal(0))


def _fill(return_, quarter, *, complete):
    borough = return_.borough
    specs = {spec[0]: spec for spec in PROJECTS[borough.slug]}
    return_.alignment_statement = (
        f"All of {borough.partnership_name}'s funded work this quarter aligns to the Police and Crime Plan, "
        "with most spend on young people, domestic abuse and vulnerable people."
    )
    return_.save(update_fields=["alignment_statement"])
    return_.priorities.set(PlanPriority.objects.filter(projects__borough=borough).distinct())
    for index, update in enumerate(return_.project_updates.select_related("project")):
        spec = specs.get(update.project.name)
        if not complete and index > 0:
            break
        update.activity = f"{update.project.delivery_partner} delivered the planned programme for the quarter."
        update.outcomes = "Outcomes are in line with the targets; see the indicators."
        update.spend = (update.project.csf_allocation / 4).quantize(Decimal("1"))
        update.expected_spend = _expected_spend(update.project, quarter, update.spend)
        update.status = SectionStatus.COMPLETED if complete else SectionStatus.IN_PROGRESS
        update.save()
        for indicator in update.project.indicators.all():
            actuals = next((i[6] for i in spec[6] if i[0] == indicator.name), []) if spec else []
            if len(actuals) >= quarter:
                IndicatorActual.objects.update_or_create(
                    update=update, indicator=indicator, defaults={"value": Decimal(str(actuals[quarter - 1]))}
                )
    if quarter == 1:
        for description, likelihood, impact, mitigation, owner in RISKS:
            Risk.objects.create(
                return_of=return_,
                description=description,
                likelihood=likelihood,
                impact=impact,
                mitigation=mitigation,
                owner=owner,
            )
    period_start = return_.period.start_date
    CommunityEngagement.objects.create(
        return_of=return_,
        date=period_start.replace(day=18),
        title="Community safety road show",
        description="Stalls in the town centre with police, fire service and housing partners.",
        people_reached=240 + 15 * quarter,
        partners="West Midlands Police, West Midlands Fire Service",
    )
    OpccEngagement.objects.create(
        return_of=return_,
        date=period_start.replace(day=25),
        what="Project launch event; PCC logo used on leaflets and social media.",
        pcc_involvement=OpccEngagement.Pcc.DEPUTY_ATTENDED if quarter == 1 else OpccEngagement.Pcc.INVITED,
        logo_used=True,
    )
    sections = return_.sections.all()
    if complete:
        sections.update(status=SectionStatus.COMPLETED)
    else:
        sections.filter(key=ReturnSection.Key.ALIGNMENT).update(status=SectionStatus.COMPLETED)
        sections.filter(key__in=[ReturnSection.Key.RISKS, ReturnSection.Key.COMMUNITY]).update(
            status=SectionStatus.IN_PROGRESS
        )


def seed_returns():
    """Open 2026-27 and create its demo projects and returns. Returns a one-line summary for printing."""
    # Opened the way an OPCC admin opens a year, as on its first day, so `make run` works on any date.
    year = year_open(start_year=2026, decisions={}, by=_admin(), today=date(2026, 4, 1)).year
    periods = list(year.periods.order_by("quarter"))
    plan = ensure_plan(
        Plan, PlanPriority, FinancialYear, name=PLAN_NAME, priorities=PRIORITIES_2015_16, year_start=2026
    )
    boroughs = {b.slug: b for b in Borough.objects.filter(slug__in=PROJECTS)}
    for borough in boroughs.values():
        _ensure_projects(borough, plan)
    plan_for = [(slug, 1, True) for slug in Q1_SUBMITTED] + [("coventry", 2, True), ("birmingham", 2, False)]
    for slug, quarter, submitted in plan_for:
        borough, period, officer = boroughs[slug], periods[quarter - 1], _officer(slug)
        if borough.returns.filter(period=period).exists():
            continue
        return_ = return_start(borough=borough, period=period, by=officer)
        _fill(return_, quarter, complete=submitted)
        if submitted:
            return_ = return_submit(return_=return_, by=officer)
            return_.submitted_at = _aware(period.due_on.replace(day=20))
            return_.save(update_fields=["submitted_at"])
    return f"{len(plan_for)} returns for {year.label}"
