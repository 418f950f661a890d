"""A year's projects as a spreadsheet, for OPCC admins: the template to fill in, and the preview of an upload.

The workbook has two sheets keyed by borough and project name, so a project's details are written once however
many indicators it has: "Projects" (one row per project: borough, name, partner, description, the year's
allocation, its Plan priorities separated by semicolons) and "Indicators" (one row per indicator, naming its
borough and project, with unit and targets). A third sheet, "How to fill this in", lists the valid borough names,
the year's Plan priorities and the units; a signed hidden sheet (reading.write_meta) says which year it is for.

A row is matched to an existing project by borough and name, ignoring case and spacing, and to an existing
indicator of that project by name, so uploading the filled template again updates rather than duplicates.
Projects and indicators missing from the file are left as they are: an import never closes or removes anything.

The preview reads everything it compares against in a fixed number of queries, however many rows the file has.
Nothing here writes: `returns/services/project_imports.py` applies a preview.
"""

import re
from dataclasses import dataclass, field
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from boroughs.models import Borough
from boroughs.text import control_characters, normalise_newlines, strip_control_characters

from ..models import NARRATIVE_MAX, SHORT_TEXT_MAX, Indicator, PlanPriority, Project, ProjectYear
from .reading import TEMPLATE_HINT, ImportFileError, open_sheet, parse_decimal, read_meta, read_rows, write_meta

KIND = "projects"
PROJECTS_SHEET, INDICATORS_SHEET, HELP_SHEET = "Projects", "Indicators", "How to fill this in"
PROJECT_COLUMNS = {
    "borough": "Borough",
    "name": "Project",
    "partner": "Delivery partner",
    "description": "Description",
    "allocation": "Allocation (£)",
    "priorities": "Plan priorities",
}
INDICATOR_COLUMNS = {
    "borough": "Borough",
    "project": "Project",
    "name": "Indicator",
    "unit": "Unit",
    "baseline": "Baseline",
    "minimum": "Minimum target",
    "aspirational": "Aspirational target",
    "higher": "Higher is better",
}
HINT = "Download the template again from the year's “Import projects” page and fill that in"
# What people type for a unit: its label ("Pounds (£)"), its value ("pounds") or the usual short forms.
UNITS = {
    **{label.casefold(): value for value, label in Indicator.Unit.choices},
    **{value: value for value in Indicator.Unit.values},
    "%": Indicator.Unit.PERCENT,
    "percent": Indicator.Unit.PERCENT,
    "£": Indicator.Unit.POUNDS,
    "hour": Indicator.Unit.HOURS,
}
YES, NO = {"yes", "y", "true", "1"}, {"no", "n", "false", "0"}
PRIORITY_SEPARATOR = re.compile(r"[;\n]")

NEW, CHANGED, UNCHANGED, PROBLEM = "new", "changed", "unchanged", "problem"


def normal(text):
    """How names are compared: spacing and case do not matter ("youth  Violence" is "Youth violence")."""
    return " ".join(str(text).split()).casefold()


def money(value):
    return "" if value is None else f"£{value:,.2f}"


def number(value):
    if value is None:
        return ""
    return f"{value.normalize():,f}" if value == value.to_integral_value() else f"{value:,.2f}"


# --- The template ------------------------------------------------------------------------------------------

HEADER_FONT, HEADER_FILL = Font(bold=True), PatternFill("solid", fgColor="D9D9D9")


def year_projects(year):
    """The projects a year's template is pre-filled with: those its returns carry, of active boroughs."""
    return (
        Project.objects.carried_into(year)
        .filter(borough__active=True)
        .select_related("borough")
        .prefetch_related("priorities", "indicators")
        .order_by("borough__name", "name", "pk")
    )


def year_allocations(year, projects):
    """{project id: the year's allocation}: its ProjectYear for `year` where opening the year recorded one."""
    rows = ProjectYear.objects.filter(financial_year=year, project__in=projects)
    allocations = {p.pk: p.csf_allocation for p in projects}
    allocations.update(rows.values_list("project_id", "csf_allocation"))
    return allocations


