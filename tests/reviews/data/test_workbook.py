"""The analysts' workbook read back with openpyxl: every sheet and column, the Read me, typed cells, clean text."""

from datetime import date, datetime

import pytest

from reviews.data.workbook import DATE, DATETIME, MONEY, NUMBER, README, SHEETS, TEXT
from reviews.exports.tables import FORMULA_PREFIXES

from .conftest import FORMULA_TEXT, read_xlsx, sheet_rows

pytestmark = pytest.mark.django_db


def test_every_sheet_and_column_is_present(mixed_year, rita):
    workbook = read_xlsx(mixed_year, rita)
    assert workbook.sheetnames == [
        "Read me",
        "Returns",
        "Project updates",
        "Indicator actuals",
        "Flags",
        "Risks",
        "Community engagement",
        "OPCC engagement",
    ]
    for sheet in (README, *SHEETS):
        assert [cell.value for cell in workbook[sheet.name][1]] == [column.header for column in sheet.columns]
        assert workbook[sheet.name].freeze_panes == "A2"


def test_the_read_me_describes_every_column_of_every_sheet(mixed_year, rita):
    rows = {
        (row["Sheet"].value, row["Column"].value): row for row in sheet_rows(read_xlsx(mixed_year, rita)["Read me"])
    }
    expected = {(sheet.name, column.header) for sheet in (README, *SHEETS) for column in sheet.columns}
    assert set(rows) == expected
    for row in rows.values():
        assert row["Type"].value in {"Text", "Number", "Money (£)", "Date", "Date and time (UK)", "Percentage"}
        assert row["Description"].value


def test_cells_are_typed_by_their_column(mixed_year, rita):
    workbook = read_xlsx(mixed_year, rita)
    checked = {NUMBER: 0, MONEY: 0, DATE: 0, DATETIME: 0, TEXT: 0}
    for sheet in SHEETS:
        kinds = {column.header: column.kind for column in sheet.columns}
        for row in sheet_rows(workbook[sheet.name]):
            for header, cell in row.items():
                if cell.value is None:
                    continue
                kind = kinds[header]
                checked[kind] += 1
                if kind in (NUMBER, MONEY):
                    assert cell.data_type == "n", (sheet.name, header)
                    assert isinstance(cell.value, int | float), (sheet.name, header)
                    assert cell.number_format
                if kind == MONEY:
                    assert "£" in cell.number_format, (sheet.name, header)
                if kind in (DATE, DATETIME):
                    assert cell.is_date, (sheet.name, header)
                    assert isinstance(cell.value, datetime | date), (sheet.name, header)
                if kind == TEXT:
                    assert cell.data_type == "s", (sheet.name, header)
    # The fixture fills every type, so none of these checks passed by finding nothing.
    assert all(checked.values()), checked


def test_money_and_figures_are_the_numbers_reported(mixed_year, rita):
    rows = sheet_rows(read_xlsx(mixed_year, rita)["Project updates"])
    q1 = next(r for r in rows if r["Borough"].value == "Birmingham" and r["Quarter"].value == 1)
    assert q1["Spend"].value == 1234.5
    assert q1["Allocation"].value == 25000
    assert q1["Expected spend"].value == 5000
    actuals = sheet_rows(read_xlsx(mixed_year, rita)["Indicator actuals"])
    q2 = next(r for r in actuals if r["Borough"].value == "Birmingham" and r["Quarter"].value == 2)
    assert (q2["Actual"].value, q2["Year to date"].value, q2["Minimum target"].value) == (10, 40, 100)
    assert q2["RAG"].value == "Red"  # 40 by Q2 is below half the minimum target of 100


def test_rag_is_the_computed_one_with_the_override_and_its_reason(mixed_year, rita):
    rows = sheet_rows(read_xlsx(mixed_year, rita)["Project updates"])
    q1, q2 = (next(r for r in rows if r["Borough"].value == "Birmingham" and r["Quarter"].value == q) for q in (1, 2))
    # 30 referrals by Q1 against a quarter of 100 (minimum) and 150 (aspiration): amber; the officer said green.
    assert (q1["Computed RAG"].value, q1["RAG override"].value, q1["RAG"].value) == ("Amber", "Green", "Green")
    assert q1["Override reason"].value == "'" + FORMULA_TEXT["rag_reason"]
    assert (q2["Computed RAG"].value, q2["RAG override"].value, q2["RAG"].value) == ("Red", None, "Red")


def test_every_return_of_the_year_drafts_included_and_opcc_only_flags(mixed_year, rita):
    workbook = read_xlsx(mixed_year, rita)
    statuses = {(r["Borough"].value, r["Quarter"].value): r["Status"].value for r in sheet_rows(workbook["Returns"])}
    assert statuses == {
        ("Birmingham", 1): "Accepted",
        ("Birmingham", 2): "Changes requested",
        ("Birmingham", 3): "Submitted",
        ("Birmingham", 4): "Draft",
        ("Coventry", 1): "Submitted",
    }
    returns = {(r["Borough"].value, r["Quarter"].value): r for r in sheet_rows(workbook["Returns"])}
    assert returns[("Birmingham", 1)]["Accepted"].is_date
    assert returns[("Birmingham", 2)]["Changes requested"].value == 1
    assert returns[("Birmingham", 4)]["Submitted"].value is None
    flags = [(r["Visibility"].value, r["Status"].value, r["Note"].value) for r in sheet_rows(workbook["Flags"])]
    assert ("Shared with the partnership", "Open", "Open, shared") in flags
    assert ("Shared with the partnership", "Resolved", "Fixed") in flags
    assert ("OPCC only", "Open", "OPCC-only note") in flags
    assert len(sheet_rows(workbook["Risks"])) == 1
    assert len(sheet_rows(workbook["Community engagement"])) == 1
    assert len(sheet_rows(workbook["OPCC engagement"])) == 1


def test_no_cell_starts_with_a_formula_prefix_and_lists_are_clean(mixed_year, rita):
    workbook = read_xlsx(mixed_year, rita)
    texts = [
        cell.value
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    ]
    assert not [text for text in texts if text.startswith(FORMULA_PREFIXES)]
    assert not [text for text in texts if any(line.startswith("- ") for line in text.split("\n"))]
    for typed in FORMULA_TEXT.values():
        assert "'" + typed in texts
    assert "first item\nsecond item" in texts
    # Nothing in the workbook is a formula.
    for sheet in workbook.worksheets:
        assert not [cell for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
