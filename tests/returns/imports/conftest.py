"""Helpers for the quarter import tests: fill a downloaded template the way an officer would, and upload it."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

ACTUAL_COLUMN, SPEND_COLUMN, EXPECTED_COLUMN = 8, 3, 4  # zero-based, as the template lays them out


def fill(content, *, actuals=None, spend=None, edit=None):
    """The template `content` with {(project, indicator): value} actuals and {project: (spend, expected)} filled."""
    workbook = load_workbook(io.BytesIO(content))
    for row in workbook["Indicators"].iter_rows(min_row=2):
        key = (row[0].value, row[1].value)
        if actuals and key in actuals:
            row[ACTUAL_COLUMN].value = actuals[key]
    for row in workbook["Spend"].iter_rows(min_row=2):
        if spend and row[0].value in spend:
            row[SPEND_COLUMN].value, row[EXPECTED_COLUMN].value = spend[row[0].value]
    if edit:
        edit(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_upload(content, name="figures.xlsx"):
    return SimpleUploadedFile(
        name, content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def row_of(workbook, sheet, project, indicator=None):
    """The cells of the row for `project` (and `indicator`) in `sheet`."""
    for row in workbook[sheet].iter_rows(min_row=2):
        if row[0].value == project and (indicator is None or row[1].value == indicator):
            return row
    raise LookupError((sheet, project, indicator))
