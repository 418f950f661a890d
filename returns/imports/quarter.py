"""A quarter's figures offline: the pre-filled template an officer downloads, and the preview of a filled one.

The template holds one row per indicator per project ("Indicators": targets and last quarter's actual beside
this quarter's actual) and one row per project ("Spend": spend this quarter and the expected spend for the rest
of the year), pre-filled with what the return already holds, so a cell left as it was changes nothing and a
cell emptied clears the figure, exactly as on the project's page. Rows are matched by the project's and the
indicator's names, which is what the officer sees; a hidden, signed 'meta' sheet ties the file to one return.

`quarter_preview` reads the stored file again (it never trusts an earlier reading) against the return as it is
now, and is a pure read: `returns.services.imports.quarter_apply` writes what it plans.
"""

import io
from dataclasses import dataclass, field

from django import forms
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter

from ..forms.fields import number_field
from ..models import Indicator, SectionStatus
from ..overview import load_overview
from ..spend import PENNY
from .models import SpreadsheetImport
from .reading import ImportFileError, open_sheet, parse_decimal, read_meta, read_rows, write_meta

KIND = SpreadsheetImport.Kind.QUARTER
INDICATORS, SPEND, HELP = "Indicators", "Spend", "How to fill this in"

INDICATOR_HEADERS = {
    "project": "Project",
    "indicator": "Indicator",
    "unit": "Unit",
    "baseline": "Baseline",
    "minimum": "Minimum target (year)",
    "aspirational": "Aspirational target (year)",
    "better": "Better when",
    "last_quarter": "Last quarter's actual",
    "actual": "This quarter's actual",
}
SPEND_HEADERS = {
    "project": "Project",
    "allocation": "Allocation for the year (£)",
    "before": "Spent in earlier quarters (£)",
    "spend": "Spend this quarter (£)",
    "expected": "Expected spend for the rest of the year (£)",
}
# Only these are read back; the other columns are there to help the officer and may be left, changed or removed.
INDICATOR_READ = {key: INDICATOR_HEADERS[key] for key in ("project", "indicator", "actual")}
SPEND_READ = {key: SPEND_HEADERS[key] for key in ("project", "spend", "expected")}

NUMBER_FORMATS = {
    Indicator.Unit.COUNT: "#,##0",
    Indicator.Unit.PERCENT: "0.##",
    Indicator.Unit.POUNDS: '"£"#,##0.00',
    Indicator.Unit.HOURS: "#,##0.##",
}
MONEY_FORMAT = '"£"#,##0.00'
HEADER_FILL = PatternFill("solid", fgColor="0B0C0C")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")  # pale yellow: the cells to fill in
HELP_TEXT = [
    "How to fill this in",
    "",
    "Fill in the pale yellow cells only: this quarter's actual for each indicator on the 'Indicators' sheet, and "
    "the spend on the 'Spend' sheet. The other cells are there to help you and are not read back.",
    "Type numbers only, like 1250.50 or 62.5. Do not type formulas: they are refused, never worked out.",
    "Percentages: type 62.5 for 62.5%. Counts are whole numbers. Money is in pounds and pence.",
    "The cells already hold what the return holds now. Leave a cell as it is to keep it; empty it to clear it.",
    "Do not rename the sheets, the column headings, the projects or the indicators: rows are matched by name.",
    "Then upload the file on the return's task list, under 'Fill it in offline'. You will see every change, "
    "and any problem next to its row, before anything is saved. Nothing is saved until you confirm.",
    "This file is for one borough's return for one quarter only; another return's file is refused.",
]


def meta_for(return_):
    return {
        "kind": KIND,
        "borough": return_.borough.slug,
        "return": return_.pk,
        "period": return_.period.short_label,
    }


def _money(value):
    return "blank" if value is None else f"£{value:,.2f}"


def _shown(indicator, value):
    return "blank" if value is None else indicator.format_value(value)


# --- The template ------------------------------------------------------------------------------------------


def _header(sheet, headers, widths):
    sheet.append(list(headers.values()))
    for index, cell in enumerate(sheet[1], start=1):
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(index)].width = widths[index - 1]
    sheet.freeze_panes = "A2"


def _input(cell, number_format):
    cell.fill = INPUT_FILL
    cell.number_format = number_format
    cell.protection = Protection(locked=False)


