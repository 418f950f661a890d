"""The annex as a workbook: a sheet per borough laid out like the document, then the analysts' data sheets."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from boroughs.text import strip_control_characters

from .csv import cell_text
from .tables import DATA_SHEETS, annex_layout

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXTENSION = "xlsx"

_INVALID_TITLE = str.maketrans(dict.fromkeys("[]:*?/\\", " "))
WRAP = Alignment(wrap_text=True, vertical="top")
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")


def render(annex):
    workbook = Workbook(write_only=False)
    workbook.remove(workbook.active)
    titles = set()
    for section in annex.boroughs:
        header, rows = annex_layout(annex, section)
        sheet = workbook.create_sheet(_title(section.name, titles))
        _fill(sheet, header, rows, width=45)
        sheet.print_options.gridLines = True
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.print_title_rows = "1:1"
    for name, build in DATA_SHEETS:
        header, rows = build(annex)
        _fill(workbook.create_sheet(_title(name, titles)), header, rows, width=30)
    workbook.properties.title = strip_control_characters(f"{annex.label} {annex.title}")
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _fill(sheet, header, rows, *, width):
    sheet.append([_value(v) for v in header])
    for cell in sheet[1]:
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, WRAP
    for values in rows:
        sheet.append([_value(v) for v in values])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                # Text stays text: a string cell (cell_text has already neutralised a leading "=", "+", …).
                cell.data_type = "s"
                cell.alignment = WRAP
    sheet.freeze_panes = "A2"
    for index in range(1, len(header) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _value(value):
    # cell_text strips control characters too, which openpyxl refuses (XML cannot hold them). Row numbers
    # stay numbers; an empty value is an empty cell.
    return cell_text(value) if value is not None else None


def _title(name, used):
    title = (strip_control_characters(name).translate(_INVALID_TITLE).strip() or "Sheet")[:31]
    base, n = title, 2
    while title.lower() in used:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(title.lower())
    return title
