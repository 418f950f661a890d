"""`manage.py seed_scale`: deterministic synthetic national data for the page benchmark (`make bench`).

300 boroughs × 10 years by default: projects that run for one to five years, four returns a year with their
sections, project updates, indicator figures and logs, the OPCC's review (commentary, flags, decisions), every
year's roll-up (made by the real `annex_start`) and one published annex. Everything is written with
`bulk_create` in year-sized batches, plus one history row per live row (`bulk_history_create`), so the History
tabs read tables of a realistic size. It lives in the top app because it seeds every app's models.

It adds to whatever is there (the demo, usually) but never runs twice into one database, and it refuses to
run where demo data is not allowed (production).
"""

import random
import time
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from boroughs.models import Borough, Membership
from boroughs.roles import CSP_OFFICER, OPCC_ADMIN, OPCC_REVIEWER, sync_roles
from returns.models import (
    CommunityEngagement,
    FinancialYear,
    Indicator,
    IndicatorActual,
    MatchFunding,
    OpccEngagement,
    Plan,
    PlanPriority,
    Project,
    ProjectUpdate,
    ProjectYear,
    Rag,
    ReportingPeriod,
    Return,
    ReturnSection,
    Risk,
    SectionStatus,
)
from returns.overview import take_snapshot
from returns.reference import PRIORITIES_2015_16
from reviews.models import (
    Annex,
    AnnexColumn,
    AnnexVersion,
    BoroughRollUp,
    ColumnCommentary,
    Decision,
    Flag,
    FlagType,
    ProjectCommentary,
    RollUpCell,
    RollUpRow,
    Visibility,
)
from reviews.reference import ensure_flag_types
from reviews.services.annex import annex_publish, annex_start

from ._scale_writer import Writer

CENTS = Decimal("0.01")
SLUG_PREFIX = "scale-"
PLAN_NAME = "Synthetic national Police and Crime Plan"
# Frozen returns of the open year that get a real snapshot (take_snapshot costs a dozen queries each, so not
# all 11,000): those of the first boroughs, which the benchmark's reviewer pages visit.
SNAPSHOT_BOROUGHS = 10

THEMES = [
    ("Domestic abuse advocacy", "Independent domestic violence advisers for high-risk victims."),
    ("Youth diversion", "Sport and mentoring for young people at risk of serious violence."),
    ("Business crime partnership", "Shared watch lists and patrols for retailers in the town centres."),
    ("Street Pastors", "Volunteers supporting vulnerable people in the night-time economy."),
    ("Integrated offender management", "Coordinating police, probation and the council around prolific offenders."),
    ("Drug intervention", "Assessment and treatment for people arrested for trigger offences."),
    ("Road safety", "Education and enforcement at collision hotspots."),
    ("Hate crime reporting", "Third-party reporting centres and victim support."),
    ("Domestic abuse perpetrator programme", "Behaviour-change work with domestic abuse perpetrators."),
    ("Modern slavery awareness", "Training for frontline staff to spot exploitation."),
    ("Anti-social behaviour mediation", "Neighbour mediation and early warnings."),
    ("MARAC coordination", "Coordinating the multi-agency risk assessment conference."),
]
PARTNERS = ["Women's Aid", "Youth Service", "Business Crime Partnership", "Change Grow Live", "the council", "YOT"]
INDICATORS = [
    ("Referrals received", Indicator.Unit.COUNT, True),
    ("People engaged regularly", Indicator.Unit.PERCENT, True),
    ("Volunteer hours", Indicator.Unit.HOURS, True),
    ("Repeat victims", Indicator.Unit.PERCENT, False),
    ("Funding levered in", Indicator.Unit.POUNDS, True),
]
RETURN_MIX_PAST = [(Return.Status.ACCEPTED, 97), (Return.Status.RESUBMITTED, 2), (Return.Status.SUBMITTED, 1)]
RETURN_MIX_EARLIER = [
    (Return.Status.ACCEPTED, 80),
    (Return.Status.CHANGES_REQUESTED, 8),
    (Return.Status.RESUBMITTED, 5),
    (Return.Status.SUBMITTED, 7),
]
RETURN_MIX_LATEST = [
    (Return.Status.DRAFT, 20),
    (Return.Status.SUBMITTED, 45),
    (Return.Status.CHANGES_REQUESTED, 10),
    (Return.Status.RESUBMITTED, 5),
    (Return.Status.ACCEPTED, 20),
]
REVIEWED = {
    Return.Status.SUBMITTED,
    Return.Status.RESUBMITTED,
    Return.Status.ACCEPTED,
    Return.Status.CHANGES_REQUESTED,
}


