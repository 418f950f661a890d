"""The assembled annex: one plain structure that the preview, every export and the published snapshots share.

`assemble(annex)` reads the year's roll-up in a fixed number of queries, however many boroughs and
rows there are. `AssembledAnnex.from_snapshot()` rebuilds the same structure from a published version,
so a version downloads exactly as it was published, whatever has been edited since.

The pages show one borough at a time (a national annex has hundreds): `annex_contents(annex)` and
`snapshot_contents(data)` give the list of boroughs with their counts (and, for the draft, what is missing)
from aggregates, and `assemble(annex, rollup_ids=…)` / `from_snapshot(…, slugs=…)` build only the part shown.

With `Annex.include_performance_summary`, the annex carries the board view's FIGURES for its "Performance
summary" appendix (`performance_summary`, a reviews.selectors.board.BoardData): names and numbers, never SVG.
The snapshot stores them, and every output draws the charts from them (`performance_charts`), so a
published version's appendix is frozen with the rest of it.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property

from django.db.models import BooleanField, Exists, F, Func, OuterRef, Subquery

from boroughs.models import Borough
from returns.models import Project

from ..charts import ANNEX_CHART_BOROUGHS, board_charts
from ..models import AnnexColumn, BoroughRollUp, RollUpCell, RollUpRow
from ..selectors.board import BoardData, board_view_data
from . import text as celltext

SNAPSHOT_FORMAT = 1
# A roll-up row as assemble() reads it, and its project's status in words (get_status_display's mapping).
_ROW_FIELDS = (
    "pk",
    "rollup_id",
    "project__name",
    "project__delivery_partner",
    "project__status",
    "hidden",
    "hidden_reason",
    "version",
)
PROJECT_STATUSES = dict(Project.Status.choices)
# Characters of cell text that fill about three quarters of a column on an A4 landscape page in the PDF.
PAGE_OF_TEXT = 1800


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    role: str = ""


@dataclass(frozen=True)
class Cell:
    column: Column
    text: str
    blocks: tuple
    cell_id: int | None = None
    version: int = 0
    lead_title: str = ""  # a project name shown above the text because no cell of the row names it

    @property
    def is_empty(self):
        return not self.text.strip()

    @property
    def display_text(self):
        """The cell as plain text, as printed: for spreadsheets and diffs."""
        return "\n\n".join(part for part in (self.lead_title, self.text) if part)

    @property
    def plain(self):
        return celltext.plain(self.text)


@dataclass(frozen=True)
class Row:
    row_id: int | None  # None for the borough's annual row
    cells: tuple[Cell, ...]
    project_name: str = ""
    delivery_partner: str = ""
    project_status: str = ""
    position: int = 0
    hidden: bool = False
    hidden_reason: str = ""
    version: int = 0

    @property
    def is_annual(self):
        return self.row_id is None

    @property
    def key(self):
        return "annual" if self.is_annual else f"row-{self.row_id}"

    @property
    def is_empty(self):
        return all(cell.is_empty for cell in self.cells)

    @property
    def label(self):
        if self.is_annual:
            return "Annual commentary"
        return self.project_name or f"Row {self.position}"

    @property
    def may_split_across_pages(self):
        """Whether the row is likely taller than a printed A4 landscape page.

        Print CSS keeps rows whole, but a row taller than a page must split, and must start right
        under the table header when it does (else the header is left alone at the foot of a page).
        The estimate weighs characters and line breaks of the longest cell against a page's worth.
        """
        weight = max((len(cell.text) + 45 * cell.text.count("\n") for cell in self.cells), default=0)
        return weight > PAGE_OF_TEXT

    def cell(self, key):
        return next((cell for cell in self.cells if cell.column.key == key), None)


@dataclass(frozen=True)
class BoroughSection:
    name: str
    slug: str
    annual: Row
    rows: tuple[Row, ...]  # every project row in the reviewer's order, hidden ones included
    rollup_id: int | None = None

    @property
    def printed_rows(self):
        """The rows the document shows: the annual row when it has text, then the visible project rows."""
        annual = () if self.annual.is_empty else (self.annual,)
        return annual + tuple(row for row in self.rows if not row.hidden)

    @property
    def all_rows(self):
        return (self.annual, *self.rows)

    @property
    def visible_project_rows(self):
        return [row for row in self.rows if not row.hidden]


@dataclass(frozen=True)
class Publication:
    number: int
    meeting_date: date
    published_at: datetime
    published_by: str


@dataclass(frozen=True)
class AssembledAnnex:
    label: str
    title: str
    introduction: str
    financial_year: str
    columns: tuple[Column, ...]
    boroughs: tuple[BoroughSection, ...]
    published: Publication | None = None
    missing_boroughs: tuple[str, ...] = field(default=())
    annex_version: int = 0
    performance_summary: BoardData | None = None  # the appendix's figures; None when it is left out

    @cached_property
    def performance_charts(self):
        """The appendix's charts, drawn from its figures (None without the appendix)."""
        if self.performance_summary is None:
            return None
        return board_charts(self.performance_summary, prefix="appendix", most=ANNEX_CHART_BOROUGHS)

    @property
    def row_count(self):
        """Every row the documents print (each borough's annual row and project rows): what export time grows with."""
        return sum(1 + len(section.rows) for section in self.boroughs)

    @property
    def file_stem(self):
        """annex-1-2015-16, or annex-1-2015-16-v2 for a published version."""
        stem = "-".join(["".join(c if c.isalnum() else "-" for c in self.label.lower()), self.financial_year])
        stem = "-".join(part for part in stem.split("-") if part)
        return f"{stem}-v{self.published.number}" if self.published else stem

    @property
    def introduction_blocks(self):
        return celltext.blocks(self.introduction)

    def completeness(self):
        """What is missing before the annex is ready for the board, in words a reviewer can act on."""
        problems = [f"{name}: no roll-up for {self.financial_year}" for name in self.missing_boroughs]
        for section in self.boroughs:
            visible = [section.annual, *section.visible_project_rows]
            for column in self.columns:
                if all(row.cell(column.key) is None or row.cell(column.key).is_empty for row in visible):
                    problems.append(f"{section.name}: no annual text for {column.heading}")
            for row in section.visible_project_rows:
                if row.is_empty:
                    problems.append(f"{section.name}: {row.label} has no text in any column")
        return problems

    def to_snapshot(self):
        return {
            "format": SNAPSHOT_FORMAT,
            "label": self.label,
            "title": self.title,
            "introduction": self.introduction,
            "financial_year": self.financial_year,
            "columns": [{"key": c.key, "heading": c.heading, "role": c.role} for c in self.columns],
            "boroughs": [
                {
                    "name": section.name,
                    "slug": section.slug,
                    "rows": [_row_snapshot(row) for row in (section.annual, *section.rows)],
                }
                for section in self.boroughs
            ],
            "performance_summary": self.performance_summary.to_snapshot() if self.performance_summary else None,
        }

    @classmethod
    def from_snapshot(cls, data, *, published=None, slugs=None, with_summary=True):
        """The annex as published; `slugs` keeps only those boroughs (a page), `with_summary=False` no appendix."""
        columns = tuple(Column(c["key"], c["heading"], c.get("role", "")) for c in data["columns"])
        sections = []
        for borough in data["boroughs"]:
            if slugs is not None and borough["slug"] not in slugs:
                continue
            rows = [
                build_row(
                    columns,
                    {key: (text, None, 0) for key, text in row["cells"].items()},
                    row_id=row["row_id"],
                    project_name=row.get("project", ""),
                    delivery_partner=row.get("delivery_partner", ""),
                    project_status=row.get("status", ""),
                    position=row.get("position", 0),
                    hidden=row.get("hidden", False),
                    hidden_reason=row.get("hidden_reason", ""),
                )
                for row in borough["rows"]
            ]
            annual = next((row for row in rows if row.is_annual), None) or build_row(columns, {}, row_id=None)
            sections.append(
                BoroughSection(
                    name=borough["name"],
                    slug=borough["slug"],
                    annual=annual,
                    rows=tuple(row for row in rows if not row.is_annual),
                )
            )
        # Versions published before the appendix existed have no such key: they have no appendix.
        summary = data.get("performance_summary") if with_summary else None
        return cls(
            label=data["label"],
            title=data["title"],
            introduction=data.get("introduction", ""),
            financial_year=data["financial_year"],
            columns=columns,
            boroughs=tuple(sections),
            published=published,
            performance_summary=BoardData.from_snapshot(summary) if summary else None,
        )


