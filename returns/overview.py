"""Everything a return page shows, loaded in a fixed number of queries however many projects there are.

A return with the OPCC (submitted, resubmitted or accepted: `Return.is_frozen`) is shown as it was
submitted: `load_overview` builds it from the JSON snapshot `services.return_submit` took with
`take_snapshot`, in the same shape (unsaved model instances carrying the submitted values), so every
template reads a live return and a submitted one alike, and nothing done to the live projects,
indicators or targets afterwards changes what the OPCC accepted.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property

from django.db.models import OuterRef, Prefetch, Q, Subquery, Sum

from .deadlines import due_date, is_overdue
from .models import (
    CommunityEngagement,
    Evidence,
    Indicator,
    IndicatorActual,
    MatchFunding,
    OpccEngagement,
    PlanPriority,
    Project,
    ProjectUpdate,
    Rag,
    ReturnSection,
    Risk,
    SectionStatus,
)
from .spend import ZERO, match_funding_by_project, pennies, spend_before, spend_summary, spend_to_date


@dataclass
class IndicatorRow:
    indicator: Indicator
    value: object
    last_quarter: object
    ytd_before: object
    ytd: object
    rag: str | None

    def shown(self, value):
        return self.indicator.format_value(value)


@dataclass
class ProjectTask:
    update: ProjectUpdate
    indicators: list = field(default_factory=list)
    spend: object = None  # its returns.spend.SpendLine, set by load_overview
    # The project's match funding: as submitted (from the snapshot), or summed with the live rows by load_overview;
    # None where nothing read it (returns.forecast then sums it).
    match_funding: Decimal | None = None

    @property
    def project(self):
        return self.update.project

    @property
    def allocation(self):
        return self.project.csf_allocation

    @property
    def computed_rag(self):
        return Rag.worst([row.rag for row in self.indicators])

    @property
    def rag(self):
        return self.update.rag_override or self.computed_rag

    @property
    def status(self):
        return self.update.status


def _history(return_):
    """{indicator_id: {quarter: value}} from this borough's earlier returns in the same financial year."""
    return _actuals(return_)[0]


def _actuals(return_):
    """(history as `_history` has it, {update id: {indicator id: value}} of this return), in one query.

    The return's own actuals come with the earlier quarters' rather than prefetched onto each update: one query fewer.
    """
    rows = IndicatorActual.objects.filter(
        Q(update__return_of__period__quarter__lt=return_.period.quarter) | Q(update__return_of_id=return_.pk),
        update__return_of__borough_id=return_.borough_id,
        update__return_of__period__year_id=return_.period.year_id,
        value__isnull=False,
    ).values_list("indicator_id", "update__return_of__period__quarter", "value", "update_id", "update__return_of_id")
    history, saved = {}, {}
    for indicator_id, quarter, value, update_id, return_id in rows:
        if return_id == return_.pk:
            saved.setdefault(update_id, {})[indicator_id] = value
        else:
            history.setdefault(indicator_id, {})[quarter] = value
    return history, saved


def build_task(update, history, quarter, values=None, *, saved=None):
    """One project's indicator rows. `values` overrides the saved actuals (a form's input, for instance).

    `saved` ({indicator id: value}, from `_actuals`) saves reading the update's actuals.
    """
    if saved is None:
        saved = {actual.indicator_id: actual.value for actual in update.actuals.all()}
    task = ProjectTask(update=update)
    for indicator in update.project.indicators.all():
        earlier = history.get(indicator.pk, {})
        value = values.get(indicator.pk) if values is not None else saved.get(indicator.pk)
        ytd_before = indicator.year_to_date(earlier.values())
        ytd = indicator.year_to_date([*earlier.values(), value])
        rag_basis = ytd if indicator.is_cumulative else value
        task.indicators.append(
            IndicatorRow(
                indicator=indicator,
                value=value,
                last_quarter=earlier.get(quarter - 1),
                ytd_before=ytd_before,
                ytd=ytd,
                # Nothing entered for this quarter yet: no rating, rather than judging last quarter's total.
                rag=indicator.rag_for(rag_basis, quarter) if value is not None else None,
            )
        )
    return task


def project_updates(return_, *, actuals=True):
    updates = return_.project_updates.select_related("project").prefetch_related(
        Prefetch("project__indicators", queryset=Indicator.objects.order_by("pk"))
    )
    return updates.prefetch_related("actuals") if actuals else updates


def load_task(update):
    update = project_updates(update.return_of).get(pk=update.pk)
    return build_task(update, _history(update.return_of), update.return_of.period.quarter)


