"""The DOCX is board-ready (issue 15): properties, page numbers, the PDF's look, spaced cell paragraphs.

Everything is read back from the saved file with python-docx and its XML, as Word would read it.
"""

import io
from datetime import date, timedelta

import pytest
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from reviews.annex.assembly import assemble, assemble_version
from reviews.exports import export
from reviews.models import RollUpCell
from reviews.services.annex import annex_publish

pytestmark = pytest.mark.django_db

TITLE = "Annex 1: Outcome Reporting for Local Police and Crime Board Community Safety Activity 2015-16"
BLACK = RGBColor(0, 0, 0)
HEADING_STYLES = {"Title", "Subtitle", "Heading 1", "Heading 2"}
THEME_FONTS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def _document(assembled):
    return Document(io.BytesIO(export(assembled, "docx")[0]))


def _effective(run, name):
    """A run's font attribute as Word resolves it: the run's own, else its paragraph style's, up the chain."""
    value = getattr(run.font, name) if name != "color" else run.font.color.rgb
    style = run._parent.style
    while value is None and style is not None:
        value = getattr(style.font, name) if name != "color" else style.font.color.rgb
        style = style.base_style
    return value


def test_properties_name_the_annex_the_organisation_and_when(annex_2015, settings):
    settings.ORGANISATION_NAME = "Test Midlands OPCC"
    before = timezone.now().replace(microsecond=0)
    properties = _document(assemble(annex_2015)).core_properties
    assert properties.title == TITLE
    assert properties.author == properties.last_modified_by == "Test Midlands OPCC"
    assert before <= properties.created <= timezone.now() + timedelta(seconds=1)
    assert properties.language == "en-GB"
    assert "python-docx" not in f"{properties.author} {properties.comments} {properties.last_modified_by}"


def test_a_published_version_keeps_the_title(annex_2015, rita):
    version = annex_publish(annex=annex_2015, meeting_date=date(2016, 7, 12), by=rita)
    document = _document(assemble_version(version))
    assert document.core_properties.title == TITLE
    assert "Version 1, published for the board meeting of 12 July 2016." in [p.text for p in document.paragraphs]


