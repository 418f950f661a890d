"""A financial year's start: its periods, its Police and Crime Plan, its projects. Keyword-only and atomic.

Opening a year is how years and periods come to be (besides the demo, and the annex import's past years,
which have no periods): page loads only read them. Closing a year needs its annex published, so it lives
with the annex (reviews/services/years.py) and calls `projects_roll_over` here.

Every step is flat in the number of boroughs and projects: a fixed number of reads, then bulk inserts
and updates (with their history).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from ..models import FinancialYear, Plan, Project, ProjectYear, ReportingPeriod
from ..signals import year_opened


class YearNotOpenable(ValidationError):
    """Not the next year to open, or too early to open it."""


@dataclass(frozen=True)
class ProjectDecision:
    """An admin's choice for one project when opening a year: continue (with the new year's allocation) or close."""

    continues: bool
    allocation: Decimal | None = None


@dataclass
class OpenedYear:
    year: FinancialYear
    created: bool
    continued: int = 0
    closed: int = 0


def next_year_start(today=None):
    """The start of the next year to open: the one after the latest open year, else the one covering today."""
    latest = FinancialYear.opened().order_by("-start_date").first()
    if latest:
        return latest.start_year + 1
    return FinancialYear.start_year_for(today or timezone.localdate())


def openable_from(start_year):
    """The first day a year may be opened: once the year before it has begun (so at most one year ahead)."""
    return date(start_year - 1, 4, 1)


def projects_to_decide():
    """The projects an admin continues or closes when opening a year: every active borough's active projects."""
    return (
        Project.objects.active()
        .filter(borough__active=True)
        .select_related("borough")
        .order_by("borough__name", "name", "pk")
    )


@transaction.atomic
def year_open(*, start_year, decisions, by, today=None):
    """Open the financial year starting 1 April `start_year`: its periods, Plan and projects.

    `decisions` maps a project's id to a ProjectDecision; a project without one continues with its
    current allocation. Idempotent: opening a year that is already open changes nothing, so a second
    click (or a second admin) gets the year as the first left it.
    """
    today = today or timezone.localdate()
    label = FinancialYear.label_for_start(start_year)
    year = FinancialYear.objects.filter(label=label).first()
    if year is not None:
        # Two openers queue here: the second sees the first's periods and changes nothing.
        year = FinancialYear.objects.select_for_update().get(pk=year.pk)
        if year.periods.exists():
            return OpenedYear(year=year, created=False)
    expected = next_year_start(today)
    if start_year != expected:
        raise YearNotOpenable(f"The next year to open is {FinancialYear.label_for_start(expected)}, not {label}.")
    if today < openable_from(start_year):
        raise YearNotOpenable(
            f"{label} can be opened from {openable_from(start_year):%-d %B %Y}, once the year before it has begun."
        )
    if year is None:
        # The label is unique: of two first openers, one creates the year and the other waits, then reads it.
        year, _ = FinancialYear.get_or_create_for_start(start_year)
        year = FinancialYear.objects.select_for_update().get(pk=year.pk)
        if year.periods.exists():
            return OpenedYear(year=year, created=False)

    reason = f"{label} opened"
    bulk_create_with_history(
        [
            ReportingPeriod(year=year, quarter=quarter, **ReportingPeriod.default_dates(year, quarter))
            for quarter in ReportingPeriod.Quarter
        ],
        ReportingPeriod,
        default_user=by,
        default_change_reason=reason,
    )
    previous = FinancialYear.objects.filter(label=FinancialYear.label_for_start(start_year - 1)).first()
    if previous is not None:
        _carry_plans(previous, year)
    continued, closed = _record_decisions(year, previous, decisions)
    if previous is None or previous.is_closed:
        # The year it continues from is over already: finish the projects not continued now.
        projects_roll_over(from_year=previous, to_year=year, by=by)
    year_opened.send(sender=FinancialYear, year=year)
    return OpenedYear(year=year, created=True, continued=continued, closed=closed)


def _carry_plans(previous, year):
    """The new year uses the previous year's Police and Crime Plan (an admin may link another afterwards)."""
    through = Plan.years.through
    plan_ids = set(through.objects.filter(financialyear=previous).values_list("plan_id", flat=True))
    have = set(through.objects.filter(financialyear=year).values_list("plan_id", flat=True))
    through.objects.bulk_create(
        [through(plan_id=plan_id, financialyear_id=year.pk) for plan_id in sorted(plan_ids - have)]
    )


def _record_decisions(year, previous, decisions):
    projects = list(projects_to_decide())
    years = [year] + ([previous] if previous else [])
    have = set(
        ProjectYear.objects.filter(project__in=projects, financial_year__in=years).values_list(
            "project_id", "financial_year_id"
        )
    )
    rows, continued, closed = [], 0, 0
    for project in projects:
        decision = decisions.get(project.pk) or ProjectDecision(continues=True)
        if previous is not None and (project.pk, previous.pk) not in have:
            # The year it continues from, with the allocation it had there.
            rows.append(ProjectYear(project=project, financial_year=previous, csf_allocation=project.csf_allocation))
        if decision.continues:
            continued += 1
            if (project.pk, year.pk) not in have:
                allocation = project.csf_allocation if decision.allocation is None else decision.allocation
                rows.append(ProjectYear(project=project, financial_year=year, csf_allocation=allocation))
        else:
            closed += 1
    bulk_create_with_history(rows, ProjectYear)
    return continued, closed


@transaction.atomic
def projects_roll_over(*, from_year, to_year, by):
    """Once `from_year` is over and `to_year` is open: finish what was not continued, fund what was.

    A project of `from_year` (or, for a first year, any active project) with no row for `to_year` was
    closed by the admin: it becomes completed at `from_year`'s end. A continued project takes its
    `to_year` allocation. Called when the later of the two happens: closing `from_year` (the next year
    already open) or opening `to_year` (the previous year already closed).
    """
    projects = list(
        Project.objects.select_for_update(of=("self",)).active().filter(borough__active=True).order_by("pk")
    )
    ids = [p.pk for p in projects]
    next_rows = {row.project_id: row for row in ProjectYear.objects.filter(project_id__in=ids, financial_year=to_year)}
    in_from_year = set()
    if from_year is not None:
        in_from_year = set(
            ProjectYear.objects.filter(project_id__in=ids, financial_year=from_year).values_list(
                "project_id", flat=True
            )
        )
    ended_on = from_year.end_date if from_year else to_year.start_date - timedelta(days=1)
    now, changed = timezone.now(), []
    for project in projects:
        row = next_rows.get(project.pk)
        if row is None and (from_year is None or project.pk in in_from_year):
            project.status = Project.Status.COMPLETED
            if project.end_date is None or project.end_date > ended_on:
                project.end_date = ended_on
        elif row is not None and row.csf_allocation != project.csf_allocation:
            project.csf_allocation = row.csf_allocation
        else:
            continue
        # A versioned row: an edit begun before this change meets the conflict page, not a silent undo.
        project.version += 1
        project.updated = now
        changed.append(project)
    if changed:
        bulk_update_with_history(
            changed,
            Project,
            ["status", "end_date", "csf_allocation", "version", "updated"],
            default_user=by,
            default_change_reason=f"{(from_year or to_year).label} rolled over into {to_year.label}",
        )
    return changed
