"""Writes to the annex: publishing a version, importing an annex file. Keyword-only and atomic.

(Its details are one model method, Annex.update_details, which the view calls in its transaction.)
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from boroughs.models import Borough
from returns.models import FinancialYear, Project

from ..annex.assembly import assemble
from ..models import Annex, AnnexColumn, AnnexVersion, RollUpCell
from .rollup import rollup_get_or_create, rollup_row_add


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