def projects_template(year):
    """The XLSX an admin fills in: headers, the year's projects and indicators pre-filled, and the help sheet."""
    projects = list(year_projects(year))
    allocations = year_allocations(year, projects)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = PROJECTS_SHEET
    _fill(
        sheet,
        PROJECT_COLUMNS.values(),
        [
            [
                p.borough.name,
                p.name,
                p.delivery_partner,
                p.description,
                allocations[p.pk],
                "; ".join(priority.name for priority in p.priorities.all()),
            ]
            for p in projects
        ],
        widths=[18, 40, 30, 50, 16, 60],
    )
    sheet.column_dimensions["E"].number_format = "£#,##0.00"  # rows typed in later
    for row in range(2, len(projects) + 2):
        sheet.cell(row=row, column=5).number_format = "£#,##0.00"
    indicators = workbook.create_sheet(INDICATORS_SHEET)
    _fill(
        indicators,
        INDICATOR_COLUMNS.values(),
        [
            [
                p.borough.name,
                p.name,
                i.name,
                i.get_unit_display(),
                i.baseline,
                i.minimum_target,
                i.aspirational_target,
                "Yes" if i.higher_is_better else "No",
            ]
            for p in projects
            for i in p.indicators.all()
        ],
        widths=[18, 40, 40, 14, 12, 16, 18, 16],
    )
    _choices(indicators, "D", [label for _, label in Indicator.Unit.choices])
    _choices(indicators, "H", ["Yes", "No"])
    _help(workbook.create_sheet(HELP_SHEET), year)
    write_meta(workbook, kind=KIND, year=year.label)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _fill(sheet, header, rows, *, widths):
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    for values in rows:
        sheet.append([strip_control_characters(v) if isinstance(v, str) else v for v in values])
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # a name typed as "=…" is text, never a formula
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _choices(sheet, column, values):
    # A drop-down helps; it is not the check (the preview is), so typing something else is allowed through.
    check = DataValidation(
        type="list", formula1='"' + ",".join(values) + '"', allow_blank=True, showErrorMessage=False
    )
    check.add(f"{column}2:{column}2000")
    sheet.add_data_validation(check)


def _help(sheet, year):
    boroughs = Borough.objects.active().order_by("name").values_list("name", flat=True)
    priorities = PlanPriority.objects.for_year(year).select_related("plan").order_by("plan__name", "order", "name")
    lines = [
        [f"Projects for {year.label}: how to fill this in"],
        [],
        ["Projects sheet: one row per project. Borough and Project name it; a row with the name of an existing "
         "project of that borough (ignoring case and spaces) changes that project, any other adds a new one."],
        ["Allocation (£): the project's Community Safety Fund allocation for the year, like 40000 or 12,500.50."],
        ["Plan priorities: the priorities it serves, exactly as listed below, separated by semicolons (;)."],
        ["Indicators sheet: one row per indicator, naming its borough and project as on the Projects sheet. "
         "Targets are for the whole year; the aspirational target must be at least the minimum when a higher "
         "number is better, and at most the minimum when it is not."],
        ["Type figures, not formulas: a cell holding a formula is refused."],
        ["Projects and indicators you leave out are kept as they are: the import never closes or removes anything."],
        ["You see every change before it is made, and nothing is changed until you confirm."],
        [],
        ["Boroughs"],
        *[[name] for name in boroughs],
        [],
        [f"Police and Crime Plan priorities for {year.label}"],
        *([[p.name] for p in priorities] or [["(no plan is linked to this year yet)"]]),
        [],
        ["Units"],
        *[[label] for _, label in Indicator.Unit.choices],
    ]  # fmt: skip
    for line in lines:
        sheet.append([strip_control_characters(v) for v in line])
    for cells in sheet.iter_rows():
        for cell in cells:
            cell.data_type = "s"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if cell.value in {"Boroughs", "Units"} or str(cell.value).startswith(("Police and Crime", "Projects for")):
                cell.font = HEADER_FONT
    sheet.column_dimensions["A"].width = 110


# --- Reading an upload -------------------------------------------------------------------------------------


