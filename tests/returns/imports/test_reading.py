"""reading.py: a workbook opened safely, rows read lazily with formulas refused, numbers parsed, templates signed."""

import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from returns.imports.reading import (
    MAX_BYTES,
    MAX_ROWS,
    ImportFileError,
    Row,
    open_sheet,
    parse_decimal,
    read_meta,
    read_rows,
    write_meta,
)

from ..conftest import PDF_BYTES, office_bytes

COLUMNS = {"name": "Name", "figure": "Figure"}


def xlsx(rows, *, title="Figures", meta=None, name="figures.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    if meta is not None:
        write_meta(workbook, **meta)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = name
    return buffer


def named(content, name="figures.xlsx"):
    buffer = io.BytesIO(content)
    buffer.name = name
    return buffer


def rows_of(upload, **kwargs):
    sheet = open_sheet(upload, sheet_name="Figures")
    try:
        return read_rows(sheet, columns=COLUMNS, **kwargs)
    finally:
        sheet.parent.close()


def test_rows_are_read_with_excel_row_numbers_and_blank_rows_skipped():
    rows = rows_of(xlsx([["Name", "Figure"], ["Referrals", 12], [None, None], ["  ", ""], ["Hours", "7.5"]]))
    assert rows == [
        Row(number=2, values={"name": "Referrals", "figure": 12}),
        Row(5, {"name": "Hours", "figure": "7.5"}),
    ]


def test_headers_are_found_wherever_they_are_and_extra_columns_ignored():
    rows = rows_of(xlsx([["Notes", " figure ", "NAME"], ["x", 3, "Referrals"]]))
    assert rows[0].values == {"name": "Referrals", "figure": 3}


def test_a_header_row_lower_down():
    rows = rows_of(xlsx([["A title"], ["Name", "Figure"], ["Referrals", 1]]), header_row=2)
    assert rows[0].number == 3


def test_a_missing_header_is_named():
    with pytest.raises(ImportFileError, match="no column 'Figure'"):
        rows_of(xlsx([["Name", "Amount"], ["Referrals", 1]]))


def test_a_missing_sheet_is_named():
    with pytest.raises(ImportFileError, match="no sheet called 'Figures'"):
        open_sheet(xlsx([["Name"]], title="Other"), sheet_name="Figures")


def test_a_formula_is_refused_on_its_row_and_never_evaluated():
    rows = rows_of(xlsx([["Name", "Figure"], ["Referrals", "=1+1"], ["Hours", 4]]))
    assert rows[0].values["figure"] is None
    assert rows[0].problems == ["'Figure' holds a formula: type the figure itself"]
    assert rows[1].problems == []


def with_cached_formula_value(upload):
    """The same workbook with its formula cell carrying a cached value, as Excel saves it."""
    source = zipfile.ZipFile(upload)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<f>1+1</f><v></v>", b"<f>1+1</f><v>2</v>")
            package.writestr(info, data)
    out.seek(0)
    out.name = "figures.xlsx"
    return out


def test_a_formula_with_a_cached_value_is_refused_too():
    upload = with_cached_formula_value(xlsx([["Name", "Figure"], ["Referrals", "=1+1"]]))
    # The cached value is there (a data_only reader would see 2) ...
    upload.seek(0)
    assert load_workbook(upload, data_only=True).active["B2"].value == 2
    upload.seek(0)
    # ... but the import reads the formula and refuses it.
    rows = rows_of(upload)
    assert rows[0].values["figure"] is None
    assert "formula" in rows[0].problems[0]


def test_more_than_max_rows_is_refused():
    rows = [["Name", "Figure"]] + [[f"Row {n}", n] for n in range(MAX_ROWS + 1)]
    with pytest.raises(ImportFileError, match="more than 2,000 filled rows"):
        rows_of(xlsx(rows))


def test_max_rows_exactly_is_fine():
    rows = [["Name", "Figure"]] + [[f"Row {n}", n] for n in range(MAX_ROWS)]
    assert len(rows_of(xlsx(rows))) == MAX_ROWS


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "figures.xlsx", "The selected file is empty"),
        (PDF_BYTES, "figures.xlsx", "not an Excel spreadsheet"),
        (office_bytes("word"), "figures.xlsx", "not an Excel spreadsheet"),
        (office_bytes("xl"), "figures.xlsx", "damaged"),
        (b"PK\x03\x04" + b"\x00" * 200, "figures.xlsx", "not an Excel spreadsheet"),
        (b"name,figure\nReferrals,1\n", "figures.xlsx", "not an Excel spreadsheet"),
        (b"x", "figures.csv", "must be an Excel spreadsheet"),
    ],
)
def test_wrong_or_malformed_files_get_a_message(content, name, message):
    with pytest.raises(ImportFileError, match=message):
        open_sheet(named(content, name), sheet_name="Figures")