def test_the_footer_says_page_x_of_y_with_word_fields(annex_2015):
    document = _document(assemble(annex_2015))
    footer = document.sections[0].footer
    assert not footer.is_linked_to_previous
    xml = footer._element
    assert [i.text.strip() for i in xml.iter(qn("w:instrText"))] == ["PAGE", "NUMPAGES"]
    # The words and the fields in reading order: "Page", the PAGE field, "of", the NUMPAGES field.
    sequence = []
    for element in xml.iter(qn("w:t"), qn("w:instrText"), qn("w:tab")):
        if element.tag == qn("w:instrText"):
            sequence.append(f"{{{element.text.strip()}}}")
        elif element.tag == qn("w:t"):
            sequence.append(element.text)
        else:
            sequence.append("\t")
    text = "".join(sequence)
    assert "\tPage {PAGE}1 of {NUMPAGES}1" in text
    assert text.startswith("Annex 1 Outcome Reporting")
    # Every field is complete (begin, separate, end), so Word and LibreOffice compute it.
    kinds = [c.get(qn("w:fldCharType")) for c in xml.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", "end"] * 2


def test_headings_are_black_arial_and_the_document_is_arial_in_british_english(annex_2015):
    document = _document(assemble(annex_2015))
    headings = [p for p in document.paragraphs if p.style.name in HEADING_STYLES]
    assert {p.style.name for p in headings} == {"Title", "Subtitle", "Heading 1"}
    assert len(headings) == 2 + 7
    for paragraph in headings:
        assert paragraph.runs
        for run in paragraph.runs:
            assert (_effective(run, "color"), _effective(run, "name")) == (BLACK, "Arial"), paragraph.text
        fonts = paragraph.style.element.rPr.find(qn("w:rFonts"))
        # A theme font would win over "Arial" in Word: none is left on the style.
        assert not [a for a in THEME_FONTS if fonts.get(qn(a))]
        color = paragraph.style.element.rPr.find(qn("w:color"))
        assert color.get(qn("w:val")) == "000000"
        assert color.get(qn("w:themeColor")) is None
        assert paragraph.style.font.italic is None
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = defaults.find(qn("w:rFonts"))
    assert fonts.get(qn("w:ascii")) == fonts.get(qn("w:hAnsi")) == "Arial"
    assert not [a for a in THEME_FONTS if fonts.get(qn(a))]
    assert defaults.find(qn("w:lang")).get(qn("w:val")) == "en-GB"
    cell_run = document.tables[0].rows[1].cells[0].paragraphs[0].runs[0]
    assert _effective(cell_run, "name") == "Arial"
    assert _effective(cell_run, "size") == Pt(8.5)


def test_the_appendix_headings_are_black_arial_too(annex_2015):
    annex_2015.include_performance_summary = True
    annex_2015.save()
    document = _document(assemble(annex_2015))
    subheadings = [p for p in document.paragraphs if p.style.name == "Heading 2"]
    assert [p.text for p in subheadings] == [
        "Spend against allocation",
        "Evidence quality",
        "RAG ratings by Plan priority",
    ]
    appendix = next(p for p in document.paragraphs if p.text == "Appendix: Performance summary")
    assert appendix.paragraph_format.page_break_before
    for paragraph in [appendix, *subheadings]:
        for run in paragraph.runs:
            assert (_effective(run, "color"), _effective(run, "name")) == (BLACK, "Arial")
    # Its tables have the same shaded header row, repeated on each page.
    for table in document.tables[7:]:
        assert table.rows[0]._tr.xpath("./w:trPr/w:tblHeader")
        assert {c._tc.xpath("./w:tcPr/w:shd/@w:fill")[0] for c in table.rows[0].cells} == {"D9D9D9"}


def test_header_rows_are_shaded_bold_and_repeat_on_each_page(annex_2015, seed_json):
    document = _document(assemble(annex_2015))
    headings = [c["heading"] for c in seed_json["columns"]]
    assert len(document.tables) == 7
    for table in document.tables:
        header, *body = table.rows
        assert [c.text for c in header.cells] == headings
        assert header._tr.xpath("./w:trPr/w:tblHeader/@w:val") == ["true"]
        for cell in header.cells:
            assert cell._tc.xpath("./w:tcPr/w:shd/@w:fill") == ["D9D9D9"]
            assert all(run.bold for run in cell.paragraphs[0].runs)
        # Only the header row repeats, and body cells are not shaded.
        assert not any(row._tr.xpath("./w:trPr/w:tblHeader") for row in body)
        assert not any(cell._tc.xpath("./w:tcPr/w:shd") for row in body for cell in row.cells)


def test_paragraphs_in_a_cell_have_space_between_them(annex_2015):
    document = _document(assemble(annex_2015))
    cell = document.tables[0].rows[3].cells[2]  # Birmingham row 3, innovation: paragraphs and a list
    paragraphs = cell.paragraphs
    assert len(paragraphs) > 2
    plain = [p for p in paragraphs if p.style.name != "List Bullet"]
    items = [p for p in paragraphs if p.style.name == "List Bullet"]
    assert len(plain) >= 2
    assert len(items) >= 2
    for paragraph in paragraphs:
        assert paragraph.paragraph_format.space_after > 0, paragraph.text
    assert {p.paragraph_format.space_after for p in plain} == {Pt(4)}
    assert items[0].paragraph_format.space_after == Pt(2)
    # Word would drop the space between list items with contextual spacing: the style has none.
    assert not items[0].style.element.pPr.findall(qn("w:contextualSpacing"))
    # And every cell with more than one paragraph is spaced, not only this one.
    for table in document.tables:
        for row in table.rows[1:]:
            for each in row.cells:
                if len(each.paragraphs) > 1:
                    assert all(p.paragraph_format.space_after > 0 for p in each.paragraphs)


def test_each_borough_starts_a_page_and_rows_stay_whole_unless_taller_than_a_page(annex_2015):
    cell = RollUpCell.objects.get(row__rollup__borough__name="Coventry", row__position=1, column__key="alignment")
    cell.save_text(text="A long cell. " * 200, expected_version=cell.version, by=None)
    assembled = assemble(annex_2015)
    document = _document(assembled)
    boroughs = [p for p in document.paragraphs if p.style.name == "Heading 1"]
    assert [bool(p.paragraph_format.page_break_before) for p in boroughs] == [False] + [True] * 6
    section = document.sections[0]
    assert [round(m.mm) for m in (section.top_margin, section.right_margin, section.bottom_margin)] == [14, 12, 16]
    long_rows = 0
    for table, borough in zip(document.tables, assembled.boroughs, strict=True):
        for row, printed in zip(table.rows[1:], borough.printed_rows, strict=True):
            whole = bool(row._tr.xpath("./w:trPr/w:cantSplit"))
            assert whole is not printed.may_split_across_pages
            long_rows += printed.may_split_across_pages
    assert long_rows >= 1