def _row_snapshot(row):
    return {
        "row_id": row.row_id,
        "project": row.project_name,
        "delivery_partner": row.delivery_partner,
        "status": row.project_status,
        "position": row.position,
        "hidden": row.hidden,
        "hidden_reason": row.hidden_reason,
        "cells": {cell.column.key: cell.text for cell in row.cells},
    }


def build_row(columns, texts, *, row_id, project_name="", **details):
    """A row with its cells in column order; texts maps column key -> (text, cell id, version).

    The project's name is shown in bold where a paragraph of the row starts with it (or with one of
    its "; "-joined titles, as in the 2015-16 annex); if no cell names it, it heads the description column.
    """
    titles = sorted({t.strip() for t in project_name.split(";") if t.strip()}, key=len, reverse=True)
    used = set()
    # The description column is searched first so the name is bolded where the document introduces it.
    search_order = sorted(columns, key=lambda c: c.role != AnnexColumn.Role.DESCRIPTION)
    blocks_by_key = {}
    for column in search_order:
        text, _, _ = texts.get(column.key, ("", None, 0))
        blocks_by_key[column.key] = celltext.blocks(text, bold_titles=titles, used=used)
    lead = None
    if titles and not used:
        lead = next((c.key for c in columns if c.role == AnnexColumn.Role.DESCRIPTION), None)
        if lead is not None:
            blocks_by_key[lead] = (celltext.title_paragraph(project_name), *blocks_by_key[lead])
    cells = []
    for column in columns:
        text, cell_id, version = texts.get(column.key, ("", None, 0))
        lead_title = project_name if column.key == lead else ""
        cells.append(Cell(column, text, blocks_by_key[column.key], cell_id, version, lead_title))
    return Row(row_id=row_id, cells=tuple(cells), project_name=project_name, **details)


