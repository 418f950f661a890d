"""Opening an uploaded workbook safely, reading its rows, and recognising our own templates.

Everything here treats the file as hostile: the type is judged from the content, the size and the unpacked size
are capped, the sheet is streamed (openpyxl `read_only=True`) and reading stops at MAX_ROWS, so memory stays
bounded whatever the file claims. Formulas are never evaluated: the workbook is opened with `data_only=False`, so
a formula cell shows up as a formula and is refused as a problem on its row. Anything malformed becomes an
`ImportFileError` whose message is meant for the person who uploaded the file, never a 500.
"""

import datetime
import json
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core import signing
from django.utils.crypto import constant_time_compare
from openpyxl import load_workbook

from ..filetypes import sniff
from ..models import Evidence

MAX_BYTES = Evidence.MAX_BYTES  # the same cap as evidence: 10 MB
MAX_ROWS = 2000
# A 10 MB zip can unpack to gigabytes (a "zip bomb"); our templates unpack to a few hundred kilobytes.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
# Excel's own last row: a sheet claiming rows beyond it was not written by a spreadsheet program.
EXCEL_MAX_ROW = 1_048_576
# Money and figures are stored as MONEY (12 digits, 2 after the point): at most 10 before it.
MAX_WHOLE_DIGITS = 10

META_SHEET = "meta"
_META_SALT = "returns.imports.meta"
_META_MAX_ROWS = 50

TEMPLATE_HINT = "Download the template again from the return's task list and fill that in"


class ImportFileError(Exception):
    """The whole file cannot be used. `str(error)` is the message for the person who uploaded it."""


@dataclass
class Row:
    number: int  # the row number as Excel shows it
    values: dict[str, object]
    # Problems found while reading the row (a formula, an error value); the caller adds its own.
    problems: list[str] = field(default_factory=list)


def _size_of(upload):
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
        upload.seek(0)
    return size


def open_sheet(upload, *, sheet_name):
    """The sheet `sheet_name` of the XLSX `upload` (a Django UploadedFile or a binary file-like object).

    Read-only and streamed; `sheet.parent` is the workbook (for `read_meta`), which the caller should
    `close()` when done. Anything that is not a readable XLSX with that sheet raises ImportFileError.
    """
    size = _size_of(upload)
    if not size:
        raise ImportFileError("The selected file is empty")
    if size > MAX_BYTES:
        raise ImportFileError("The selected file must be smaller than 10MB")
    name = getattr(upload, "name", None) or ""
    if name and not name.lower().endswith(".xlsx"):
        raise ImportFileError("The selected file must be an Excel spreadsheet (XLSX)")
    try:
        kind = sniff(upload)
    except Exception:  # whatever the bytes are, the answer is "not a spreadsheet"
        kind = None
    if kind != "xlsx":
        raise ImportFileError(
            "The selected file is not an Excel spreadsheet (XLSX). Save it from Excel as an .xlsx workbook"
        )
    try:
        with zipfile.ZipFile(upload) as package:
            unpacked = sum(info.file_size for info in package.infolist())
        upload.seek(0)
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise ImportFileError("The selected file is damaged and cannot be opened") from error
    if unpacked > MAX_UNPACKED_BYTES:
        raise ImportFileError("The selected file holds too much data. " + TEMPLATE_HINT)
    try:
        workbook = load_workbook(upload, read_only=True, data_only=False, keep_links=False)
    except Exception as error:  # openpyxl raises many kinds on a malformed package
        raise ImportFileError("The selected file is damaged and cannot be opened") from error
    if sheet_name not in workbook.sheetnames:
        workbook.close()
        raise ImportFileError(f"The selected file has no sheet called '{sheet_name}'. " + TEMPLATE_HINT)
    sheet = workbook[sheet_name]
    # The size a sheet declares may be wrong; without it, openpyxl reads to the real last row rather than
    # silently stopping where the declaration says.
    sheet.reset_dimensions()
    return sheet


def _normal(text):
    return " ".join(str(text).split()).casefold()


def _is_formula(cell):
    value = cell.value
    return cell.data_type == "f" or (isinstance(value, str) and value.startswith("=")) or not _plain(value)


def _plain(value):
    # ArrayFormula, DataTableFormula and friends are objects, not values.
    return value is None or isinstance(
        value, (str, int, float, Decimal, datetime.date, datetime.time, datetime.timedelta)
    )


def _blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def _rows(sheet, **kwargs):
    try:
        yield from sheet.iter_rows(**kwargs)
    except ImportFileError:
        raise
    except Exception as error:  # the XML inside the package is malformed
        raise ImportFileError("The selected file is damaged and cannot be read") from error