class Command(BaseCommand):
    help = "Create deterministic synthetic national data (300 boroughs × 10 years by default) for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--boroughs", type=int, default=300)
        parser.add_argument("--years", type=int, default=10, help="Years up to and including the current one.")
        parser.add_argument("--seed", type=int, default=12)
        parser.add_argument("--no-history", action="store_true", help="Skip the history rows (faster).")

    def handle(self, *args, boroughs, years, seed, no_history, **options):
        if not getattr(settings, "DEMO_DATA_ALLOWED", False):
            raise CommandError("Synthetic data is not allowed with these settings (DEMO_DATA_ALLOWED is off).")
        if not (1 <= boroughs <= 2000 and 1 <= years <= 30):
            raise CommandError("--boroughs must be 1 to 2000 and --years 1 to 30.")
        if Borough.objects.filter(slug__startswith=SLUG_PREFIX).exists():
            raise CommandError("This database already has seed_scale data: use a fresh database.")
        start = time.perf_counter()
        with transaction.atomic():
            seeder = Seeder(boroughs=boroughs, years=years, seed=seed, history=not no_history, out=self.stdout)
            seeder.run()
        total = sum(seeder.counts.values())
        for name, n in sorted(seeder.counts.items()):
            self.stdout.write(f"  {name:<40} {n:>9,}")
        self.stdout.write(
            self.style.SUCCESS(
                f"seed_scale: {boroughs} boroughs × {years} years, {total:,} rows "
                f"in {time.perf_counter() - start:.1f} s"
            )
        )