def test_an_xlsx_with_broken_sheet_xml_gets_a_message():
    good = xlsx([["Name", "Figure"], ["Referrals", 1]])
    source = zipfile.ZipFile(good)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            package.writestr(info, data)
    with pytest.raises(ImportFileError, match="damaged"):
        rows_of(named(out.getvalue()))


def test_a_file_over_10mb_is_refused():
    with pytest.raises(ImportFileError, match="smaller than 10MB"):
        open_sheet(named(b"PK" + b"\x00" * MAX_BYTES), sheet_name="Figures")


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("xl/workbook.xml", "<workbook/>")
        package.writestr("xl/sharedStrings.xml", b" " * (101 * 1024 * 1024))
    assert len(out.getvalue()) < MAX_BYTES
    with pytest.raises(ImportFileError, match="too much data"):
        open_sheet(named(out.getvalue()), sheet_name="Figures")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("   ", None),
        (12, Decimal("12.00")),
        (7.5, Decimal("7.50")),
        (0.1, Decimal("0.10")),
        ("£1,250.50", Decimal("1250.50")),
        (" 1 250 ", Decimal("1250.00")),
        (Decimal("3.1"), Decimal("3.10")),
        ("-0", Decimal("0.00")),
    ],
)
def test_parse_decimal_reads_numbers(value, expected):
    assert parse_decimal(value, what="Spend") == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("twelve", "'twelve' is not a number"),
        ("NaN", "'NaN' is not a number"),
        ("inf", "'inf' is not a number"),
        (float("nan"), "is not a number"),
        (float("inf"), "is not a number"),
        (True, "'True' is not a number"),
        ("-5", "Spend cannot be negative"),
        (-0.01, "Spend cannot be negative"),
        ("1.005", "Spend can have at most 2 decimal places"),
        ("1e20", "Spend is too large"),
        ("12 apples", "'12 apples' is not a number"),
    ],
)
def test_parse_decimal_explains_bad_input(value, message):
    with pytest.raises(ValueError, match=message):
        parse_decimal(value, what="Spend")


def test_parse_decimal_can_allow_negative_figures():
    assert parse_decimal("-5", what="Change", allow_negative=True) == Decimal("-5.00")


def test_meta_round_trips():
    upload = xlsx([["Name", "Figure"]], meta={"kind": "quarter", "borough": "birmingham", "return": 7})
    sheet = open_sheet(upload, sheet_name="Figures")
    assert read_meta(sheet.parent) == {"kind": "quarter", "borough": "birmingham", "return": "7"}
    assert sheet.parent["meta"].sheet_state == "veryHidden"


def test_tampered_meta_is_refused():
    upload = xlsx([["Name", "Figure"]], meta={"kind": "quarter", "borough": "birmingham"})
    workbook = load_workbook(upload)
    for row in workbook["meta"].iter_rows():
        if row[0].value == "borough":
            row[1].value = "coventry"
    edited = io.BytesIO()
    workbook.save(edited)
    sheet = open_sheet(named(edited.getvalue()), sheet_name="Figures")
    with pytest.raises(ImportFileError, match="hidden details have been changed"):
        read_meta(sheet.parent)


def test_a_workbook_without_meta_is_not_a_template():
    sheet = open_sheet(xlsx([["Name", "Figure"]]), sheet_name="Figures")
    with pytest.raises(ImportFileError, match="not a template from this service"):
        read_meta(sheet.parent)


def test_memory_stays_bounded_however_many_rows_the_file_holds():
    import tracemalloc

    rows = [["Name", "Figure", "Notes"]] + [[f"Row {n}", n, "x" * 200] for n in range(50_000)]
    upload = xlsx(rows)
    assert upload.getbuffer().nbytes < MAX_BYTES
    tracemalloc.start()
    try:
        with pytest.raises(ImportFileError, match="more than 2,000 filled rows"):
            rows_of(upload)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Reading stops at row 2,002: the rest of the sheet is never parsed, let alone held.
    assert peak < 16 * 1024 * 1024, f"peak {peak / 1024 / 1024:.1f} MB"