def read_workbook(upload, *, year):
    """(project rows, indicator rows) of an uploaded template for `year`; ImportFileError when the file won't do."""
    try:
        sheet = open_sheet(upload, sheet_name=PROJECTS_SHEET)
        workbook = sheet.parent
        try:
            meta = read_meta(workbook)
            if meta.get("kind") != KIND:
                raise ImportFileError(f"The selected file is not a template of a year's projects. {TEMPLATE_HINT}")
            if meta.get("year") != year.label:
                raise ImportFileError(
                    f"The selected file is the template for {meta.get('year') or 'another year'}, not {year.label}. "
                    + TEMPLATE_HINT
                )
            projects = read_rows(sheet, columns=PROJECT_COLUMNS)
            if INDICATORS_SHEET not in workbook.sheetnames:
                raise ImportFileError(f"The selected file has no sheet called '{INDICATORS_SHEET}'. {TEMPLATE_HINT}")
            indicator_sheet = workbook[INDICATORS_SHEET]
            indicator_sheet.reset_dimensions()
            indicators = read_rows(indicator_sheet, columns=INDICATOR_COLUMNS)
        finally:
            workbook.close()
    except ImportFileError as error:
        # reading.py's hint points at a return's task list; this template comes from the year's import page.
        raise ImportFileError(str(error).replace(TEMPLATE_HINT, HINT)) from error
    except Exception as error:  # a hostile file (a chart where a sheet should be, …): a message, never a 500
        raise ImportFileError(f"The selected file is damaged and cannot be read. {HINT}") from error
    return projects, indicators


# --- The preview -------------------------------------------------------------------------------------------


@dataclass
class Change:
    field: str
    before: str
    after: str


@dataclass
class PreviewRow:
    sheet: str
    number: int
    title: str
    problems: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    target: object = None  # the existing Project or Indicator the row matches, if any
    values: dict = field(default_factory=dict)  # the cleaned values to write
    key: tuple = ()  # (borough id, normal name) of the project the row is or belongs to

    @property
    def status(self):
        if self.problems:
            return PROBLEM
        if self.target is None:
            return NEW
        return CHANGED if self.changes else UNCHANGED

    @property
    def anchor(self):
        return f"{self.sheet.lower()}-row-{self.number}"


@dataclass
class Preview:
    year: object
    projects: list[PreviewRow] = field(default_factory=list)
    indicators: list[PreviewRow] = field(default_factory=list)
    file_problem: str = ""

    @property
    def rows(self):
        return [*self.projects, *self.indicators]

    @property
    def problem_rows(self):
        return [row for row in self.rows if row.problems]

    @property
    def is_valid(self):
        return not self.file_problem and not self.problem_rows and bool(self.projects)

    def count(self, rows, status):
        return sum(1 for row in rows if row.status == status)

    @property
    def summary(self):
        """{"projects": {status: n}, "indicators": {status: n}}"""
        return {
            name: {s: self.count(rows, s) for s in (NEW, CHANGED, UNCHANGED, PROBLEM)}
            for name, rows in (("projects", self.projects), ("indicators", self.indicators))
        }

    def seen(self):
        """What the preview matched, by id and version: applying it checks nothing has moved since."""
        return {
            "projects": {str(r.target.pk): r.target.version for r in self.projects if r.target is not None},
            "indicators": {str(r.target.pk): r.target.version for r in self.indicators if r.target is not None},
        }


def projects_preview(*, import_):
    """Each row of the upload as a new project or indicator, a change (before → after per field), unchanged, or
    its problems. Reads the stored file again, so it shows what confirming would apply now."""
    year = import_.financial_year
    try:
        with import_.file.open("rb") as stored:
            data = BytesIO(stored.read())
        project_rows, indicator_rows = read_workbook(data, year=year)
    except ImportFileError as error:
        return Preview(year=year, file_problem=str(error))
    except (OSError, ValueError):  # gone from storage
        return Preview(year=year, file_problem="The uploaded file can no longer be read. Upload it again")
    if not project_rows:
        return Preview(year=year, file_problem=f"The '{PROJECTS_SHEET}' sheet has no projects: fill in a row for each")
    known = _Known(year)
    preview = Preview(year=year)
    preview.projects = [_project_row(row, known) for row in project_rows]
    preview.indicators = [_indicator_row(row, known) for row in indicator_rows]
    return preview


