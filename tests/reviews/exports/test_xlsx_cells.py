"""The annex's XLSX cells: row numbers are numbers, list markers are gone, formula prefixes neutralised.

The CSV follows the same rule (reviews/exports/csv.py cell_text), so it is checked alongside.
"""

import csv
import io

import pytest
from openpyxl import load_workbook

from reviews.annex.assembly import assemble
from reviews.exports import export
from reviews.exports.csv import cell_text
from reviews.exports.tables import FORMULA_PREFIXES
from reviews.models import RollUpCell

pytestmark = pytest.mark.django_db


def _xlsx(annex):
    return load_workbook(io.BytesIO(export(assemble(annex), "xlsx")[0]))


def _csv(annex):
    return list(csv.reader(io.StringIO(export(assemble(annex), "csv")[0].decode("utf-8-sig"))))


def _set(borough, column, text, *, position=None):
    cells = RollUpCell.objects.filter(rollup__borough__name=borough, column__key=column)
    cell = cells.get(row=None) if position is None else cells.get(row__position=position)
    cell.save_text(text=text, expected_version=cell.version, by=None)


def _texts(workbook):
    return [
        cell.value
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    ]


def test_row_numbers_are_numbers_and_the_annual_row_has_none(annex_2015):
    _set("Birmingham", "alignment", "The borough's year as a whole.")
    workbook = _xlsx(annex_2015)
    for name in ("Annex rows", "Projects"):
        rows = list(workbook[name].iter_rows())
        column = [cell.value for cell in rows[0]].index("Row")
        numbers = [row[column] for row in rows[1:] if row[column].value is not None]
        assert numbers, name
        assert all(cell.data_type == "n" for cell in numbers), name
        assert all(isinstance(cell.value, int) for cell in numbers), name
    annual = [row for row in workbook["Annex rows"].iter_rows(values_only=True) if row[2] == "Annual commentary"]
    assert annual == [("Birmingham", None, "Annual commentary", "The borough's year as a whole.", *[None] * 4)]
    first = next(
        row for row in workbook["Annex rows"].iter_rows(values_only=True) if row[0] == "Birmingham" and row[1]
    )
    assert first[1] == 1


def test_list_markers_are_dropped_from_every_cell(annex_2015, seed_json):
    listed = [
        text
        for borough in seed_json["boroughs"]
        for row in borough["rows"]
        for text in row["cells"].values()
        if "\n- " in text
    ]
    assert listed, "the 2015-16 annex has list items"
    texts = _texts(_xlsx(annex_2015))
    assert not [text for text in texts if any(line.startswith("- ") for line in text.split("\n"))]
    csv_values = [value for row in _csv(annex_2015) for value in row]
    assert not [value for value in csv_values if any(line.startswith("- ") for line in value.split("\n"))]
    _set("Coventry", "alignment", "Intro\n- one\n- two", position=1)
    assert "Intro\none\ntwo" in _texts(_xlsx(annex_2015))


@pytest.mark.parametrize("typed", ["=cmd|' /C calc'!A0", "+1", "-2", "@x", "\t=1+1", "\r=1+1", "- =HYPERLINK(1)"])
def test_formula_prefixes_are_neutralised_in_xlsx_and_csv(annex_2015, typed):
    _set("Coventry", "marketing", typed, position=1)
    texts = _texts(_xlsx(annex_2015))
    assert not [text for text in texts if text.startswith(FORMULA_PREFIXES)]
    assert cell_text(typed) in texts
    assert cell_text(typed).startswith("'")
    values = [value for row in _csv(annex_2015) for value in row]
    assert not [value for value in values if value.startswith(FORMULA_PREFIXES)]
    assert cell_text(typed) in values


def test_cell_text_is_one_rule_for_every_cell():
    assert cell_text("=1+1") == "'=1+1"
    assert cell_text("\x07=SUM(A1)") == "'=SUM(A1)"
    assert cell_text("- a\n- b") == "a\nb"
    assert cell_text("well-being - and more") == "well-being - and more"
    assert cell_text(3) == 3
    assert cell_text(None) is None
