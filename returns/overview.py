"""Everything a return page shows, loaded in a fixed number of queries however many projects there are."""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from .deadlines import due_date, is_overdue
from .models import Indicator, IndicatorActual, ProjectUpdate, Rag, ReturnSection, SectionStatus


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

    @property
    def project(self):
        return self.update.project

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
    rows = IndicatorActual.objects.filter(
        update__return_of__borough_id=return_.borough_id,
        update__return_of__period__year_id=return_.period.year_id,
        update__return_of__period__quarter__lt=return_.period.quarter,
        value__isnull=False,
    ).values_list("indicator_id", "update__return_of__period__quarter", "value")
    history = {}
    for indicator_id, quarter, value in rows:
        history.setdefault(indicator_id, {})[quarter] = value
    return history


def build_task(update, history, quarter, values=None):
    """One project's indicator rows. `values` overrides the saved actuals (a form's input, for instance)."""
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


def project_updates(return_):
    return return_.project_updates.select_related("project").prefetch_related(
        Prefetch("project__indicators", queryset=Indicator.objects.order_by("pk")),
        "actuals",
    )


def load_task(update):
    update = project_updates(update.return_of).get(pk=update.pk)
    return build_task(update, _history(update.return_of), update.return_of.period.quarter)


@dataclass
class ReturnOverview:
    return_: object
    sections: dict
    tasks: list
    due_on: object
    risks: list = field(default_factory=list)
    community: list = field(default_factory=list)
    opcc: list = field(default_factory=list)
    evidence: list = field(default_factory=list)
    priorities: list = field(default_factory=list)

    @property
    def overdue(self):
        return is_overdue(self.return_, self.due_on)

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


def load_overview(return_, *, full=False):
    """The task list needs sections and project tasks; the check and print pages (`full`) need everything."""
    sections = {s.key: s for s in return_.sections.all()}
    overview = ReturnOverview(
        return_=return_, sections=sections, tasks=[], due_on=due_date(return_.period, return_.borough_id)
    )
    history = _history(return_)
    overview.tasks = [build_task(u, history, return_.period.quarter) for u in project_updates(return_)]
    if full:
        overview.risks = list(return_.risks.select_related("project"))
        overview.community = list(return_.community_engagements.all())
        overview.opcc = list(return_.opcc_engagements.all())
        overview.evidence = list(return_.evidence.select_related("project", "uploaded_by"))
        overview.priorities = list(return_.priorities.all())
    return overview


SECTION_ORDER = [ReturnSection.Key.ALIGNMENT, "projects", *list(ReturnSection.Key)[1:]]