def assemble(annex, *, rollup_ids=None, with_summary=True, columns=None):
    """The annex's current draft, read in five queries whatever the number of boroughs or rows.

    With the performance summary, the board view's figures add a fixed number more (board_view_data).
    `rollup_ids` assembles only those boroughs (a page of the preview) in four queries, whatever their
    size; its `completeness()` and `missing_boroughs` then say nothing of the rest (`annex_contents` does).
    `columns` (the year's AnnexColumn rows, as AnnexContents.columns holds them) saves reading them again.
    """
    year = annex.financial_year
    columns_qs = list(AnnexColumn.objects.for_year(year)) if columns is None else list(columns)
    columns = tuple(Column(c.key, c.heading, c.role) for c in columns_qs)
    key_of = {c.pk: c.key for c in columns_qs}
    rollups_qs = BoroughRollUp.objects.for_annex(annex)
    rows_qs = RollUpRow.objects.for_annex(annex)
    cells_qs = RollUpCell.objects.for_annex(annex)
    if rollup_ids is not None:
        rollup_ids = list(rollup_ids)
        rollups_qs = rollups_qs.filter(pk__in=rollup_ids)
        rows_qs = rows_qs.filter(rollup_id__in=rollup_ids)
        cells_qs = cells_qs.filter(rollup_id__in=rollup_ids)
    rollups = list(rollups_qs.in_annex_order())
    # Rows and cells as plain values: a national annex has some 4,000 rows and 20,000 cells, and building a model
    # instance for each took five times as long as reading them (0.37 s against 0.05 s at 307 boroughs).
    rows_by_rollup = {}
    for row in rows_qs.order_by("position", "pk").values_list(*_ROW_FIELDS):
        rows_by_rollup.setdefault(row[1], []).append(row)
    texts = {}
    for pk, rollup_id, row_id, column_id, text, version in cells_qs.values_list(
        "pk", "rollup_id", "row_id", "column_id", "text", "version"
    ):
        owner = ("row", row_id) if row_id else ("annual", rollup_id)
        texts.setdefault(owner, {})[key_of[column_id]] = (text, pk, version)
    missing = ()
    if rollup_ids is None:
        covered = {rollup.borough_id for rollup in rollups}
        missing = tuple(b.name for b in Borough.objects.active().exclude(pk__in=covered).only("name"))

    sections = []
    for rollup in rollups:
        annual = build_row(columns, texts.get(("annual", rollup.pk), {}), row_id=None)
        rows = tuple(
            build_row(
                columns,
                texts.get(("row", row_id), {}),
                row_id=row_id,
                project_name=project_name or "",  # None: the row's project was deleted
                delivery_partner=delivery_partner or "",
                project_status=PROJECT_STATUSES.get(project_status, project_status or ""),
                position=index,
                hidden=hidden,
                hidden_reason=hidden_reason,
                version=version,
            )
            for index, (
                row_id,
                _rollup_id,
                project_name,
                delivery_partner,
                project_status,
                hidden,
                hidden_reason,
                version,
            ) in enumerate(rows_by_rollup.get(rollup.pk, []), start=1)
        )
        sections.append(
            BoroughSection(
                name=rollup.borough.name, slug=rollup.borough.slug, annual=annual, rows=rows, rollup_id=rollup.pk
            )
        )
    return AssembledAnnex(
        label=annex.label,
        title=annex.title,
        introduction=annex.introduction,
        financial_year=year.label,
        columns=columns,
        boroughs=tuple(sections),
        missing_boroughs=missing,
        annex_version=annex.version,
        performance_summary=board_view_data(year=year) if with_summary and annex.include_performance_summary else None,
    )