@dataclass
class ReturnOverview:
    return_: object
    sections: dict
    tasks: list
    alignment_statement: str = ""
    risks: list = field(default_factory=list)
    community: list = field(default_factory=list)
    opcc: list = field(default_factory=list)
    evidence: list = field(default_factory=list)
    priorities: list = field(default_factory=list)
    # True when read from the snapshot: the figures the borough submitted, not the live projects.
    as_submitted: bool = False
    spend: object = None  # returns.spend.SpendSummary: spend to date against the allocations

    @cached_property
    def due_on(self):
        """The borough's due date (its extension's, if any): read only by the pages that show it, one query."""
        return due_date(self.return_.period, self.return_.borough_id)

    @property
    def overdue(self):
        return is_overdue(self.return_, self.due_on, period=self.return_.period)

    def section(self, key):
        return self.sections[key]

    @property
    def completed_count(self):
        return sum(s.status == SectionStatus.COMPLETED for s in self.sections.values()) + sum(
            t.status == SectionStatus.COMPLETED for t in self.tasks
        )

    @property
    def task_count(self):
        return len(self.sections) + len(self.tasks)

    @property
    def ready_to_submit(self):
        return self.completed_count == self.task_count

    @cached_property
    def forecast(self):
        """returns.forecast: each task's Forecast (also set as `task.forecast`) and the total; one query."""
        from .forecast import forecast_summary  # forecast.py imports this module: imported here, no cycle

        return forecast_summary(self.tasks, self.return_.period.quarter)


def load_overview(return_, *, full=False):
    """What the return's pages show: as submitted while the OPCC has it, otherwise the live rows.

    The task list needs sections and project tasks; the check and print pages (`full`) need everything.
    A snapshot always holds everything, and reading it costs no query.
    """
    if return_.is_frozen:
        return overview_as_submitted(return_, return_.snapshot)
    return _load_live(return_, full=full)


def _load_live(return_, *, full):
    sections = {s.key: s for s in return_.sections.all()}
    overview = ReturnOverview(
        return_=return_,
        sections=sections,
        tasks=[],
        alignment_statement=return_.alignment_statement,
    )
    history, saved = _actuals(return_)
    quarter = return_.period.quarter
    updates = list(_with_spend_and_funding(project_updates(return_, actuals=False), return_))
    overview.tasks = [build_task(u, history, quarter, saved=saved.get(u.pk, {})) for u in updates]
    for task, update in zip(overview.tasks, updates, strict=True):
        task.match_funding = pennies(update.match_funding_total)
    overview.spend = _spend_summary(overview.tasks, [pennies(u.spend_before) for u in updates])
    if full:
        overview.risks = list(return_.risks.select_related("project"))
        overview.community = list(return_.community_engagements.all())
        overview.opcc = list(return_.opcc_engagements.all())
        overview.evidence = list(return_.evidence.select_related("project", "uploaded_by"))
        overview.priorities = list(return_.priorities.all())
    return overview


def _with_spend_and_funding(updates, return_):
    """The updates with their project's spend in the year's earlier quarters (returns.spend's own rule,
    `spend_before`) and its match funding, summed in the same query as the updates rather than in two more (the
    sums `spend_to_date` and `match_funding_by_project` make: the same rows, the same totals)."""
    funding = MatchFunding.objects.filter(project_id=OuterRef("project_id"))
    return updates.annotate(
        spend_before=spend_before(return_),
        match_funding_total=Subquery(
            funding.order_by().values("project_id").annotate(total=Sum("amount")).values("total")
        ),
    )


SECTION_ORDER = [ReturnSection.Key.ALIGNMENT, "projects", *list(ReturnSection.Key)[1:]]


# The snapshot. One format, written by take_snapshot and read by overview_as_submitted: the fields each kind of row
# keeps, with the model's own field types to read them back (Decimal as text, dates as ISO text).
SNAPSHOT_FORMAT = 2
KEPT = {
    Project: ["id", "name", "delivery_partner", "csf_allocation"],
    ProjectUpdate: ["id", "status", "activity", "outcomes", "spend", "expected_spend", "rag_override", "rag_reason"],
    Indicator: ["id", "name", "unit", "baseline", "minimum_target", "aspirational_target", "higher_is_better"],
    Risk: ["id", "description", "likelihood", "impact", "mitigation", "owner", "status"],
    CommunityEngagement: ["id", "date", "title", "description", "people_reached", "partners"],
    OpccEngagement: ["id", "date", "what", "pcc_involvement", "logo_used"],
    Evidence: ["id", "original_name", "kind", "size", "description"],
    PlanPriority: ["id", "name"],
}
ROW_FIGURES = ["value", "last_quarter", "ytd_before", "ytd"]


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _freeze(instance):
    return {name: _plain(getattr(instance, name)) for name in KEPT[type(instance)]}


def _thaw_row(model, data):
    """An unsaved instance holding the submitted values: templates read it like the live row.

    A field added to KEPT after a snapshot was taken reads as None (e.g. expected_spend before migration 0009).
    """
    return model(**{name: model._meta.get_field(name).to_python(data.get(name)) for name in KEPT[model]})