class _Known:
    """Everything a preview compares rows with, read in a fixed number of queries."""

    def __init__(self, year):
        self.year = year
        self.boroughs = {normal(b.name): b for b in Borough.objects.all()}
        projects = list(Project.objects.select_related("borough").prefetch_related("priorities"))
        self.projects = {(p.borough_id, normal(p.name)): p for p in projects}
        self.indicators = {(i.project_id, normal(i.name)): i for i in Indicator.objects.all()}
        funded = ProjectYear.objects.values_list("project_id", "financial_year_id", "csf_allocation")
        self.has_years = {project_id for project_id, _, _ in funded}
        self.allocations = {project_id: amount for project_id, year_id, amount in funded if year_id == year.pk}
        self.priorities = {normal(p.name): p for p in PlanPriority.objects.for_year(year)}
        self.in_file = {}  # project key -> row number on the Projects sheet
        self.indicators_in_file = {}

    def allocation(self, project):
        return self.allocations.get(project.pk, project.csf_allocation)

    def funded(self, project):
        # A project a year's opening did not record for this year (closed at the opening) is not in it.
        return project.pk in self.allocations or project.pk not in self.has_years


def _refused(row, label):
    """Whether reading the row already refused this column's cell (a formula, an error value)."""
    return any(f"'{label}'" in problem for problem in row.problems)


def _text(row, key, label, problems, *, max_length=SHORT_TEXT_MAX, required=False):
    value = row.values.get(key)
    if value is None:
        text = ""
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    else:
        text = str(value)
    text = normalise_newlines(text).strip()
    if required and not text and not _refused(row, label):
        problems.append(f"Enter the {label.lower()}")
    found = control_characters(text)
    if found:
        problems.append(f"Remove {', '.join(found)} from '{label}': it can come from pasting out of Word")
    if len(text) > max_length:
        problems.append(f"'{label}' must be {max_length:,} characters or fewer (it has {len(text):,})")
    return text


def _decimal(row, key, label, problems, *, required):
    what = f"The {label[0].lower()}{label[1:]}".removesuffix(" (£)")
    try:
        value = parse_decimal(row.values.get(key), what=what)
    except ValueError as error:
        message = str(error)
        # "'twelve' is not a number" says which value but not where: name the column too.
        problems.append(f"{label}: {message}" if message.startswith("'") else message)
        return None
    if value is None and required and not _refused(row, label):
        problems.append(f"Enter {what[0].lower()}{what[1:]}")
    return value


def _borough(row, known, problems):
    name = _text(row, "borough", "Borough", problems, required=True)
    if not name:
        return None
    borough = known.boroughs.get(normal(name))
    if borough is None:
        problems.append(f"'{name}' is not a borough: use a name listed on the '{HELP_SHEET}' sheet")
    elif not borough.active:
        problems.append(f"{borough.name} is not an active partnership")
        return None
    return borough


def _project_row(row, known):
    problems = list(row.problems)
    borough = _borough(row, known, problems)
    name = _text(row, "name", "Project", problems, required=True)
    partner = _text(row, "partner", "Delivery partner", problems)
    description = _text(row, "description", "Description", problems, max_length=NARRATIVE_MAX)
    allocation = _decimal(row, "allocation", PROJECT_COLUMNS["allocation"], problems, required=True)
    result = PreviewRow(PROJECTS_SHEET, row.number, f"{borough.name if borough else '?'}: {name or '?'}")
    key = (borough.pk, normal(name)) if borough and name else None
    project = known.projects.get(key) if key else None
    priorities = _priorities(row, known, project, problems)
    if key in known.in_file:
        problems.append(f"{borough.name}: {name} is already on row {known.in_file[key]}")
    elif key:
        known.in_file[key] = row.number
    if project is not None and project.status != Project.Status.ACTIVE:
        problems.append(
            f"{borough.name}'s {project.name} is {project.get_status_display().lower()}: "
            "reopen it on its page first, or give this project another name"
        )
    result.problems, result.target, result.key = problems, project, key
    result.values = {
        "borough": borough,
        # Matched by name: the name is what it was (an import adds projects or changes them, never renames).
        "name": project.name if project else name,
        "delivery_partner": partner,
        "description": description,
        "allocation": allocation,
        "priorities": priorities,
    }
    if project is not None and not problems:
        before = sorted(p.name for p in project.priorities.all())
        result.changes = [
            Change(label, b, a)
            for label, b, a in (
                ("Delivery partner", project.delivery_partner, partner),
                ("Description", project.description, description),
                (f"Allocation for {known.year.label}", money(known.allocation(project)), money(allocation)),
                ("Plan priorities", "; ".join(before), "; ".join(sorted(p.name for p in priorities))),
                (f"Funded in {known.year.label}", "Yes" if known.funded(project) else "No", "Yes"),
            )
            if b != a
        ]
    return result


