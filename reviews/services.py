"""Writes that touch several models. Keyword-only and atomic: they happen whole or not at all."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from boroughs.models import Borough
from returns.models import FinancialYear, Project

from .annex.assembly import assemble
from .models import Annex, AnnexColumn, AnnexVersion, BoroughRollUp, RollUpCell, RollUpRow


@dataclass
class ImportReport:
    year: str
    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def changed_anything(self):
        return bool(self.created or self.changed)


@transaction.atomic
def rollup_get_or_create(*, borough, year, position=0):
    """A borough's roll-up for the year, with an (empty) annual cell for every column."""
    rollup, created = BoroughRollUp.objects.get_or_create(
        borough=borough, financial_year=year, defaults={"position": position}
    )
    have = set(rollup.cells.filter(row__isnull=True).values_list("column_id", flat=True))
    bulk_create_with_history(
        [
            RollUpCell(rollup=rollup, column=column, text="")
            for column in AnnexColumn.objects.for_year(year)
            if column.pk not in have
        ],
        RollUpCell,
    )
    return rollup, created


@transaction.atomic
def rollup_row_add(*, rollup, project=None, texts=None, by=None):
    """Append a project row, with a cell for every column of the year."""
    texts = texts or {}
    last = rollup.rows.order_by("-position").values_list("position", flat=True).first() or 0
    row = RollUpRow.objects.create(rollup=rollup, project=project, position=last + 1, updated_by=by)
    bulk_create_with_history(
        [
            RollUpCell(rollup=rollup, row=row, column=column, text=texts.get(column.key, ""), updated_by=by)
            for column in AnnexColumn.objects.for_year(rollup.financial_year)
        ],
        RollUpCell,
        default_user=by,
    )
    return row


@transaction.atomic
def cell_update(*, cell, text, expected_version, by):
    """Save a cell's text unless someone else saved it first (then EditConflict carries their version)."""
    return cell.save_text(text=text, expected_version=expected_version, by=by)


@transaction.atomic
def row_move(*, row, direction):
    """Swap the row with its neighbour above ("up") or below ("down"), renumbering the table 1..n."""
    rows = list(RollUpRow.objects.select_for_update().filter(rollup_id=row.rollup_id).order_by("position", "pk"))
    index = next(i for i, r in enumerate(rows) if r.pk == row.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(rows):
        return False
    rows[index], rows[other] = rows[other], rows[index]
    now = timezone.now()
    for position, r in enumerate(rows, start=1):
        if r.position != position:
            # One save per moved row (not bulk_update) so each move is in the row's history.
            r.position, r.updated = position, now
            r.save(update_fields=["position", "updated"])
    return True


@transaction.atomic
def row_hide(*, row, reason, expected_version, by):
    return row.hide(reason=reason, expected_version=expected_version, by=by)


@transaction.atomic
def row_show(*, row, expected_version, by):
    return row.show(expected_version=expected_version, by=by)


@transaction.atomic
def annex_update_details(*, annex, label, title, introduction, expected_version):
    return annex.update_details(label=label, title=title, introduction=introduction, expected_version=expected_version)


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
    if created:
        report.created.append(f"financial year {year.label}")

    columns = _import_columns(year, spec.columns, report)
    annex, created = Annex.objects.get_or_create(
        financial_year=year,
        defaults={
            "label": spec.label,
            "title": spec.title or Annex.default_title(year),
            "introduction": spec.introduction,
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
            project, created = Project.objects.get_or_create(borough=borough, name=spec.project)
            if created:
                report.created.append(f"{borough.name}: project {spec.project}")
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


def _set_text(cell, text, where, report):
    if cell.text != text:
        cell.save_text(text=text, expected_version=cell.version, by=None)
        report.changed.append(where)
