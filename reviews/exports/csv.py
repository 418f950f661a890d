"""The annex's rows as CSV: one line per printed row, as the 'Annex rows' sheet of the XLSX."""

import csv
import io

from boroughs.text import strip_control_characters

from .tables import FORMULA_PREFIXES, annex_rows

CONTENT_TYPE = "text/csv; charset=utf-8"
EXTENSION = "csv"


def render(annex):
    header, rows = annex_rows(annex)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_value(value) for value in header])
    for row in rows:
        writer.writerow([_value(value) for value in row])
    # A byte-order mark makes Excel read the file as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _value(value):
    # Control characters are stripped before the formula guard, so "\x07=SUM(…)" is guarded too.
    return _guard(strip_control_characters(value))


def _guard(value):
    # A CSV has no cell types: a leading apostrophe is what stops a spreadsheet running "=..." as a formula.
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