def _decimal(value):
    return None if value is None else Decimal(value)


def _freeze_project_of(row):
    return _freeze(row.project) if row.project_id else None


def _project_or_none(data):
    return _thaw_row(Project, data) if data else None


def take_snapshot(return_):
    """The return's content as plain JSON, read from the live rows: what the borough is submitting now."""
    overview = _load_live(return_, full=True)
    spend = spend_to_date(return_, overview.tasks)
    funding = match_funding_by_project([task.update.project_id for task in overview.tasks])
    return {
        "format": SNAPSHOT_FORMAT,
        **_submission(return_),
        "status": return_.status,
        "alignment_statement": return_.alignment_statement,
        "priorities": [_freeze(p) for p in overview.priorities],
        "sections": {key: section.status for key, section in overview.sections.items()},
        "projects": [
            {
                "project": _freeze(task.project),
                "update": _freeze(task.update),
                # Spend in the year's earlier quarters: they may be reopened later, this record may not.
                "spend_before": _plain(spend.lines[task.update.project_id].before),
                # Match funding as it stood: shown beside the allocation, it must not move after submission.
                "match_funding": _plain(funding.get(task.update.project_id, ZERO)),
                "indicators": [
                    {
                        "indicator": _freeze(row.indicator),
                        **{name: _plain(getattr(row, name)) for name in ROW_FIGURES},
                        "rag": row.rag,
                    }
                    for row in task.indicators
                ],
            }
            for task in overview.tasks
        ],
        "risks": [{**_freeze(r), "project": _freeze_project_of(r)} for r in overview.risks],
        "community": [_freeze(e) for e in overview.community],
        "opcc": [_freeze(e) for e in overview.opcc],
        "evidence": [{**_freeze(e), "project": _freeze_project_of(e)} for e in overview.evidence],
    }


def _thaw_task(data):
    update = _thaw_row(ProjectUpdate, data["update"])
    update.project = _thaw_row(Project, data["project"])
    return ProjectTask(
        update=update,
        # Snapshots taken before match funding was kept show none rather than today's figure.
        match_funding=_decimal(data.get("match_funding", "0")),
        indicators=[
            IndicatorRow(
                indicator=_thaw_row(Indicator, row["indicator"]),
                **{name: _decimal(row[name]) for name in ROW_FIGURES},
                rag=row["rag"],
            )
            for row in data["indicators"]
        ],
    )


def _with_project(model, data):
    instance = _thaw_row(model, data)
    instance.project = _project_or_none(data["project"])
    return instance


def overview_as_submitted(return_, snapshot):
    """The overview a snapshot describes: the return's current one, or an earlier one kept on a decision."""
    tasks = [_thaw_task(task) for task in snapshot["projects"]]
    return ReturnOverview(
        return_=return_,
        sections={key: ReturnSection(key=key, status=status) for key, status in snapshot["sections"].items()},
        tasks=tasks,
        alignment_statement=snapshot["alignment_statement"],
        risks=[_with_project(Risk, r) for r in snapshot["risks"]],
        community=[_thaw_row(CommunityEngagement, e) for e in snapshot["community"]],
        opcc=[_thaw_row(OpccEngagement, e) for e in snapshot["opcc"]],
        evidence=[_with_project(Evidence, e) for e in snapshot["evidence"]],
        priorities=[_thaw_row(PlanPriority, p) for p in snapshot["priorities"]],
        as_submitted=True,
        spend=_spend_summary(tasks, [Decimal(task["spend_before"]) for task in snapshot["projects"]]),
    )


def _spend_summary(tasks, befores):
    """Spend to date (returns.spend.spend_summary): each task's spend in the year's earlier quarters (`befores`, in
    the tasks' order: as submitted, or summed live) and this quarter's, its update's own (as submitted, or live)."""
    return spend_summary(
        tasks, [(before, task.update.spend or ZERO) for task, before in zip(tasks, befores, strict=True)]
    )


def submitted_names(snapshot):
    """({project id: name}, {indicator id: name}) as the snapshot has them, for pages that name rows by id."""
    projects = {task["project"]["id"]: task["project"]["name"] for task in snapshot["projects"]}
    indicators = {
        row["indicator"]["id"]: row["indicator"]["name"] for task in snapshot["projects"] for row in task["indicators"]
    }
    return projects, indicators


def submitted_snapshot(return_):
    """What a decision keeps of the version it sends back: the snapshot, with who submitted it and when.

    A return submitted before snapshots existed has none; its live rows are still as submitted then,
    because it has been locked since.
    """
    return {**(return_.snapshot or take_snapshot(return_)), **_submission(return_)}


def _submission(return_):
    by = return_.submitted_by
    return {
        "submitted_by": (by.get_full_name() or by.username) if by else "",
        "submitted_at": return_.submitted_at.isoformat() if return_.submitted_at else None,
    }
