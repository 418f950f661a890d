"""The annex's rows as CSV: one line per printed row, as the 'Annex rows' sheet of the XLSX.

It also holds the one rule for text on its way into any spreadsheet cell, XLSX or CSV (`cell_text`):
control characters stripped, cell text's "- " list markers dropped, and a leading formula prefix
neutralised. The annex's XLSX and the analysts' workbook (reviews/data/) use it too.
"""

import csv
import io

from boroughs.text import strip_control_characters

from ..annex.text import LIST_MARKER, normalise
from .tables import FORMULA_PREFIXES, annex_rows

CONTENT_TYPE = "text/csv; charset=utf-8"
EXTENSION = "csv"


def render(annex):
    header, rows = annex_rows(annex)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([cell_text(value) for value in header])
    for row in rows:
        writer.writerow([cell_text(value) for value in row])
    # A byte-order mark makes Excel read the file as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def cell_text(value):
    """A value as a spreadsheet cell holds it: text cleaned and neutralised; numbers, dates and None untouched."""
    if not isinstance(value, str):
        return value
    # Control characters go before the formula guard, so "\x07=SUM(…)" is guarded too.
    return neutralise(without_list_markers(strip_control_characters(value)))


def without_list_markers(text):
    """Cell text with its lines kept but the "- " that marks a list item dropped: a spreadsheet has no lists."""
    if LIST_MARKER.strip() not in text:
        return text
    lines = normalise(text).split("\n")
    return "\n".join(line[len(LIST_MARKER) :].strip() if line.startswith(LIST_MARKER) else line for line in lines)


def neutralise(text):
    """Text a spreadsheet would run as a formula ("=…", "+…", "-…", "@…", a tab or CR first) gets a leading '.

    The apostrophe is visible, and that is the point: the value reads back as the text typed, never as a
    formula, in Excel, LibreOffice or Google Sheets, even after the file is saved again as CSV.
    """
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text