def read_rows(sheet, *, columns, header_row=1):
    """The filled rows under `header_row`, each with `values` keyed as `columns` (key → expected header text).

    A header missing from `header_row` raises ImportFileError naming it. Blank rows are skipped; more than
    MAX_ROWS filled rows raises ImportFileError as soon as the next one is met. A formula or error value is
    never evaluated: its row gets a problem and the value is None.
    """
    header = next(_rows(sheet, min_row=header_row, max_row=header_row), ())
    found = {}
    for index, cell in enumerate(header):
        if isinstance(cell.value, str) and _normal(cell.value) not in found:
            found[_normal(cell.value)] = index
    missing = [text for text in columns.values() if _normal(text) not in found]
    if missing:
        names = ", ".join(f"'{text}'" for text in missing)
        raise ImportFileError(f"Row {header_row} of the sheet has no column {names}. " + TEMPLATE_HINT)
    positions = {key: found[_normal(text)] for key, text in columns.items()}
    width = max(positions.values()) + 1

    rows = []
    number = header_row
    for cells in _rows(sheet, min_row=header_row + 1, max_col=width):
        number += 1
        if number > EXCEL_MAX_ROW:
            raise ImportFileError("The selected file has more rows than Excel allows. " + TEMPLATE_HINT)
        if all(_blank(cell.value) for cell in cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise ImportFileError(
                f"The sheet has more than {MAX_ROWS:,} filled rows, which is more than any return needs. "
                + TEMPLATE_HINT
            )
        row = Row(number=number, values={})
        for key, position in positions.items():
            cell = cells[position] if position < len(cells) else None
            value = None if cell is None else cell.value
            if cell is not None and _is_formula(cell):
                row.problems.append(f"'{columns[key]}' holds a formula: type the figure itself")
                value = None
            elif cell is not None and cell.data_type == "e":
                row.problems.append(f"'{columns[key]}' holds an error ({value}): type the figure itself")
                value = None
            row.values[key] = value
        rows.append(row)
    return rows


def parse_decimal(value, *, what, allow_negative=False, places=2):
    """`value` from a cell as a Decimal, or None when blank; ValueError with a message for the person otherwise.

    Numbers typed as text are accepted with a pound sign, thousands separators and spaces ("£1,250.50").
    Negative figures are refused unless `allow_negative` (money and counts are never negative); so are
    NaN, infinity, more than `places` decimal places and more than MAX_WHOLE_DIGITS whole digits.
    `what` names the figure in the messages that need it.
    """
    if _blank(value):
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, str)):
        raise ValueError(f"'{value}' is not a number")
    if isinstance(value, str):
        text = value.strip().replace("£", "").replace(",", "").replace(" ", "").replace("\u00a0", "")
    else:
        text = str(value)  # str() of a float is its shortest exact spelling, so 0.1 stays 0.1
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"'{value}' is not a number") from None
    if not number.is_finite():
        raise ValueError(f"'{value}' is not a number")
    if number < 0 and not allow_negative:
        raise ValueError(f"{what} cannot be negative")
    if number != number.quantize(Decimal(1).scaleb(-places), rounding="ROUND_HALF_UP"):
        raise ValueError(f"{what} can have at most {places} decimal places")
    if abs(number) >= Decimal(10) ** MAX_WHOLE_DIGITS:
        raise ValueError(f"{what} is too large")
    if number == 0:
        number = abs(number)  # no "-0"
    return number.quantize(Decimal(1).scaleb(-places))


# The meta sheet: how a template says what it is for, so a file for another borough, return or quarter, or
# edited by hand in its hidden sheet, is refused before any row is read.


def _canonical(values):
    return json.dumps({str(key): str(value) for key, value in values.items()}, sort_keys=True)


def _signer():
    return signing.Signer(salt=_META_SALT)


def write_meta(workbook, **values):
    """Adds a very hidden 'meta' sheet of key/value rows to `workbook` (a normal, writable openpyxl Workbook),
    signed with the site's key. Values are stored as text."""
    sheet = workbook.create_sheet(META_SHEET)
    for key, value in values.items():
        sheet.append([str(key), str(value)])
    sheet.append(["signature", _signer().signature(_canonical(values))])
    sheet.sheet_state = "veryHidden"  # not offered by Excel's "Unhide" either
    sheet.protection.sheet = True
    return sheet


def read_meta(workbook):
    """The key/value pairs `write_meta` stored (as text), once their signature checks; ImportFileError otherwise."""
    if META_SHEET not in workbook.sheetnames:
        raise ImportFileError("The selected file is not a template from this service. " + TEMPLATE_HINT)
    values = {}
    for number, cells in enumerate(_rows(workbook[META_SHEET], max_col=2, values_only=True), start=1):
        if number > _META_MAX_ROWS:
            break
        key, value = (*cells, None, None)[:2]
        if key is not None:
            values[str(key)] = "" if value is None else str(value)
    signature = values.pop("signature", "")
    expected = _signer().signature(_canonical(values))
    if not signature or not constant_time_compare(signature, expected):
        raise ImportFileError(
            "The selected file's hidden details have been changed, so it cannot be trusted. " + TEMPLATE_HINT
        )
    return values