def quarter_template(return_):
    """The XLSX (bytes) for `return_`, pre-filled with its projects, indicators and figures as they are now."""
    overview = load_overview(return_)
    workbook = Workbook()
    help_sheet = workbook.active
    help_sheet.title = HELP
    for line in HELP_TEXT:
        help_sheet.append([line])
    help_sheet["A1"].font = Font(bold=True, size=14)
    help_sheet.column_dimensions["A"].width = 120
    for row in help_sheet.iter_rows(min_row=3):
        row[0].alignment = Alignment(wrap_text=True)

    indicators = workbook.create_sheet(INDICATORS)
    _header(indicators, INDICATOR_HEADERS, [32, 32, 14, 12, 14, 14, 12, 14, 14])
    for task in overview.tasks:
        for row in task.indicators:
            indicator = row.indicator
            fmt = NUMBER_FORMATS.get(indicator.unit, "General")
            indicators.append(
                [
                    task.project.name,
                    indicator.name,
                    indicator.get_unit_display(),
                    indicator.baseline,
                    indicator.minimum_target,
                    indicator.aspirational_target,
                    "Higher" if indicator.higher_is_better else "Lower",
                    row.last_quarter,
                    row.value,
                ]
            )
            for cell in indicators[indicators.max_row][3:8]:
                cell.number_format = fmt
            _input(indicators.cell(row=indicators.max_row, column=9), fmt)

    spend = workbook.create_sheet(SPEND)
    _header(spend, SPEND_HEADERS, [32, 16, 16, 16, 20])
    for task in overview.tasks:
        spend.append(
            [
                task.project.name,
                task.spend.allocation,
                task.spend.before,
                task.update.spend,
                task.update.expected_spend,
            ]
        )
        number = spend.max_row
        for column in (2, 3):
            spend.cell(row=number, column=column).number_format = MONEY_FORMAT
        for column in (4, 5):
            _input(spend.cell(row=number, column=column), MONEY_FORMAT)

    for sheet in (indicators, spend):
        # Locked cells protect the names the rows are matched by; no password, so nobody is ever stuck.
        sheet.protection.sheet = True
        sheet.protection.formatRows = sheet.protection.formatColumns = False
    write_meta(workbook, **meta_for(return_))
    workbook.active = 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_filename(return_):
    return f"{return_.borough.slug}-{return_.period.year.label}-q{return_.period.quarter}-figures.xlsx"


# --- Checking a file against its return ------------------------------------------------------------------------


def check_meta(workbook, return_):
    """Refuses (ImportFileError) a file that is not this return's template: another kind, borough, quarter."""
    meta = read_meta(workbook)
    expected = meta_for(return_)
    if meta.get("kind") != KIND:
        raise ImportFileError("The selected file is not a quarter's figures template. Download it from this return")
    if meta.get("borough") != expected["borough"]:
        raise ImportFileError(
            f"The selected file is another partnership's template, not {return_.borough.name}'s. "
            "Download the template from this return"
        )
    if meta.get("period") != expected["period"] or meta.get("return") != str(return_.pk):
        raise ImportFileError(
            f"The selected file is the template for {meta.get('period') or 'another return'}, not "
            f"{expected['period']}. Download the template from this return"
        )
    return meta


def check_upload(upload, return_):
    """What the upload form checks before anything is stored: a readable XLSX that is this return's template."""
    sheet = open_sheet(upload, sheet_name=INDICATORS)
    try:
        check_meta(sheet.parent, return_)
    finally:
        sheet.parent.close()
        upload.seek(0)


# --- The preview ---------------------------------------------------------------------------------------------


@dataclass
class Change:
    """One row of the file: what it changes (before → after) and what is wrong with it."""

    sheet: str
    number: int
    project: str
    what: str
    before: str = ""
    after: str = ""
    problems: list = field(default_factory=list)
    notes: list = field(default_factory=list)  # worth a look, but not wrong (spend beyond the allocation)

    @property
    def changed(self):
        return self.before != self.after


@dataclass
class Planned:
    """What applying will save for one project's task; None for a figure the file does not hold."""

    update: object
    actuals: dict = field(default_factory=dict)  # {Indicator: value}
    spend: object = None
    expected_spend: object = None
    changed: bool = False


@dataclass
class Preview:
    refused: str = ""  # the whole file is unusable: why
    rows: list = field(default_factory=list)  # Change, in sheet order
    planned: dict = field(default_factory=dict)  # {update id: Planned}
    versions: dict = field(default_factory=dict)  # {update id: version}, as this preview saw them

    @property
    def changes(self):
        return [row for row in self.rows if row.changed and not row.problems]

    @property
    def problems(self):
        return [row for row in self.rows if row.problems]

    @property
    def unchanged_count(self):
        return sum(not row.changed and not row.problems for row in self.rows)

    @property
    def can_apply(self):
        return not self.refused and not self.problems and any(p.changed for p in self.planned.values())


def _name(value):
    return " ".join(str(value).split()).casefold() if value is not None else ""


def _text(value):
    return "" if value is None else " ".join(str(value).split())


def _figure(value, *, what, unit=None, problems):
    """The cell as the form would read it: parse_decimal, then the unit's own field (whole counts, % ≤ 100)."""
    try:
        number = parse_decimal(value, what=what)
        if number is None:
            return None
        # normalize(): 70.00 is a whole number to the count's field, as "70" typed on the form is.
        return number_field(what, unit=unit, noun=what).clean(number.normalize()).quantize(PENNY)
    except ValueError as error:
        problems.append(str(error))
    except forms.ValidationError as error:
        problems.extend(error.messages)
    return None


