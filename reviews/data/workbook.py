"""The year's data for analysts as an XLSX workbook, and the sheet definitions every format shares.

SHEETS is the one description of the data: a list of columns per sheet, each with its header, its
description (the "Read me" sheet lists every one), its type and how to get its value from a row of
reviews/data/selectors.py. The workbook (here) and the zipped CSVs (csvzip.py) are both written from it.

Typed cells: numbers are numbers, money is a number with a £ format, dates and times are real dates
(in UK time); text goes through the one spreadsheet rule (reviews/exports/csv.py cell_text: control
characters stripped, "- " list markers dropped, a leading formula prefix neutralised). openpyxl's
write-only mode streams rows to disk, so memory stays bounded however large the year.
"""

from dataclasses import dataclass
from datetime import datetime
from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ..exports.csv import cell_text

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXTENSION = "xlsx"

TEXT, NUMBER, MONEY, DATE, DATETIME, PERCENT = "text", "number", "money", "date", "datetime", "percent"
TYPE_NAMES = {
    TEXT: "Text",
    NUMBER: "Number",
    MONEY: "Money (£)",
    DATE: "Date",
    DATETIME: "Date and time (UK)",
    PERCENT: "Percentage",
}
NUMBER_FORMATS = {
    NUMBER: "General",
    MONEY: '"£"#,##0.00',
    DATE: "yyyy-mm-dd",
    DATETIME: "yyyy-mm-dd hh:mm",
    PERCENT: "0.0%",
}
WIDTHS = {TEXT: 30, NUMBER: 12, MONEY: 14, DATE: 12, DATETIME: 17, PERCENT: 10}
HEADER_FONT = Font(bold=True)


@dataclass(frozen=True)
class Column:
    header: str
    kind: str
    description: str
    key: str  # the row's key for the value (reviews/data/selectors.py)

    def get(self, row):
        return row[self.key]

    @property
    def type_name(self):
        return TYPE_NAMES[self.kind]


@dataclass(frozen=True)
class Sheet:
    name: str  # the sheet's title; the CSV's file name is made from it
    rows: str  # the YearData method that gives its rows
    columns: tuple

    @property
    def file_name(self):
        return self.name.lower().replace(" ", "-") + ".csv"


BOROUGH = Column("Borough", TEXT, "The Community Safety Partnership's borough.", "return_of__borough__name")
QUARTER = Column(
    "Quarter", NUMBER, "The quarter of the financial year: 1 (April to June) to 4.", "return_of__period__quarter"
)
RETURN_STATUS = Column(
    "Return status", TEXT, "Status of the return it belongs to (draft ones included).", "return_status"
)

