"""Clean text everywhere: one rule (boroughs.text) for every form's text fields, and the exports' second line.

A project named "Youth\\x0bviolence" (a Word soft break pasted in) used to make the annex DOCX and XLSX
exports answer 500. Now every GDSForm refuses control characters with a message naming them (keeping what
was typed), and every export strips any that reached the database another way.
"""

import csv
import io
import re
import zipfile
from decimal import Decimal

import docx
import openpyxl
import pytest
from django import forms
from django.db import connection
from pypdf import PdfReader

from boroughs.forms import GDSForm
from boroughs.text import control_characters, strip_control_characters, validate_clean_text
from returns.models import FinancialYear, Project
from reviews.annex.assembly import assemble
from reviews.exports import export, runs_on_worker
from reviews.models import Annex, AnnexColumn, FlagType, RollUpCell
from reviews.reference import ensure_flag_types
from reviews.services.rollup import rollup_get_or_create, rollup_row_add

pytestmark = pytest.mark.django_db

VT_MESSAGE = "Remove the control character U+000B (vertical tab) from this text — it can come from pasting out of Word"

# Every C0 control character but tab, newline and carriage return. PostgreSQL cannot store NUL in text at
# all (so it can never reach an export there): on PostgreSQL runs that one is left out of the export tests.
C0 = [chr(code) for code in range(0x20) if chr(code) not in "\t\n\r"]
STORABLE_C0 = [c for c in C0 if not (c == "\x00" and connection.vendor == "postgresql")]
FORMATS = ["docx", "xlsx", "csv", "pdf"]


def _error_for(page, field_id):
    """The error message crispy-forms-gds shows next to a field (the summary links to the field separately)."""
    pattern = rf'<(p|span) id="{field_id}_(?:\d+_)?error" class="govuk-error-message">\s*'
    pattern += r'<span class="govuk-visually-hidden">Error:</span>(.*?)</\1>'
    match = re.search(pattern, page, re.S)
    assert match, f"no error shown next to {field_id}"
    return " ".join(match.group(2).split())


# The rule itself.


def test_the_message_names_each_character_found():
    with pytest.raises(forms.ValidationError) as error:
        validate_clean_text("Youth\x0bviolence")
    assert error.value.messages == [VT_MESSAGE]
    with pytest.raises(forms.ValidationError) as error:
        validate_clean_text("a\x0cb\x07c\x0cd")
    assert error.value.messages == [
        "Remove the control characters U+0007 (bell) and U+000C (form feed) from this text — "
        "they can come from pasting out of Word"
    ]


@pytest.mark.parametrize("char", C0)
def test_every_c0_character_but_tab_newline_and_cr_is_refused_and_stripped(char):
    with pytest.raises(forms.ValidationError):
        validate_clean_text(f"a{char}b")
    assert strip_control_characters(f"a{char}b") == "ab"
    assert control_characters(f"a{char}b") == [control_characters(char)[0]]


def test_tab_newline_and_carriage_return_are_text():
    validate_clean_text("one\ttwo\nthree\r\nfour")
    assert strip_control_characters("one\ttwo\nthree\r\nfour") == "one\ttwo\nthree\r\nfour"


def test_every_text_field_of_a_gds_form_gets_the_rule_even_one_added_late():
    class Late(GDSForm, forms.Form):
        email = forms.EmailField()
        count = forms.IntegerField(required=False)

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["added_after_init"] = forms.CharField()

    form = Late({"email": "a@example.org", "added_after_init": "x\x1by", "count": "1"})
    assert not form.is_valid()
    assert form.errors["added_after_init"] == [
        "Remove the control character U+001B (escape) from this text — it can come from pasting out of Word"
    ]
    assert validate_clean_text in form.fields["email"].validators
    assert validate_clean_text not in form.fields["count"].validators
    # The class's own fields are untouched: only each form instance's copies carry the rule.
    assert validate_clean_text not in Late.base_fields["email"].validators


# Through real forms: the message is shown next to the field, and what was typed comes back.


PROJECT = {
    "name": "Youth\x0bviolence",
    "delivery_partner": "West Midlands Fire Service",
    "description": "First line\r\nSecond line",
    "csf_allocation": "30000",
    "status": "active",
    "save": "",
}


def test_an_officer_form_refuses_a_control_character_and_keeps_the_input(client, alice, birmingham):
    client.force_login(alice)
    response = client.post("/boroughs/birmingham/projects/add/", PROJECT)
    assert response.status_code == 200
    page = response.text
    assert _error_for(page, "id_name") == VT_MESSAGE
    assert 'value="Youth\x0bviolence"' in page  # the officer sees what they typed, to correct it
    assert "West Midlands Fire Service" in page
    assert not Project.objects.filter(borough=birmingham).exists()


