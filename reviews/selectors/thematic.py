"""Projects by Plan priority (the thematic view): the projects serving a priority, with their latest RAG this year."""

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Prefetch, Q

from boroughs.models import borough_scope
from returns.models import Indicator, Project, ProjectUpdate, Return
from returns.overview import build_task

from ..board_cache import kept
from .board import newest_first

THEMATIC_PAGE_SIZE = 50
ORDER = ("borough__name", "name", "pk")


@dataclass
class ThemeProject:
    project: Project
    rag: str | None = None
    quarter: int | None = None
    indicators: list = field(default_factory=list)


def thematic_page(user, year, priority, *, page_number=1):
    """A page of THEMATIC_PAGE_SIZE projects serving `priority` in `year`, across the boroughs this user sees
    (`page.object_list` is that page's ThemeProject rows): a national priority has hundreds, and one page of them
    costs the same however many there are.

    Four queries after the ids (`project_ids`): the page's projects, their indicators (once: the updates reuse
    these projects), each one's latest update sent to the OPCC this year and those updates' actuals. The latest is
    chosen in the database (ROW_NUMBER() over each project's updates of the year, newest quarter first), so no
    other quarter's rows are read, and only the page's projects' updates.
    """
    page = Paginator(project_ids(user, year, priority), THEMATIC_PAGE_SIZE).get_page(page_number)
    projects = list(
        Project.objects.filter(pk__in=page.object_list)
        .select_related("borough")
        .prefetch_related(Prefetch("indicators", queryset=Indicator.objects.order_by("pk")))
        .order_by(*ORDER)
    )
    latest = (
        ProjectUpdate.objects.for_user(user)
        .filter(project__in=[project.pk for project in projects], return_of__period__year=year)
        .exclude(return_of__status=Return.Status.DRAFT)
        .annotate(newest=newest_first())
        .filter(newest=1)
        .select_related("return_of__period")
        .defer("return_of__snapshot")  # the updates' RAG, not what their returns reported
        .prefetch_related("actuals")
        .order_by()
    )
    updates = {update.project_id: update for update in latest} if projects else {}
    rows = []
    for project in projects:
        row = ThemeProject(project=project, indicators=list(project.indicators.all()))
        update = updates.get(project.pk)
        if update:
            update.project = project  # its indicators are already loaded
            # Year-to-date RAG needs the earlier quarters; without them the quarter's own figure is used.
            task = build_task(update, {}, update.return_of.period.quarter)
            row.rag, row.quarter = task.rag, update.return_of.period.quarter
        rows.append(row)
    page.object_list = rows
    return page


def project_ids(user, year, priority):
    """The ids of the year's projects serving `priority` that this user sees, in the page's order (borough,
    project): those that reported in the year, or are carried into it. A priority can outlive a project, and at
    ten years of history the finished ones would be most of the table.

    Deciding which projects are the year's is most of the page's work at national scale (every update of the
    year is read), and it changes only when what the board shows does: so for those who see every borough (the
    OPCC's staff, everyone this page lets in today) the list is kept with the board's figures
    (reviews.board_cache.kept) until then. Anyone else's is worked out each time.
    """
    scope = borough_scope(user)  # for_user's rule: empty for those who see every borough

    def work_out():
        # The priority narrows each half before the rest is tested, rather than after: at 300 boroughs this way
        # PostgreSQL tests the priority's projects (a sixth) rather than every project of every year.
        serving = Project.priorities.through.objects.filter(planpriority=priority).values("project_id")
        reported = ProjectUpdate.objects.filter(return_of__period__year=year, project__priorities=priority)
        in_year = Q(pk__in=reported.values("project_id")) | (Q(pk__in=serving) & Project.carried_into_q(year))
        ids = Project.objects.for_user(user).filter(in_year).order_by(*ORDER).values_list("pk", flat=True)
        return list(ids)

    if scope:  # only some boroughs: not the shared list
        return work_out()
    return kept(work_out, "thematic-ids", year.pk, priority.pk)