SHEETS = (
    Sheet(
        "Returns",
        "returns",
        (
            Column("Borough", TEXT, "The Community Safety Partnership's borough.", "borough__name"),
            Column("Quarter", NUMBER, "The quarter of the financial year: 1 (April to June) to 4.", "period__quarter"),
            Column("Quarter starts", DATE, "First day of the quarter.", "period__start_date"),
            Column("Quarter ends", DATE, "Last day of the quarter.", "period__end_date"),
            Column("Due", DATE, "The day the return is due, including any extension given to the borough.", "due_on"),
            Column("Status", TEXT, "Draft, Submitted, Changes requested, Resubmitted or Accepted.", "status_label"),
            Column("Started", DATETIME, "When the borough started the return.", "created"),
            Column("Submitted", DATETIME, "When it was last submitted; empty for a draft.", "submitted_at"),
            Column("Submitted by", TEXT, "Who last submitted it.", "submitted_by"),
            Column("Changes requested", NUMBER, "How many times the OPCC asked for changes.", "changes_requested"),
            Column("Accepted", DATETIME, "When the OPCC last accepted it; empty if never.", "accepted_at"),
        ),
    ),
    Sheet(
        "Project updates",
        "project_updates",
        (
            BOROUGH,
            QUARTER,
            RETURN_STATUS,
            Column("Project", TEXT, "The funded project.", "project__name"),
            Column("Delivery partner", TEXT, "Who delivers the project.", "project__delivery_partner"),
            Column(
                "Task status", TEXT, "Not started, In progress or Completed: the officer's progress.", "task_status"
            ),
            Column("Allocation", MONEY, "The project's Community Safety Fund allocation for the year.", "allocation"),
            Column("Spend", MONEY, "Spend reported for this quarter.", "spend"),
            Column(
                "Expected spend", MONEY, "The officer's estimate of spend for the rest of the year.", "expected_spend"
            ),
            Column(
                "Computed RAG",
                TEXT,
                "Red, Amber or Green from the indicators against their targets (the worst indicator).",
                "computed_rag",
            ),
            Column("RAG override", TEXT, "The officer's own rating, where they rated it differently.", "override_rag"),
            Column("Override reason", TEXT, "Why the officer rated it differently.", "rag_reason"),
            Column("RAG", TEXT, "The rating shown on the return: the override if any, else the computed one.", "rag"),
            Column("Activity", TEXT, "Activity this quarter, as the officer wrote it.", "activity"),
            Column("Outcomes", TEXT, "Outcomes achieved, as the officer wrote them.", "outcomes"),
            Column("Last updated", DATETIME, "When the update was last saved.", "updated"),
        ),
    ),
    Sheet(
        "Indicator actuals",
        "indicator_actuals",
        (
            Column("Borough", TEXT, "The Community Safety Partnership's borough.", "borough"),
            Column("Quarter", NUMBER, "The quarter of the financial year: 1 (April to June) to 4.", "quarter"),
            Column("Project", TEXT, "The funded project.", "project"),
            Column("Indicator", TEXT, "What the project measures.", "indicator"),
            Column("Unit", TEXT, "Count, Percentage, Pounds (£) or Hours.", "unit"),
            Column("Baseline", NUMBER, "Where the measure started, if given.", "baseline"),
            Column("Minimum target", NUMBER, "The year's minimum target (below it: Red).", "minimum_target"),
            Column(
                "Aspirational target",
                NUMBER,
                "The year's aspirational target (at or beyond it: Green).",
                "aspirational_target",
            ),
            Column("Higher is better", TEXT, "Yes, or No where a lower figure is the better one.", "higher_is_better"),
            Column("Actual", NUMBER, "The figure reported for the quarter; empty if none yet.", "value"),
            Column(
                "Year to date",
                NUMBER,
                "Sum of the year's actuals so far (average for percentages).",
                "ytd",
            ),
            Column(
                "RAG",
                TEXT,
                "The year to date against the share of the targets due by this quarter (rates: the actual).",
                "rag",
            ),
        ),
    ),
    Sheet(
        "Flags",
        "flags",
        (
            Column("Borough", TEXT, "The Community Safety Partnership's borough.", "borough__name"),
            Column("Quarter", NUMBER, "The quarter the flag was raised in.", "period__quarter"),
            Column("Flag", TEXT, "The kind of evidence-quality problem.", "flag_type__name"),
            Column("About", TEXT, "The annex column or the project it is about.", "about"),
            Column(
                "Visibility",
                TEXT,
                "Shared with the partnership, or OPCC only (never shown to officers).",
                "visibility_label",
            ),
            Column("Status", TEXT, "Open or Resolved.", "status_label"),
            Column("Note", TEXT, "The reviewer's note.", "note"),
            Column("Raised", DATETIME, "When it was raised.", "raised_at"),
            Column("Raised by", TEXT, "Who raised it.", "raised_by"),
            Column("Resolved", DATETIME, "When it was resolved; empty while open.", "resolved_at"),
            Column("Resolved by", TEXT, "Who resolved it.", "resolved_by"),
            Column("Resolution", TEXT, "How it was resolved.", "resolution"),
        ),
    ),
    Sheet(
        "Risks",
        "risks",
        (
            BOROUGH,
            QUARTER,
            RETURN_STATUS,
            Column("Project", TEXT, "The project the risk is about, if any.", "project__name"),
            Column("Risk", TEXT, "The risk, as the officer described it.", "description"),
            Column("Likelihood", NUMBER, "1 (rare) to 5 (almost certain).", "likelihood"),
            Column("Impact", NUMBER, "1 (negligible) to 5 (severe).", "impact"),
            Column("Score", NUMBER, "Likelihood × impact, 1 to 25.", "score"),
            Column("Band", TEXT, "Low (1–4), Medium (5–12) or High (15–25).", "band"),
            Column("Mitigation", TEXT, "What is being done about it.", "mitigation"),
            Column("Owner", TEXT, "Who owns the risk.", "owner"),
            Column("Status", TEXT, "Open or Closed.", "status_label"),
        ),
    ),
    Sheet(
        "Community engagement",
        "community_engagement",
        (
            BOROUGH,
            QUARTER,
            RETURN_STATUS,
            Column("Date", DATE, "When the engagement took place.", "date"),
            Column("Title", TEXT, "The event or activity.", "title"),
            Column("Description", TEXT, "What happened.", "description"),
            Column("People reached", NUMBER, "How many people it reached.", "people_reached"),
            Column("Partners", TEXT, "Who took part with the partnership.", "partners"),
        ),
    ),
    Sheet(
        "OPCC engagement",
        "opcc_engagement",
        (
            BOROUGH,
            QUARTER,
            RETURN_STATUS,
            Column("Date", DATE, "When it took place.", "date"),
            Column("What happened", TEXT, "The event, publicity or contact with the OPCC.", "what"),
            Column(
                "PCC or Deputy PCC", TEXT, "Whether the PCC or the Deputy attended, were invited, or not.", "pcc_label"
            ),
            Column("PCC logo used", TEXT, "Yes or No.", "logo_label"),
        ),
    ),
)