def test_an_officer_form_saves_browser_newlines_as_newlines(client, alice, birmingham):
    client.force_login(alice)
    response = client.post("/boroughs/birmingham/projects/add/", {**PROJECT, "name": "Youth violence"})
    assert response.status_code == 302
    assert Project.objects.get(borough=birmingham, name="Youth violence").description == "First line\nSecond line"


def test_the_sign_in_form_refuses_a_control_character(client, alice):
    # allauth's forms mix in GDSForm too (boroughs/accounts/forms.py).
    response = client.post("/accounts/login/", {"login": "ali\x0bce", "password": "anything"})
    assert response.status_code == 200
    assert _error_for(response.text, "id_login") == VT_MESSAGE


@pytest.fixture
def year(db):
    year, _ = FinancialYear.get_or_create_for_start(2026)
    year.ensure_periods()
    AnnexColumn.ensure_for_year(year)
    ensure_flag_types(FlagType)
    return year


@pytest.fixture
def project(birmingham):
    return Project.objects.create(
        borough=birmingham, name="Youth violence", description="Mentoring.", csf_allocation=Decimal("25000")
    )


@pytest.fixture
def annex(year, birmingham, project):
    """The year's annex, with Birmingham's roll-up: an annual row and the project's row."""
    rollup, _ = rollup_get_or_create(borough=birmingham, year=year)
    rollup_row_add(rollup=rollup, project=project, texts={"alignment": "Supports the Plan."})
    return Annex.objects.create(financial_year=year, title=Annex.default_title(year))


def _row_cell(project, key="alignment"):
    return RollUpCell.objects.get(row__project=project, column__key=key)


def test_a_reviewer_form_refuses_a_control_character_and_keeps_the_input(client, rita, annex, project):
    cell = _row_cell(project)
    client.force_login(rita)
    url = f"/review/roll-up/birmingham/{annex.financial_year.label}/cells/{cell.pk}/"
    response = client.post(url, {"text": "Soft\x0bbreak\r\n\r\nNext paragraph", "version": cell.version})
    assert response.status_code == 200
    assert _error_for(response.text, "id_text") == VT_MESSAGE
    assert "Soft\x0bbreak" in response.text
    cell.refresh_from_db()
    assert cell.text == "Supports the Plan."
    # Without the control character it saves, the browser's CRLF stored as LF.
    response = client.post(url, {"text": "Soft break\r\n\r\nNext paragraph", "version": cell.version})
    assert response.status_code == 302
    cell.refresh_from_db()
    assert cell.text == "Soft break\n\nNext paragraph"


# Through every export: control characters put straight into the database (past the forms) are stripped.


def _docx_text(content):
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def _xlsx_text(content):
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    values = [sheet.title for sheet in workbook.worksheets]
    for sheet in workbook.worksheets:
        values += [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
    return "\n".join(values)


def _csv_text(content):
    return "\n".join(",".join(row) for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def _pdf_text(content):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


READ_BACK = {"docx": _docx_text, "xlsx": _xlsx_text, "csv": _csv_text, "pdf": _pdf_text}


def _raw_parts(fmt, content):
    """The file's stored text: every XML part of a DOCX or XLSX, the CSV itself (a PDF's text is compressed)."""
    if fmt in ("docx", "xlsx"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = [name for name in archive.namelist() if name.endswith((".xml", ".rels"))]
            return [archive.read(name).decode("utf-8") for name in names]
    if fmt == "csv":
        return [content.decode("utf-8-sig")]
    return []


def _download(client, annex, fmt):
    assembled = assemble(annex)
    if runs_on_worker(fmt, assembled):
        # The PDF, and the DOCX with the appendix's chart images, are built on the worker (reviews/tasks.py), which
        # calls the same export().
        content, _, _ = export(assembled, fmt)
        return content
    response = client.get(f"/annex/{annex.financial_year.label}/export/{fmt}/")
    assert response.status_code == 200
    return response.content


@pytest.mark.parametrize("char", STORABLE_C0, ids=lambda c: f"U+{ord(c):04X}")
@pytest.mark.parametrize("fmt", FORMATS)
def test_each_export_strips_each_control_character_from_the_database(client, rita, annex, project, fmt, char):
    Project.objects.filter(pk=project.pk).update(name=f"Youth{char}violence")
    RollUpCell.objects.filter(pk=_row_cell(project).pk).update(text=f"Cell{char}marker text")
    client.force_login(rita)

    content = _download(client, annex, fmt)

    text = READ_BACK[fmt](content)
    assert char not in text
    assert "Youthviolence" in text
    assert "Cellmarker text" in text
    for part in _raw_parts(fmt, content):
        assert char not in part