class Seeder:
    def __init__(self, *, boroughs, years, seed, history, out):
        self.n_boroughs, self.n_years, self.out = boroughs, years, out
        self.rng = random.Random(seed)
        self.w = Writer(history=history)
        self.today = timezone.localdate()
        self.last_start = FinancialYear.start_year_for(self.today)
        self.started = time.perf_counter()

    @property
    def counts(self):
        return self.w.counts

    def step(self, what):
        self.out.write(f"  {time.perf_counter() - self.started:6.1f} s  {what}")

    def pick(self, mix):
        return self.rng.choices([value for value, _ in mix], weights=[weight for _, weight in mix])[0]

    @staticmethod
    def aware(day, hour=10):
        return timezone.make_aware(datetime.combine(day, clock(hour, 30)))

    def run(self):
        sync_roles()
        ensure_flag_types(FlagType)
        self.flag_types = list(FlagType.objects.order_by("order", "pk").values_list("pk", flat=True))
        self.make_people_and_boroughs()
        self.make_years()
        self.make_projects()
        for year in self.years:
            self.make_returns(year)
            self.step(f"{year.label}: returns, review and roll-ups")
        self.make_annexes()
        self.snapshot_some()
        self.w.finish()
        self.step("annexes, snapshots")

    def make_people_and_boroughs(self):
        User = get_user_model()
        n = self.n_boroughs
        self.boroughs = Borough.objects.bulk_create(
            Borough(
                name=f"Scale Borough {i:03d}",
                slug=f"{SLUG_PREFIX}{i:03d}",
                partnership_name=f"Safer Scale {i:03d} Partnership",
                ons_code=f"E99{i:06d}",
                contact_email=f"csp{i:03d}@scale.csp-returns.example",
            )
            for i in range(1, n + 1)
        )
        people = [
            User(username=f"scale.officer.{i:03d}", first_name="Officer", last_name=f"{i:03d}", password="!")
            for i in range(1, n + 1)
        ]
        people += [
            User(username="scale.reviewer", first_name="Scale", last_name="Reviewer", password="!"),
            User(username="scale.admin", first_name="Scale", last_name="Admin", password="!", is_staff=True),
        ]
        people = User.objects.bulk_create(people)
        self.w._count(Borough, n)
        self.w._count(User, len(people))
        self.officers, self.reviewer, self.admin = people[:n], people[n], people[n + 1]
        self.officer_of = {b.pk: u for b, u in zip(self.boroughs, self.officers, strict=True)}
        groups = {g.name: g.pk for g in Group.objects.filter(name__in=[CSP_OFFICER, OPCC_REVIEWER, OPCC_ADMIN])}
        Through = User.groups.through
        links = [Through(user_id=u.pk, group_id=groups[CSP_OFFICER]) for u in self.officers]
        links += [Through(user_id=self.reviewer.pk, group_id=groups[OPCC_REVIEWER])]
        links += [Through(user_id=self.admin.pk, group_id=groups[name]) for name in (OPCC_ADMIN, OPCC_REVIEWER)]
        Through.objects.bulk_create(links)
        Membership.objects.bulk_create(
            Membership(user=u, borough=b, job_title="Community Safety Officer")
            for u, b in zip(self.officers, self.boroughs, strict=True)
        )

    def make_years(self):
        self.years, self.periods, self.columns = [], {}, {}
        plan, _ = Plan.objects.get_or_create(name=PLAN_NAME)
        for order, name in enumerate(PRIORITIES_2015_16, start=1):
            PlanPriority.objects.get_or_create(plan=plan, name=name, defaults={"order": order})
        self.priorities = list(plan.priorities.order_by("order").values_list("pk", flat=True))
        for start in range(self.last_start - self.n_years + 1, self.last_start + 1):
            year, _ = FinancialYear.get_or_create_for_start(start)
            plan.years.add(year)
            self.years.append(year)
            self.periods[year.pk] = year.ensure_periods()
            self.columns[year.pk] = AnnexColumn.ensure_for_year(year)

    def make_projects(self):
        """Each borough funds 9 to 15 projects a year; each runs one to five years, so some carry on."""
        first, last = self.years[0].start_year, self.last_start
        specs = []  # (borough, theme index, number, first year, last year)
        for borough in self.boroughs:
            active, used = [], {}
            for start in range(first, last + 1):
                active = [spec for spec in active if spec[4] >= start]
                target = self.rng.randint(9, 15)
                while len(active) < target:
                    theme = self.rng.randrange(len(THEMES))
                    used[theme] = used.get(theme, 0) + 1
                    spec = (borough, theme, used[theme], start, start + self.rng.choice([1, 2, 2, 3, 3, 4, 5]) - 1)
                    active.append(spec)
                    specs.append(spec)
        projects = []
        for borough, theme, number, start, end in specs:
            name, description = THEMES[theme]
            projects.append(
                {
                    "borough_id": borough.pk,
                    "name": f"{name} {number}" if number > 1 else name,
                    "delivery_partner": f"{borough.name} {self.rng.choice(PARTNERS)}",
                    "description": description,
                    "csf_allocation": Decimal(self.rng.randrange(5000, 200000, 500)),
                    "status": Project.Status.ACTIVE if end >= last else Project.Status.COMPLETED,
                    "start_date": date(start, 4, 1),
                    "end_date": date(min(end, last) + 1, 3, 31),
                }
            )
        projects = self.w.insert(Project, projects, history_user=self.admin)
        year_of = {year.start_year: year for year in self.years}
        self.projects_in = {}  # (borough id, year id) -> [project row]
        funded = []
        for project, (_, _, _, start, end) in zip(projects, specs, strict=True):
            for y in range(start, min(end, last) + 1):
                year = year_of[y]
                self.projects_in.setdefault((project["borough_id"], year.pk), []).append(project)
                funded.append(
                    {
                        "project_id": project["id"],
                        "financial_year_id": year.pk,
                        "csf_allocation": project["csf_allocation"],
                    }
                )
        self.w.insert(ProjectYear, funded, history_user=self.admin)
        self.w.insert(
            Project.priorities.through,
            [
                {"project_id": p["id"], "planpriority_id": priority}
                for p in projects
                for priority in self.rng.sample(self.priorities, self.rng.randint(1, 2))
            ],
        )
        funding = [
            {
                "project_id": p["id"],
                "source": "Local authority",
                "amount": Decimal(self.rng.randrange(1000, 50000, 100)),
            }
            for p in projects
            if self.rng.random() < 0.3
        ]
        self.w.insert(MatchFunding, funding, history_user=self.admin)
        indicators = []
        for p in projects:
            for name, unit, higher in self.rng.sample(INDICATORS, self.rng.choice([1, 2, 2, 3, 3, 4])):
                base = Decimal(self.rng.randrange(20, 400)) if unit != Indicator.Unit.PERCENT else Decimal(60)
                factors = ("1.1", "1.4") if higher else ("0.9", "0.7")
                indicators.append(
                    {
                        "project_id": p["id"],
                        "name": name,
                        "unit": unit,
                        "baseline": base,
                        "minimum_target": (base * Decimal(factors[0])).quantize(CENTS),
                        "aspirational_target": (base * Decimal(factors[1])).quantize(CENTS),
                        "higher_is_better": higher,
                    }
                )
        indicators = self.w.insert(Indicator, indicators, history_user=self.admin)
        self.indicators_of = {}
        for indicator in indicators:
            self.indicators_of.setdefault(indicator["project_id"], []).append(indicator)
        self.step(f"{len(projects):,} projects, {len(indicators):,} indicators")

    def make_returns(self, year):
        """The year's returns and everything in them, then the OPCC's review and the year's roll-ups."""
        is_current = year.start_year == self.last_start
        periods = [p for p in self.periods[year.pk] if p.opens_on <= self.today or not is_current]
        if not periods:
            return
        if not is_current:
            ReportingPeriod.objects.filter(pk__in=[p.pk for p in periods]).update(
                closed_at=self.aware(year.end_date + timedelta(days=90)), closed_by=self.admin
            )
        returns = []
        for period in periods:
            if not is_current:
                mix = RETURN_MIX_PAST
            else:
                mix = RETURN_MIX_LATEST if period == periods[-1] else RETURN_MIX_EARLIER
            for borough, officer in zip(self.boroughs, self.officers, strict=True):
                status = self.pick(mix)
                filed = status != Return.Status.DRAFT
                submitted = self.aware(period.due_on - timedelta(days=self.rng.randint(0, 20))) if filed else None
                returns.append(
                    {
                        "borough_id": borough.pk,
                        "period_id": period.pk,
                        "status": status,
                        "alignment_statement": (
                            f"{borough.partnership_name}'s funded work this quarter aligns to the Police and Crime "
                            "Plan, with most spend on domestic abuse, young people and vulnerable people."
                        ),
                        "started_by_id": officer.pk,
                        "submitted_by_id": officer.pk if filed else None,
                        "submitted_at": submitted,
                        "_period": period,
                    }
                )
        when = self.aware(periods[-1].due_on)
        returns = self.w.insert(Return, returns, history_date=when)
        self.w.insert(
            Return.priorities.through,
            [
                {"return_id": r["id"], "planpriority_id": p}
                for r in returns
                for p in self.rng.sample(self.priorities, 3)
            ],
        )
        sections, updates, risks, community, opcc = [], [], [], [], []
        for r in returns:
            officer, draft = self.officer_of[r["borough_id"]], r["status"] == Return.Status.DRAFT
            for key in ReturnSection.Key.values:
                status = SectionStatus.COMPLETED if not draft else self.rng.choice(SectionStatus.values)
                sections.append({"return_of_id": r["id"], "key": key, "status": status, "updated_by_id": officer.pk})
            for project in self.projects_in.get((r["borough_id"], year.pk), []):
                started = not draft or self.rng.random() < 0.6
                allocation = project["csf_allocation"]
                updates.append(
                    {
                        "return_of_id": r["id"],
                        "project_id": project["id"],
                        "status": SectionStatus.COMPLETED if not draft else SectionStatus.IN_PROGRESS,
                        "activity": f"{project['delivery_partner']} delivered the planned programme."
                        if started
                        else "",
                        "outcomes": "Outcomes are in line with the targets; see the indicators." if started else "",
                        "spend": (allocation / 4 * self.rng.randint(60, 120) / 100).quantize(CENTS)
                        if started
                        else None,
                        "expected_spend": (allocation * 3 / 4).quantize(CENTS) if started else None,
                        "rag_override": Rag.AMBER if self.rng.random() < 0.05 else "",
                        "rag_reason": "Delivery slipped while a post was vacant." if self.rng.random() < 0.05 else "",
                        "updated_by_id": officer.pk,
                        "_borough": r["borough_id"],
                        "_period": r["_period"],
                        "_reviewed": r["status"] in REVIEWED,
                    }
                )
            for _ in range(self.rng.choice([0, 1, 2, 2, 3])):
                risks.append(
                    {
                        "return_of_id": r["id"],
                        "description": "Fixed-term funding makes it hard to keep experienced staff.",
                        "likelihood": self.rng.randint(1, 5),
                        "impact": self.rng.randint(1, 5),
                        "mitigation": "Seek multi-year commitments from partners.",
                        "owner": "CSP manager",
                    }
                )
            day = r["_period"].start_date + timedelta(days=self.rng.randint(5, 80))
            community.append(
                {
                    "return_of_id": r["id"],
                    "date": day,
                    "title": "Community safety road show",
                    "description": "Stalls in the town centre with police, fire service and housing partners.",
                    "people_reached": self.rng.randint(20, 600),
                    "partners": "Police, Fire Service",
                }
            )
            opcc.append(
                {
                    "return_of_id": r["id"],
                    "date": day,
                    "what": "Project launch event; PCC logo used on leaflets.",
                    "pcc_involvement": self.rng.choice(OpccEngagement.Pcc.values),
                    "logo_used": self.rng.random() < 0.5,
                }
            )
        for model, rows in (
            (ReturnSection, sections),
            (ProjectUpdate, updates),
            (Risk, risks),
            (CommunityEngagement, community),
            (OpccEngagement, opcc),
        ):
            self.w.insert(model, rows, history_date=when)
        actuals = []
        for update in updates:
            if update["spend"] is None:
                continue
            for indicator in self.indicators_of.get(update["project_id"], []):
                if indicator["unit"] == Indicator.Unit.PERCENT:
                    value = Decimal(self.rng.randint(400, 950)) / 10
                else:
                    value = (indicator["minimum_target"] / 4 * self.rng.randint(50, 150) / 100).quantize(Decimal(1))
                actuals.append({"update_id": update["id"], "indicator_id": indicator["id"], "value": value})
        self.w.insert(IndicatorActual, actuals, history_date=when)
        comments = self.review(year, returns, updates, is_current)
        self.rollups(year, comments)

    def review(self, year, returns, updates, is_current):
        """Column and project commentary, flags and decisions; returns the shared column comments by borough."""
        columns, reviewer = self.columns[year.pk], self.reviewer.pk
        column_comments, project_comments, flags, decisions = [], [], [], []
        for r in returns:
            if r["status"] not in REVIEWED:
                continue
            at = r["submitted_at"] + timedelta(days=self.rng.randint(3, 20))
            base = {"borough_id": r["borough_id"], "period_id": r["period_id"]}
            for column in columns:
                if self.rng.random() < 0.1:
                    continue
                opcc_only = column.key == "marketing" and self.rng.random() < 0.5
                column_comments.append(
                    {
                        **base,
                        "column_id": column.pk,
                        "text": (
                            "Check whether these outcomes are also reported against the victims grant."
                            if opcc_only
                            else f"{column.heading}: clear evidence this quarter.\n\n- Referrals on track\n"
                            "- Spend in line with the profile"
                        ),
                        "rag": self.rng.choice(Rag.values),
                        "visibility": Visibility.OPCC_ONLY if opcc_only else Visibility.SHARED,
                        "updated": at,
                        "updated_by_id": reviewer,
                        "_quarter": r["_period"].quarter,
                    }
                )
            projects = self.projects_in.get((r["borough_id"], year.pk)) or []
            if self.rng.random() < 0.12 and projects:
                still_open = is_current and self.rng.random() < 0.7
                on_column = self.rng.random() < 0.6
                flags.append(
                    {
                        **base,
                        "flag_type_id": self.rng.choice(self.flag_types),
                        "column_id": self.rng.choice(columns).pk if on_column else None,
                        "project_id": None if on_column else self.rng.choice(projects)["id"],
                        "note": "No impact assessment or outcomes given for this activity.",
                        "status": Flag.Status.OPEN if still_open else Flag.Status.RESOLVED,
                        "raised_by_id": reviewer,
                        "raised_at": at,
                        "resolved_by_id": None if still_open else reviewer,
                        "resolved_at": None if still_open else at + timedelta(days=30),
                        "resolution": "" if still_open else "Outcomes added in the next quarter.",
                    }
                )
            decision = {"return_of_id": r["id"], "by_id": reviewer, "at": at, "from_status": Return.Status.SUBMITTED}
            if r["status"] in (Return.Status.CHANGES_REQUESTED, Return.Status.RESUBMITTED):
                decisions.append(
                    {
                        **decision,
                        "kind": Decision.Kind.REQUEST_CHANGES,
                        "reason": "Detailed outcomes not provided. Please add the outcomes for each project.",
                        "sections": ["projects"],
                        "to_status": Return.Status.CHANGES_REQUESTED,
                    }
                )
            elif r["status"] == Return.Status.ACCEPTED:
                decisions.append({**decision, "kind": Decision.Kind.ACCEPT, "to_status": Return.Status.ACCEPTED})
        for update in updates:
            if update["_reviewed"] and self.rng.random() < 0.3:
                project_comments.append(
                    {
                        "borough_id": update["_borough"],
                        "period_id": update["_period"].pk,
                        "project_id": update["project_id"],
                        "text": "Referrals are on track and the outcomes are evidenced.",
                        "rag": self.rng.choice(Rag.values),
                        "updated_by_id": reviewer,
                    }
                )
        when = self.aware(self.periods[year.pk][-1].due_on)
        self.w.insert(ColumnCommentary, column_comments, history_user=self.reviewer, history_date=when)
        self.w.insert(ProjectCommentary, project_comments, history_user=self.reviewer, history_date=when)
        self.w.insert(Flag, flags, history_user=self.reviewer, history_date=when)
        self.w.insert(Decision, decisions)
        shared = {}
        for c in column_comments:
            if c["visibility"] == Visibility.SHARED:
                shared.setdefault((c["borough_id"], c["column_id"]), []).append(f"Q{c['_quarter']}: {c['text']}")
        return shared

    def rollups(self, year, comments):
        """The year's roll-up of every borough, as annex_start drafts it: the annual cells from the shared
        commentary, one row per project with its description (annex_start itself is far slower in bulk)."""
        columns, admin = self.columns[year.pk], self.admin
        when = self.aware(year.end_date + timedelta(days=30))
        rollups = self.w.insert(
            BoroughRollUp,
            [{"borough_id": b.pk, "financial_year_id": year.pk} for b in self.boroughs],
            history_user=admin,
            history_date=when,
        )
        rows, cells = [], []
        for rollup in rollups:
            for column in columns:
                text = "\n\n".join(comments.get((rollup["borough_id"], column.pk), []))
                cells.append(
                    {"rollup_id": rollup["id"], "column_id": column.pk, "text": text, "updated_by_id": admin.pk}
                )
            projects = sorted(self.projects_in.get((rollup["borough_id"], year.pk), []), key=lambda p: p["name"])
            for position, project in enumerate(projects, start=1):
                rows.append(
                    {
                        "rollup_id": rollup["id"],
                        "project_id": project["id"],
                        "position": position,
                        "updated_by_id": admin.pk,
                        "_description": project["description"],
                    }
                )
        rows = self.w.insert(RollUpRow, rows, history_user=admin, history_date=when)
        for row in rows:
            for column in columns:
                text = row["_description"] if column.role == AnnexColumn.Role.DESCRIPTION else ""
                if column.role == AnnexColumn.Role.PERFORMANCE:
                    text = "Referrals are on track and the outcomes are evidenced."
                cells.append(
                    {
                        "rollup_id": row["rollup_id"],
                        "row_id": row["id"],
                        "column_id": column.pk,
                        "text": text,
                        "updated_by_id": admin.pk,
                    }
                )
        self.w.insert(RollUpCell, cells, history_user=admin, history_date=when)

    def make_annexes(self):
        """Every year's annex; any other borough's missing roll-up of the open year made by the real
        annex_start; the year before this one published and closed, as the OPCC would have done by now."""
        for year in self.years:
            Annex.objects.get_or_create(financial_year=year, defaults={"title": Annex.default_title(year)})
        self.w.finish()  # annex_start writes through the ORM: the sequences must be past our ids first
        annex_start(year=self.years[-1], by=self.admin)
        if len(self.years) < 2:
            return
        previous = self.years[-2]
        annex = Annex.objects.get(financial_year=previous)
        annex_publish(annex=annex, meeting_date=previous.end_date + timedelta(days=60), by=self.admin)
        self.w._count(AnnexVersion, 1)
        FinancialYear.objects.filter(pk=previous.pk).update(
            closed_at=self.aware(previous.end_date + timedelta(days=90)), closed_by=self.admin
        )

    def snapshot_some(self):
        """Real snapshots for the open year's frozen returns of the first boroughs (see SNAPSHOT_BOROUGHS)."""
        frozen = Return.objects.filter(
            period__year=self.years[-1],
            borough__in=self.boroughs[:SNAPSHOT_BOROUGHS],
            status__in=Return.FROZEN,
        ).select_related("borough", "period__year", "submitted_by")
        for r in frozen:
            # An update, not save(): the snapshot is outside the return's history (excluded_fields) anyway.
            Return.objects.filter(pk=r.pk).update(snapshot=take_snapshot(r))