def assemble_version(version, *, slugs=None, with_summary=True):
    publication = Publication(
        number=version.number,
        meeting_date=version.meeting_date,
        published_at=version.published_at,
        published_by=version.published_by.get_full_name() or version.published_by.username,
    )
    return AssembledAnnex.from_snapshot(
        version.snapshot, published=publication, slugs=slugs, with_summary=with_summary
    )


# The `?borough=` of the appendix's page; the contents list it after the boroughs.
SUMMARY_KEY = "performance-summary"


@dataclass(frozen=True)
class ContentsEntry:
    """One page of the annex on screen: a borough (`key` is its slug) or the "Performance summary" appendix."""

    key: str
    name: str
    rows: int = 0  # project rows the annex prints
    hidden: int = 0  # project rows hidden from it
    problems: int = 0  # what the draft still lacks for this borough (a published version: 0)
    rollup_id: int | None = None
    is_summary: bool = False


@dataclass(frozen=True)
class ContentsPage:
    previous: ContentsEntry | None
    current: ContentsEntry | None
    next: ContentsEntry | None


@dataclass(frozen=True)
class AnnexContents:
    entries: tuple[ContentsEntry, ...]  # the boroughs in annex order, then the appendix when the annex has one
    missing_boroughs: tuple[str, ...] = ()  # active boroughs with no roll-up for the draft's year
    columns: tuple = field(default=(), compare=False, repr=False)  # the draft's AnnexColumn rows, for assemble()

    @property
    def problem_count(self):
        """How many things AssembledAnnex.completeness() would list for the whole annex."""
        return len(self.missing_boroughs) + sum(entry.problems for entry in self.entries)

    @property
    def boroughs(self):
        return [entry for entry in self.entries if not entry.is_summary]

    @property
    def has_performance_summary(self):
        return any(entry.is_summary for entry in self.entries)

    @property
    def row_count(self):
        """As AssembledAnnex.row_count, without assembling: what decides which exports run on the worker."""
        return sum(1 + entry.rows + entry.hidden for entry in self.boroughs)

    def page(self, key):
        """The entry for `?borough=key` (the first when the key is empty) and its neighbours; None if unknown."""
        if not key:
            index = 0
        else:
            index = next((i for i, entry in enumerate(self.entries) if entry.key == key), None)
            if index is None:
                return None
        if not self.entries:
            return ContentsPage(None, None, None)
        return ContentsPage(
            previous=self.entries[index - 1] if index > 0 else None,
            current=self.entries[index],
            next=self.entries[index + 1] if index + 1 < len(self.entries) else None,
        )


def _summary_entry():
    return ContentsEntry(key=SUMMARY_KEY, name="Performance summary", is_summary=True)


