"""Views that help the board: evidence quality, projects by Plan priority, and search."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q

from boroughs.models import Borough
from returns.models import Indicator, Project, ProjectUpdate, Return
from returns.overview import build_task

from ..models import AnnexColumn, ColumnCommentary, Flag, FlagType, ProjectCommentary

SEARCH_LIMIT = 50


def evidence_quality(user, year):
    """{borough: {column id or "projects": [(flag type, count)]}} of the year's open flags."""
    types = {t.pk: t for t in FlagType.objects.all()}
    counts = defaultdict(lambda: defaultdict(list))
    rows = (
        Flag.objects.for_user(user)
        .open()
        .filter(period__year=year)
        .values("borough_id", "column_id", "flag_type_id")
        .annotate(n=Count("pk"))
        .order_by("borough_id", "column_id", "flag_type_id")
    )
    for row in rows:
        where = row["column_id"] or "projects"
        counts[row["borough_id"]][where].append((types[row["flag_type_id"]], row["n"]))
    columns = list(AnnexColumn.objects.for_year(year))
    table = [
        (borough, [counts[borough.pk].get(c.pk, []) for c in columns] + [counts[borough.pk].get("projects", [])])
        for borough in Borough.objects.for_user(user).active()
    ]
    return columns, table


@dataclass
class ThemeProject:
    project: Project
    rag: str | None = None
    quarter: int | None = None
    indicators: list = field(default_factory=list)


def thematic(user, year, priority):
    """Every project serving `priority`, across the boroughs this user sees, with its latest RAG."""
    projects = list(
        Project.objects.for_user(user)
        .filter(priorities=priority)
        .select_related("borough")
        .prefetch_related(Prefetch("indicators", queryset=Indicator.objects.order_by("pk")))
        .order_by("borough__name", "name")
    )
    latest = {}
    updates = (
        ProjectUpdate.objects.for_user(user)
        .filter(project__in=projects, return_of__period__year=year)
        .exclude(return_of__status=Return.Status.DRAFT)
        .select_related("project", "return_of__period")
        .prefetch_related(Prefetch("project__indicators", queryset=Indicator.objects.order_by("pk")), "actuals")
        .order_by("return_of__period__quarter")
    )
    for update in updates:
        latest[update.project_id] = update
    rows = []
    for project in projects:
        row = ThemeProject(project=project, indicators=list(project.indicators.all()))
        update = latest.get(project.pk)
        if update:
            # Year-to-date RAG needs the earlier quarters; without them the quarter's own figure is used.
            task = build_task(update, {}, update.return_of.period.quarter)
            row.rag, row.quarter = task.rag, update.return_of.period.quarter
        rows.append(row)
    return rows


def search(user, query):
    """Matches the user may see: narratives and project names of their boroughs, visible commentary."""
    if not query:
        return {}
    returns = (
        Return.objects.for_user(user)
        .filter(alignment_statement__icontains=query)
        .select_related("borough", "period__year")[:SEARCH_LIMIT]
    )
    updates = (
        ProjectUpdate.objects.for_user(user)
        .filter(Q(activity__icontains=query) | Q(outcomes__icontains=query))
        .select_related("project", "return_of__borough", "return_of__period__year")[:SEARCH_LIMIT]
    )
    projects = Project.objects.for_user(user).filter(name__icontains=query).select_related("borough")[:SEARCH_LIMIT]
    column_comments = (
        ColumnCommentary.objects.for_user(user)
        .filter(text__icontains=query)
        .select_related("borough", "period__year", "column")[:SEARCH_LIMIT]
    )
    project_comments = (
        ProjectCommentary.objects.for_user(user)
        .filter(text__icontains=query)
        .select_related("borough", "period__year", "project")[:SEARCH_LIMIT]
    )
    return {
        "returns": list(returns),
        "updates": list(updates),
        "projects": list(projects),
        "column_comments": list(column_comments),
        "project_comments": list(project_comments),
    }