def _indicator_rows(preview, sheet, tasks):
    by_name = {_name(task.project.name): task for task in tasks}
    seen = {}
    for row in read_rows(sheet, columns=INDICATOR_READ):
        project_name, indicator_name = _text(row.values["project"]), _text(row.values["indicator"])
        change = Change(sheet=INDICATORS, number=row.number, project=project_name, what=indicator_name)
        change.problems.extend(row.problems)
        preview.rows.append(change)
        task = by_name.get(_name(project_name))
        if task is None:
            change.problems.append(
                f"project '{project_name}' is not in this return" if project_name else "the project's name is missing"
            )
            continue
        match = [r for r in task.indicators if _name(r.indicator.name) == _name(indicator_name)]
        if not match:
            change.problems.append(
                f"indicator '{indicator_name}' is not in this return for {task.project.name}"
                if indicator_name
                else "the indicator's name is missing"
            )
            continue
        indicator_row = match[0]
        indicator = indicator_row.indicator
        key = (task.update.pk, indicator.pk)
        if key in seen:
            change.problems.append(f"indicator '{indicator.name}' is already on row {seen[key]}")
            continue
        seen[key] = row.number
        change.what = indicator.name
        value = _figure(row.values["actual"], what=indicator.name, unit=indicator.unit, problems=change.problems)
        change.before, change.after = _shown(indicator, indicator_row.value), _shown(indicator, value)
        if change.problems:
            continue
        if value is None and task.update.status == SectionStatus.COMPLETED:
            change.problems.append(f"{indicator.name} cannot be blank: {task.project.name} is marked as completed")
            continue
        planned = preview.planned[task.update.pk]
        planned.actuals[indicator] = value
        planned.changed |= change.changed


def _spend_rows(preview, sheet, tasks):
    by_name = {_name(task.project.name): task for task in tasks}
    seen = {}
    for row in read_rows(sheet, columns=SPEND_READ):
        project_name = _text(row.values["project"])
        task = by_name.get(_name(project_name))
        base = {"sheet": SPEND, "number": row.number, "project": task.project.name if task else project_name}
        spend_change = Change(what="Spend this quarter", **base, problems=list(row.problems))
        expected_change = Change(what="Expected spend for the rest of the year", **base)
        preview.rows += [spend_change, expected_change]
        if task is None:
            spend_change.problems.append(
                f"project '{project_name}' is not in this return" if project_name else "the project's name is missing"
            )
            continue
        if task.update.pk in seen:
            spend_change.problems.append(f"{task.project.name} is already on row {seen[task.update.pk]}")
            continue
        seen[task.update.pk] = row.number
        update = task.update
        spend = _figure(row.values["spend"], what="Spend this quarter", problems=spend_change.problems)
        expected = _figure(
            row.values["expected"], what="Expected spend for the rest of the year", problems=expected_change.problems
        )
        spend_change.before, spend_change.after = _money(update.spend), _money(spend)
        expected_change.before, expected_change.after = _money(update.expected_spend), _money(expected)
        if spend is None and update.status == SectionStatus.COMPLETED and not spend_change.problems:
            spend_change.problems.append(
                f"Spend this quarter cannot be blank: {task.project.name} is marked as completed (enter 0 if nothing "
                "was spent)"
            )
        if spend_change.problems or expected_change.problems:
            continue
        line = task.spend.with_this_quarter(spend)
        if spend_change.changed and line.over:
            spend_change.notes.append(
                f"Spend to date would be £{line.to_date:,.2f}, £{line.over_by:,.2f} more than the "
                f"£{line.allocation:,.2f} allocation. Confirming says it is right"
            )
        planned = preview.planned[update.pk]
        planned.spend, planned.expected_spend = spend, expected
        planned.changed |= spend_change.changed or expected_change.changed


def quarter_preview(*, import_):
    """What applying `import_` would change in its return, row by row, with every problem on its row.

    Reads the stored file again against the return as it is now, in a fixed number of queries however
    many projects it has. A file that cannot be used at all comes back as `Preview(refused=...)`.
    """
    return_ = import_.return_of
    overview = load_overview(return_)
    preview = Preview()
    for task in overview.tasks:
        update = task.update
        preview.versions[update.pk] = update.version
        preview.planned[update.pk] = Planned(update=update, spend=update.spend, expected_spend=update.expected_spend)
    try:
        with import_.file.open("rb") as stored:
            upload = io.BytesIO(stored.read())
        upload.name = "upload.xlsx"
        sheet = open_sheet(upload, sheet_name=INDICATORS)
        workbook = sheet.parent
        try:
            check_meta(workbook, return_)
            _indicator_rows(preview, sheet, overview.tasks)
            if SPEND not in workbook.sheetnames:
                raise ImportFileError(f"The selected file has no sheet called '{SPEND}'. Download the template again")
            spend_sheet = workbook[SPEND]
            spend_sheet.reset_dimensions()
            _spend_rows(preview, spend_sheet, overview.tasks)
        finally:
            workbook.close()
    except ImportFileError as error:
        return Preview(refused=str(error))
    except OSError:
        return Preview(refused="The uploaded file can no longer be read. Upload it again")
    return preview
