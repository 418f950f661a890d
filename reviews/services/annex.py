"""Writes to the annex: starting the live year's, publishing a version, importing a past one. Keyword-only and atomic.

(The import sets the details through Annex.update_details; the details page through annex_details_update,
which also sets whether the annex has the performance summary appendix.)
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from boroughs.models import Borough
from returns.models import FinancialYear, Project

from ..annex.assembly import assemble
from ..models import (
    Annex,
    AnnexColumn,
    AnnexVersion,
    BoroughRollUp,
    ColumnCommentary,
    ProjectCommentary,
    RollUpCell,
    RollUpRow,
    Visibility,
)
from ..selectors.rollup import draft_from_quarters
from .rollup import refuse_closed_year, rollup_get_or_create, rollup_row_add


@dataclass
class ImportReport:
    year: str
    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def changed_anything(self):
        return bool(self.created or self.changed)


@dataclass
class AnnexStarted:
    annex: Annex
    created: bool
    rollups: int = 0  # roll-ups this start created
    rows: int = 0  # project rows this start created


@transaction.atomic
def annex_start(*, year, by):
    """Start the year's annex: the annex, the year's columns and every active borough's roll-up, pre-filled.

    An annual cell starts from the column's **shared** commentary, quarter by quarter; a project row (one
    per project the borough reported on in the year) from the project's description and its shared
    assessments. OPCC-only text never enters the annex. Idempotent: what exists is kept as it is, so
    starting again (a second click, a second reviewer) changes nothing; an annual cell a roll-up was
    started with and nobody has written in yet is filled in.

    An annex-level action: it writes every borough's roll-up, including one the person starting it is an
    officer of (the self-review rule applies to the text they then write, in reviews.services.rollup).
    Flat in the number of boroughs and projects: a fixed number of reads, then bulk inserts with history.
    """
    year = FinancialYear.objects.select_for_update().get(pk=year.pk)
    refuse_closed_year(year)
    annex, created = Annex.objects.get_or_create(financial_year=year, defaults={"title": Annex.default_title(year)})
    columns = AnnexColumn.ensure_for_year(year)
    boroughs = list(Borough.objects.active().order_by("name"))
    rollups = {rollup.borough_id: rollup for rollup in BoroughRollUp.objects.filter(financial_year=year)}
    new_rollups = bulk_create_with_history(
        [BoroughRollUp(borough=borough, financial_year=year) for borough in boroughs if borough.pk not in rollups],
        BoroughRollUp,
        default_user=by,
    )
    rollups.update({rollup.borough_id: rollup for rollup in new_rollups})
    ours = [rollups[borough.pk] for borough in boroughs]
    _start_annual_cells(year, ours, columns, by)
    rows = _start_project_rows(year, ours, columns, by)
    return AnnexStarted(annex=annex, created=created, rollups=len(new_rollups), rows=rows)


def _start_annual_cells(year, rollups, columns, by):
    comments = {}
    for comment in (
        ColumnCommentary.objects.filter(
            borough__in=[r.borough_id for r in rollups], period__year=year, visibility=Visibility.SHARED
        )
        .select_related("period")
        .order_by("period__quarter", "pk")
    ):
        comments.setdefault((comment.borough_id, comment.column_id), []).append(comment)
    existing = {
        (cell.rollup_id, cell.column_id): cell
        for cell in RollUpCell.objects.filter(rollup__in=rollups, row__isnull=True)
    }
    new, filled, now = [], [], timezone.now()
    for rollup in rollups:
        for column in columns:
            draft = draft_from_quarters(comments.get((rollup.borough_id, column.pk), []))
            cell = existing.get((rollup.pk, column.pk))
            if cell is None:
                new.append(RollUpCell(rollup=rollup, column=column, text=draft, updated_by=by))
            elif draft and not cell.text and cell.version == 1:
                # Made empty by a roll-up started earlier, never written in: the draft is what it lacked.
                cell.text, cell.version, cell.updated, cell.updated_by = draft, cell.version + 1, now, by
                filled.append(cell)
    bulk_create_with_history(new, RollUpCell, default_user=by)
    if filled:
        bulk_update_with_history(filled, RollUpCell, ["text", "version", "updated", "updated_by"], default_user=by)


def _start_project_rows(year, rollups, columns, by):
    rollup_of = {rollup.borough_id: rollup for rollup in rollups}
    projects = list(
        Project.objects.filter(borough_id__in=rollup_of, updates__return_of__period__year=year)
        .distinct()
        .order_by("borough_id", "name", "pk")
    )
    have, last = set(), {}
    for rollup_id, project_id, position in RollUpRow.objects.filter(rollup__in=rollups).values_list(
        "rollup_id", "project_id", "position"
    ):
        have.add((rollup_id, project_id))
        last[rollup_id] = max(last.get(rollup_id, 0), position)
    assessments = {}
    for comment in (
        ProjectCommentary.objects.filter(project__in=projects, period__year=year, visibility=Visibility.SHARED)
        .select_related("period")
        .order_by("period__quarter", "pk")
    ):
        assessments.setdefault(comment.project_id, []).append(comment)
    rows, texts = [], []
    for project in projects:
        rollup = rollup_of[project.borough_id]
        if (rollup.pk, project.pk) in have:
            continue
        last[rollup.pk] = last.get(rollup.pk, 0) + 1
        rows.append(RollUpRow(rollup=rollup, project=project, position=last[rollup.pk], updated_by=by))
        # The same first draft as a roll-up started on its own page (reviews.selectors.rollup.project_draft_texts).
        texts.append(
            {
                AnnexColumn.Role.DESCRIPTION: project.description,
                AnnexColumn.Role.PERFORMANCE: draft_from_quarters(assessments.get(project.pk, [])),
            }
        )
    rows = bulk_create_with_history(rows, RollUpRow, default_user=by)
    bulk_create_with_history(
        [
            RollUpCell(rollup=row.rollup, row=row, column=column, text=by_role.get(column.role, ""), updated_by=by)
            for row, by_role in zip(rows, texts, strict=True)
            for column in columns
        ],
        RollUpCell,
        default_user=by,
    )
    return len(rows)


@transaction.atomic
def annex_details_update(*, annex, label, title, introduction, include_performance_summary, expected_version):
    """The annex's details and the admin's choice of the appendix; EditConflict if someone saved since."""
    return annex.save_if_version(
        expected_version,
        label=label,
        title=title,
        introduction=introduction,
        include_performance_summary=include_performance_summary,
        updated=timezone.now(),
    )


@transaction.atomic
def annex_publish(*, annex, meeting_date, by):
    """Freeze the current draft as the next numbered version for the board."""
    # Serialise publishers of the same annex so two cannot take the same number.
    Annex.objects.select_for_update().filter(pk=annex.pk).first()
    snapshot = assemble(annex).to_snapshot()
    return AnnexVersion.objects.create(
        annex=annex,
        number=annex.next_version_number(),
        meeting_date=meeting_date,
        published_by=by,
        published_at=timezone.now(),
        snapshot=snapshot,
    )


@transaction.atomic
def annex_import(*, spec):
    """Make the year's annex and roll-up match a checked annex file (reviews.annex.importer.AnnexSpec).

    Idempotent: objects are matched (the year by label, columns by key, boroughs and projects by name,
    rows by position) and only written when they differ, so importing a file twice changes nothing.
    Edits made in the service since the last import are overwritten by the file's text.
    """
    report = ImportReport(year=spec.financial_year)
    year, created = FinancialYear.get_or_create_for_label(spec.financial_year)
    refuse_closed_year(year)  # a closed year's annex is the record the board received
    if created:
        report.created.append(f"financial year {year.label}")

    columns = _import_columns(year, spec.columns, report)
    annex, created = Annex.objects.get_or_create(
        financial_year=year,
        defaults={
            "label": spec.label,
            "title": spec.title or Annex.default_title(year),
            "introduction": spec.introduction,
            # A past year's annex, as the board received it: no performance summary (the admin may add one).
            "include_performance_summary": False,
        },
    )
    if created:
        report.created.append(f"annex {annex.label} {year.label}")
    else:
        wanted = {"label": spec.label, "title": spec.title or annex.title, "introduction": spec.introduction}
        if any(getattr(annex, name) != value for name, value in wanted.items()):
            annex.update_details(**wanted, expected_version=annex.version)
            report.changed.append(f"annex {annex.label} {year.label}: label, title or introduction")

    for position, borough_spec in enumerate(spec.boroughs, start=1):
        borough = _import_borough(borough_spec.name, report)
        rollup, created = rollup_get_or_create(borough=borough, year=year, position=position)
        if created:
            report.created.append(f"{borough.name}: roll-up")
        elif rollup.position != position:
            rollup.position = position
            rollup.save(update_fields=["position", "updated"])
            report.changed.append(f"{borough.name}: position in the annex")
        annual = {cell.column_id: cell for cell in rollup.cells.filter(row__isnull=True)}
        for column in columns:
            _set_text(
                annual[column.pk],
                borough_spec.annual.get(column.key, ""),
                f"{borough.name}: annual {column.key}",
                report,
            )
        _import_rows(rollup, borough, borough_spec.rows, columns, report)
    return report


def _import_columns(year, specs, report):
    existing = {column.key: column for column in AnnexColumn.objects.for_year(year)}
    standard_roles = {"performance": "performance", "innovation": "description", "community": "community"}
    columns = []
    for order, spec in enumerate(specs, start=1):
        column = existing.get(spec.key)
        if column is None:
            column = AnnexColumn.objects.create(
                financial_year=year,
                key=spec.key,
                heading=spec.heading,
                order=order,
                role=standard_roles.get(spec.key, ""),
            )
            report.created.append(f"column {spec.key}")
        elif (column.heading, column.order) != (spec.heading, order):
            column.heading, column.order = spec.heading, order
            column.save(update_fields=["heading", "order"])
            report.changed.append(f"column {spec.key}")
        columns.append(column)
    extra = sorted(set(existing) - {spec.key for spec in specs})
    if extra:
        report.warnings.append(f"{year.label} keeps columns not in the file: {', '.join(extra)}")
    return columns


def _import_borough(name, report):
    borough = Borough.objects.filter(name__iexact=name).first()
    if borough:
        return borough
    slug = slugify(name)[:90] or "borough"
    # A borough needs a unique ONS code; an admin replaces this placeholder with the real one.
    code = f"X{Borough.objects.count() + 1:08d}"
    while Borough.objects.filter(ons_code=code).exists():
        code = f"X{int(code[1:]) + 1:08d}"
    borough = Borough.objects.create(
        name=name,
        slug=slug,
        partnership_name=f"{name} Community Safety Partnership",
        ons_code=code,
        active=False,
    )
    report.created.append(f"borough {name}")
    report.warnings.append(
        f"Created borough {name} as inactive with placeholder ONS code {code}: check it in the admin."
    )
    return borough


def _import_rows(rollup, borough, specs, columns, report):
    rows = list(rollup.rows.order_by("position", "pk"))
    cells = {}
    for cell in RollUpCell.objects.filter(row__in=rows):
        cells[(cell.row_id, cell.column_id)] = cell
    for index, spec in enumerate(specs):
        where = f"{borough.name}: row {index + 1}"
        project = None
        if spec.project:
            project = _history_project(borough, spec.project, rollup.financial_year, report)
        if index >= len(rows):
            rollup_row_add(rollup=rollup, project=project, texts=spec.cells)
            report.created.append(where)
            continue
        row = rows[index]
        if row.position != index + 1 or row.project_id != (project.pk if project else None):
            row.position = index + 1
            row.project = project
            row.version += 1
            row.save(update_fields=["position", "project", "version", "updated"])
            report.changed.append(f"{where}: project or position")
        for column in columns:
            cell = cells.get((row.pk, column.pk))
            text = spec.cells.get(column.key, "")
            if cell is None:
                RollUpCell.objects.create(rollup=rollup, row=row, column=column, text=text)
                report.changed.append(f"{where}: {column.key}")
            else:
                _set_text(cell, text, f"{where}: {column.key}", report)
    for row in rows[len(specs) :]:
        report.changed.append(f"{borough.name}: removed row {row.position}")
        row.delete()


def _history_project(borough, name, year, report):
    """The project a past annex's row names: the borough's project of that name, else a record of history.

    An imported annex is a past year's: a project it creates is completed in that year (never active), so
    no later return carries it forward. A project the service already has by that name is the same work,
    reported since, and is left as it is.
    """
    project, created = Project.objects.get_or_create(
        borough=borough,
        name=name,
        defaults={"status": Project.Status.COMPLETED, "end_date": year.end_date},
    )
    if created:
        report.created.append(f"{borough.name}: project {name} (completed in {year.label})")
    return project


def _set_text(cell, text, where, report):
    if cell.text != text:
        cell.save_text(text=text, expected_version=cell.version, by=None)
        report.changed.append(where)
