"""The year's data for analysts as CSV files in a ZIP: one file per sheet of the workbook, same headers.

Written from the same definitions as the workbook (reviews/data/workbook.py SHEETS). A CSV has no cell
types, so values are written plainly: dates as 2026-04-01, moments as 2026-04-01 09:30:00 (UK time),
money and other numbers as digits with no £ or thousands separators; text follows the one spreadsheet
rule (reviews/exports/csv.py cell_text). Each file starts with a byte-order mark so Excel reads UTF-8.
"""

import csv
import io
import zipfile
from datetime import date, datetime

from ..exports.csv import cell_text
from .workbook import TEXT, excel_value, tables

CONTENT_TYPE = "application/zip"
EXTENSION = "zip"


def render(data):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for sheet, rows in tables(data):
            # Streamed into the archive line by line, so a large year is never held twice in memory.
            with archive.open(sheet.file_name, "w") as raw, io.TextIOWrapper(raw, "utf-8-sig", newline="") as text:
                writer = csv.writer(text, lineterminator="\r\n")
                writer.writerow([column.header for column in sheet.columns])
                for row in rows:
                    writer.writerow([_value(column, column.get(row)) for column in sheet.columns])
    return buffer.getvalue()


def _value(column, value):
    if value is None:
        return ""
    if column.kind == TEXT:
        return cell_text(str(value))
    value = excel_value(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