def _priorities(row, known, project, problems):
    text = _text(row, "priorities", "Plan priorities", problems, max_length=NARRATIVE_MAX)
    # As on the project form: the year's plan, plus what the project already serves (a plan may move on).
    choosable = {**known.priorities, **({normal(p.name): p for p in project.priorities.all()} if project else {})}
    chosen = {}
    for part in PRIORITY_SEPARATOR.split(text):
        if not part.strip():
            continue
        priority = choosable.get(normal(part))
        if priority is None:
            problems.append(f"'{part.strip()}' is not a priority of the {known.year.label} Police and Crime Plan")
        else:
            chosen[priority.pk] = priority
    return list(chosen.values())


def _indicator_row(row, known):
    problems = list(row.problems)
    borough = _borough(row, known, problems)
    project_name = _text(row, "project", "Project", problems, required=True)
    name = _text(row, "name", "Indicator", problems, required=True)
    unit_text = _text(row, "unit", "Unit", problems, required=True)
    unit = UNITS.get(normal(unit_text).removesuffix("s")) or UNITS.get(normal(unit_text))
    if unit_text and unit is None:
        problems.append(f"'{unit_text}' is not a unit: use Count, Percentage, Pounds (£) or Hours")
    baseline = _decimal(row, "baseline", "Baseline", problems, required=False)
    minimum = _decimal(row, "minimum", "Minimum target", problems, required=True)
    aspiration = _decimal(row, "aspirational", "Aspirational target", problems, required=True)
    higher = _yes_no(row, problems)
    if unit == Indicator.Unit.PERCENT:
        targets = (
            ("The baseline", baseline),
            ("The minimum target", minimum),
            ("The aspirational target", aspiration),
        )
        for what, value in targets:
            if value is not None and value > 100:
                problems.append(f"{what} must be 100% or less")
    if minimum is not None and aspiration is not None and higher is not None:
        if higher and aspiration < minimum:
            problems.append(
                "The aspirational target must be at least the minimum target when a higher number is better"
            )
        if not higher and aspiration > minimum:
            problems.append("When lower is better, the aspirational target must be at most the minimum target")
    project_key = (borough.pk, normal(project_name)) if borough and project_name else None
    if project_key and project_key not in known.in_file:
        problems.append(f"{borough.name}: {project_name} is not on the '{PROJECTS_SHEET}' sheet: add it there")
    title = f"{borough.name if borough else '?'}: {project_name or '?'}: {name or '?'}"
    result = PreviewRow(INDICATORS_SHEET, row.number, title, key=project_key)
    project = known.projects.get(project_key) if project_key else None
    indicator = known.indicators.get((project.pk, normal(name))) if project and name else None
    key = (project_key, normal(name))
    if project_key and name and key in known.indicators_in_file:
        problems.append(f"{borough.name}: {project_name}: {name} is already on row {known.indicators_in_file[key]}")
    elif project_key and name:
        known.indicators_in_file[key] = row.number
    result.problems, result.target = problems, indicator
    result.values = {
        "name": indicator.name if indicator else name,
        "unit": unit,
        "baseline": baseline,
        "minimum_target": minimum,
        "aspirational_target": aspiration,
        "higher_is_better": higher,
    }
    if indicator is not None and not problems:
        result.changes = [
            Change(label, b, a)
            for label, b, a in (
                ("Unit", indicator.get_unit_display(), Indicator.Unit(unit).label),
                ("Baseline", number(indicator.baseline), number(baseline)),
                ("Minimum target", number(indicator.minimum_target), number(minimum)),
                ("Aspirational target", number(indicator.aspirational_target), number(aspiration)),
                ("Higher is better", "Yes" if indicator.higher_is_better else "No", "Yes" if higher else "No"),
            )
            if b != a
        ]
    return result


def _yes_no(row, problems):
    value = row.values.get("higher")
    if isinstance(value, bool):
        return value
    text = normal(value) if value is not None else ""
    if text in YES:
        return True
    if text in NO:
        return False
    if not _refused(row, "Higher is better"):
        problems.append(f"Enter Yes or No in 'Higher is better'{f', not {value!r}' if text else ''}")
    return None
