"""The same sheets as CSV files in a ZIP: one file per sheet, the workbook's headers, neutralised text."""

import csv
import io

import pytest

from reviews.data.workbook import README, SHEETS
from reviews.exports.tables import FORMULA_PREFIXES

from .conftest import FORMULA_TEXT, read_xlsx, read_zip

pytestmark = pytest.mark.django_db


def _table(text):
    return list(csv.reader(io.StringIO(text)))


def test_one_csv_per_sheet_with_the_workbooks_headers(mixed_year, rita):
    files = read_zip(mixed_year, rita)
    workbook = read_xlsx(mixed_year, rita)
    assert sorted(files) == sorted(sheet.file_name for sheet in (README, *SHEETS))
    assert "project-updates.csv" in files
    for sheet in (README, *SHEETS):
        table = _table(files[sheet.file_name])
        assert table[0] == [cell.value for cell in workbook[sheet.name][1]]
        # As many rows as the sheet: the same data.
        assert len(table) == workbook[sheet.name].max_row, sheet.name


def test_values_are_plain_and_text_is_neutralised(mixed_year, rita):
    files = read_zip(mixed_year, rita)
    updates = _table(files["project-updates.csv"])
    header = updates[0]
    q1 = next(row for row in updates[1:] if row[0] == "Birmingham" and row[1] == "1")
    assert q1[header.index("Spend")] == "1234.50"
    assert q1[header.index("Last updated")][:4].isdigit()
    engagement = _table(files["community-engagement.csv"])
    assert engagement[1][engagement[0].index("Date")] == "2026-05-14"
    values = [value for text in files.values() for row in _table(text) for value in row]
    assert not [value for value in values if value.startswith(FORMULA_PREFIXES)]
    for typed in FORMULA_TEXT.values():
        assert "'" + typed in values
    assert "first item\nsecond item" in values