README = Sheet(
    "Read me",
    "",
    (
        Column("Sheet", TEXT, "The sheet the column is on.", "sheet"),
        Column("Column", TEXT, "The column's header.", "column"),
        Column("Type", TEXT, "Text, Number, Money (£), Date, Date and time (UK) or Percentage.", "type"),
        Column("Description", TEXT, "What the column holds.", "description"),
    ),
)


def readme_rows():
    """A row for every column of every sheet, the Read me's own columns included."""
    for sheet in (README, *SHEETS):
        for column in sheet.columns:
            yield {
                "sheet": sheet.name,
                "column": column.header,
                "type": column.type_name,
                "description": column.description,
            }


def tables(data):
    """(sheet, its rows) for the Read me and every sheet of `data` (a reviews.data.selectors.YearData)."""
    yield README, readme_rows()
    for sheet in SHEETS:
        yield sheet, getattr(data, sheet.rows)()


def render(data):
    workbook = Workbook(write_only=True)
    for sheet, rows in tables(data):
        worksheet = workbook.create_sheet(sheet.name)
        worksheet.freeze_panes = "A2"
        for index, column in enumerate(sheet.columns, start=1):
            worksheet.column_dimensions[get_column_letter(index)].width = WIDTHS[column.kind]
        worksheet.append([_header(worksheet, column.header) for column in sheet.columns])
        for row in rows:
            worksheet.append([_cell(worksheet, column, column.get(row)) for column in sheet.columns])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _header(worksheet, text):
    cell = WriteOnlyCell(worksheet, value=text)
    cell.font = HEADER_FONT
    return cell


def _cell(worksheet, column, value):
    if value is None or value == "":
        return None
    if column.kind == TEXT:
        return cell_text(str(value))
    cell = WriteOnlyCell(worksheet, value=excel_value(value))
    cell.number_format = NUMBER_FORMATS[column.kind]
    return cell


def excel_value(value):
    """Spreadsheets have no time zones: a moment is written as UK wall-clock time."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return value
