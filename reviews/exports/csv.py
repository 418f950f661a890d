"""The annex's rows as CSV: one line per printed row, as the 'Annex rows' sheet of the XLSX."""

import csv
import io

from .tables import FORMULA_PREFIXES, annex_rows

CONTENT_TYPE = "text/csv; charset=utf-8"
EXTENSION = "csv"


def render(annex):
    header, rows = annex_rows(annex)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_guard(value) for value in row])
    # A byte-order mark makes Excel read the file as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _guard(value):
    # A CSV has no cell types: a leading apostrophe is what stops a spreadsheet running "=..." as a formula.
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
