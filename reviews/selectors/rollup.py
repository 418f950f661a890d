"""The annual roll-up page: a borough's four quarters of commentary beside the annual text it becomes.

Loaded in a fixed number of queries, whatever the number of boroughs, projects or rows.
"""

from dataclasses import dataclass, field

from returns.models import Project, ReportingPeriod

from ..models import AnnexColumn, BoroughRollUp, ColumnCommentary, ProjectCommentary, RollUpCell, RollUpRow


def draft_from_quarters(comments):
    """The annual text's first draft: each quarter's commentary under its quarter.

    Only shared commentary: OPCC-only notes are internal and must not drift into the board's annex.
    """
    return "\n\n".join(f"Q{c.period.quarter}: {c.text.strip()}" for c in comments if c.is_shared and c.text.strip())


@dataclass
class ColumnYear:
    column: AnnexColumn
    quarters: list  # [(period, ColumnCommentary | None)] for Q1..Q4
    annual: RollUpCell | None

    @property
    def draft(self):
        return draft_from_quarters([c for _, c in self.quarters if c])


@dataclass
class RollUpPage:
    borough: object
    year: object
    rollup: BoroughRollUp | None
    periods: list
    columns: list = field(default_factory=list)
    rows: list = field(default_factory=list)  # [(row, [cell per role column])]
    row_columns: list = field(default_factory=list)


def load_rollup(user, borough, year):
    periods = list(ReportingPeriod.objects.filter(year=year).order_by("quarter"))
    columns = list(AnnexColumn.objects.for_year(year))
    rollup = BoroughRollUp.objects.for_user(user).filter(borough=borough, financial_year=year).first()
    page = RollUpPage(borough=borough, year=year, rollup=rollup, periods=periods)
    comments = {
        (c.column_id, c.period_id): c
        for c in ColumnCommentary.objects.for_user(user)
        .filter(borough=borough, period__year=year)
        .select_related("period", "updated_by")
    }
    # Every cell of the roll-up in one query: the annual ones (no row) and the rows'.
    cells = list(rollup.cells.select_related("column")) if rollup else []
    annual = {c.column_id: c for c in cells if c.row_id is None}
    row_cells = {}
    for cell in cells:
        if cell.row_id is not None:
            row_cells.setdefault(cell.row_id, {})[cell.column_id] = cell
    page.columns = [
        ColumnYear(
            column=column,
            quarters=[(period, comments.get((column.pk, period.pk))) for period in periods],
            annual=annual.get(column.pk),
        )
        for column in columns
    ]
    # A project row shows the columns that carry project text (description, performance, community).
    page.row_columns = [c for c in columns if c.role]
    if rollup:
        for row in rollup.rows.select_related("project").order_by("position", "pk"):
            by_column = row_cells.get(row.pk, {})
            page.rows.append((row, [by_column.get(c.pk) for c in page.row_columns]))
    return page


def project_draft_texts(borough, year, user):
    """Prefilled row texts for each project the borough reported on in the year, keyed by project."""
    projects = list(
        Project.objects.for_user(user).filter(borough=borough, updates__return_of__period__year=year).distinct()
    )
    assessments = {}
    for comment in (
        ProjectCommentary.objects.for_user(user)
        .filter(project__in=projects, period__year=year)
        .select_related("period", "updated_by")
        .order_by("period__quarter")
    ):
        assessments.setdefault(comment.project_id, []).append(comment)
    return [
        (
            project,
            {
                AnnexColumn.Role.DESCRIPTION: project.description,
                AnnexColumn.Role.PERFORMANCE: draft_from_quarters(assessments.get(project.pk, [])),
            },
        )
        for project in projects
    ]


def existing_project_ids(rollup):
    return set(RollUpRow.objects.filter(rollup=rollup, project__isnull=False).values_list("project_id", flat=True))