def annex_contents(annex):
    """The draft's contents, and how much each borough still lacks, in three queries at any size.

    The queries: the columns; the boroughs, each with its row counts, its empty printed rows and how many
    columns have text in its printed rows (subqueries, one row per borough); the active boroughs with
    no roll-up. Each entry's `problems` is the number of things `assemble(annex).completeness()` lists for
    that borough, counted in the database: no cell's text is read into Python.
    """
    year = annex.financial_year
    columns = list(AnnexColumn.objects.for_year(year))
    written = RollUpCell.objects.filter(Written())
    rows = RollUpRow.objects.filter(rollup_id=OuterRef("pk"))
    counts = {
        "shown_rows": _count(rows.filter(hidden=False)),
        "hidden_rows": _count(rows.filter(hidden=True)),
        "empty_rows": _count(rows.filter(hidden=False).exclude(Exists(written.filter(row_id=OuterRef("pk"))))),
    }
    # The annual cells and the visible rows' cells. Excluding the borough's few hidden rows, rather than
    # joining every row to test `hidden`, keeps each test to the borough's own cells (index scans).
    hidden_rows = RollUpRow.objects.filter(rollup_id=OuterRef(OuterRef("pk")), hidden=True).values("pk")
    printed = written.filter(rollup_id=OuterRef("pk")).exclude(row_id__in=hidden_rows)
    # How many of the year's columns have text in the printed rows: one subquery, however many columns.
    counts["written_columns"] = _count(printed.filter(column_id__in=[c.pk for c in columns]), distinct="column_id")
    # Plain rows, not BoroughRollUp and Borough instances: at 300 boroughs building those cost a fifth of the page.
    rollups = (
        BoroughRollUp.objects.for_annex(annex)
        .in_annex_order()
        .annotate(**counts)
        .values_list("pk", "borough_id", "borough__slug", "borough__name", *counts)
    )
    entries, covered = [], []
    for pk, borough_id, slug, name, shown_rows, hidden_rows, empty_rows, written_columns in rollups:
        covered.append(borough_id)
        entries.append(
            ContentsEntry(
                key=slug,
                name=name,
                rows=shown_rows,
                hidden=hidden_rows,
                problems=len(columns) - written_columns + empty_rows,
                rollup_id=pk,
            )
        )
    missing = Borough.objects.active().exclude(pk__in=covered).only("name")
    missing_names = tuple(borough.name for borough in missing)
    if annex.include_performance_summary:
        entries.append(_summary_entry())
    return AnnexContents(entries=tuple(entries), missing_boroughs=missing_names, columns=tuple(columns))


class Written(Func):
    """A cell's text is written: it has a non-space character, as Cell.is_empty (str.strip) decides.

    The pattern is part of the SQL, not a parameter (as `text__regex` would send it): the partial indexes of the
    written cells (reviews/migrations/0011_written_cell_indexes.py) are used only where the query's condition is
    theirs, and a prepared statement's generic plan cannot see what a parameter will hold."""

    template = r"%(expressions)s ~ '\S'"
    output_field = BooleanField()

    def __init__(self):
        super().__init__(F("text"))

    def as_sqlite(self, compiler, connection, **extra):
        # SQLite's REGEXP is the function Django adds to its connections (Python's re: the same \S).
        return super().as_sql(compiler, connection, template=r"%(expressions)s REGEXP '\S'", **extra)


def _count(queryset, *, distinct=None):
    """A subquery's row count (or its count of distinct `distinct` values): COUNT over the filtered rows, with no
    GROUP BY (0 when none match)."""
    n = Func(F(distinct), template="COUNT(DISTINCT %(expressions)s)") if distinct else Func(F("pk"), function="COUNT")
    return Subquery(queryset.order_by().annotate(n=n).values("n"))


def snapshot_contents(data):
    """A published version's contents, from its snapshot (already read: the page shows part of it)."""
    entries = []
    for borough in data["boroughs"]:
        projects = [row for row in borough["rows"] if row["row_id"] is not None]
        hidden = sum(1 for row in projects if row.get("hidden", False))
        entries.append(
            ContentsEntry(key=borough["slug"], name=borough["name"], rows=len(projects) - hidden, hidden=hidden)
        )
    if data.get("performance_summary"):
        entries.append(_summary_entry())
    return AnnexContents(entries=tuple(entries))
