"""The DOCX's tables are written as XML (reviews/exports/docx_xml.py), for speed: here that XML is checked against
what python-docx's API writes for the same annex, element for element, so Word shows the same document.

The API versions below are the exporter as it was before the fast path (issue 12's 300-borough annex took seconds
through the proxies). No database: the annex is built by hand, with the text that needs care (markup characters,
tabs, line breaks, leading spaces, control characters, empty runs, lists first in a cell, a row that may split).
"""

import io
import zipfile

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from reviews.annex import text as celltext
from reviews.annex.assembly import AssembledAnnex, BoroughSection, Cell, Column, Row
from reviews.annex.text import BulletList, Paragraph, Run
from reviews.exports import docx as docx_export
from reviews.exports.docx_xml import add_to_body, bullet_xml, parse_blocks

COLUMNS = (Column("plan", "Alignment & <Plan>"), Column("performance", " Performance\tand risk "), Column("x", ""))
LONG = "A long update that may split across pages. " * 60


def _cell(column, text="", blocks=None):
    return Cell(column=column, text=text, blocks=celltext.blocks(text) if blocks is None else blocks)


def _row(row_id, *texts, name=""):
    return Row(row_id=row_id, project_name=name, cells=tuple(_cell(c, t) for c, t in zip(COLUMNS, texts, strict=True)))


def _annex():
    by_hand = (
        BulletList((Paragraph((Run("first item", bold=True), Run(" then\tmore"))), Paragraph((Run(""),)))),
        Paragraph((Run("line one\rline two\n"), Run("  spaced  "), Run("", bold=True))),
        Paragraph(()),
    )
    birmingham = BoroughSection(
        name="Birmingham & Solihull",
        slug="birmingham",
        annual=_row(None, "Q1: <b>on track</b> & more\n\nA second paragraph.", "- one\n- two\n\nAfter the list.", ""),
        rows=(
            _row(1, "", "Control\x0bcharacter \x0c gone", "  leading spaces kept", name="Youth"),
            Row(row_id=2, cells=(_cell(COLUMNS[0], "x", by_hand), _cell(COLUMNS[1]), _cell(COLUMNS[2], LONG))),
            _row(3, "Ünïcode – “quotes” £5", "", "\t"),
            Row(row_id=4, hidden=True, cells=tuple(_cell(c, "Hidden: never printed") for c in COLUMNS)),
        ),
    )
    empty = BoroughSection(name="", slug="empty", annual=_row(None, "", "", ""), rows=())
    return AssembledAnnex(
        label="Annex 1",
        title="Outcome reporting 2026-27",
        introduction="An introduction.\n\n- with\n- a list",
        financial_year="2026-27",
        columns=COLUMNS,
        boroughs=(birmingham, empty, birmingham),
    )


def _api_render(annex):
    """The exporter's borough tables through python-docx's API (the rest of the document is docx.py's own)."""
    clean = docx_export.clean
    document = Document()
    docx_export._page_setup(document, annex)
    docx_export._style(document)
    docx_export._properties(document, annex)
    styles = document.styles
    bullet = styles["List Bullet"]
    document.add_heading(clean(annex.label), level=0)
    document.add_paragraph(clean(annex.title), style="Subtitle")
    status = document.add_paragraph().add_run(clean(docx_export._status_line(annex)))
    status.font.color.rgb = docx_export.GREY
    for block in annex.introduction_blocks:
        docx_export._add_block(document, block, bullet, first=None)
    width = docx_export.TEXT_WIDTH // max(len(annex.columns), 1)
    for index, section in enumerate(annex.boroughs):
        heading = document.add_heading(clean(section.name), level=1)
        heading.paragraph_format.page_break_before = index > 0
        table = document.add_table(rows=1, cols=len(annex.columns))
        _api_table_setup(table, styles)
        header = table.rows[0]
        _api_row_property(header, "w:tblHeader")
        for cell, column in zip(header.cells, annex.columns, strict=True):
            cell.width = width
            cell.paragraphs[0].add_run(clean(column.heading)).bold = True
            _api_shade(cell)
        for row in section.printed_rows:
            added = table.add_row()
            if not row.may_split_across_pages:
                _api_row_property(added, "w:cantSplit")
            for cell, data in zip(added.cells, row.cells, strict=True):
                cell.width = width
                first = cell.paragraphs[0]
                for block in data.blocks:
                    first = docx_export._add_block(cell, block, bullet, first=first)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _api_table(document, head, rows):
    table = document.add_table(rows=1, cols=len(head))
    _api_table_setup(table, document.styles)
    header = table.rows[0]
    _api_row_property(header, "w:tblHeader")
    for cell, text in zip(header.cells, head, strict=True):
        cell.paragraphs[0].add_run(docx_export.clean(str(text))).bold = True
        _api_shade(cell)
    for row in rows:
        added = table.add_row()
        _api_row_property(added, "w:cantSplit")
        for cell, value in zip(added.cells, row, strict=True):
            cell.paragraphs[0].add_run(docx_export.clean(str(value)))
    document.add_paragraph()


def _api_table_setup(table, styles):
    table.style = styles["Table Grid"]
    table.autofit = False
    margins = OxmlElement("w:tblCellMar")
    for side, twips in docx_export.CELL_MARGINS.items():
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), str(twips))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.append(margins)


def _api_row_property(row, tag):
    element = OxmlElement(tag)
    element.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(element)


def _api_shade(cell):
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), docx_export.SHADE)
    cell._tc.get_or_add_tcPr().append(shading)


def _parts(content):
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        return {name: package.read(name) for name in package.namelist() if name != "docProps/core.xml"}


def _empty_document(annex):
    document = Document()
    docx_export._page_setup(document, annex)
    docx_export._style(document)
    return document


def test_the_annex_is_the_document_the_api_writes():
    annex = _annex()
    fast, api = _parts(docx_export.render(annex)), _parts(_api_render(annex))
    assert b"Birmingham &amp; Solihull" in fast["word/document.xml"]
    assert b'<w:t xml:space="preserve">  leading spaces kept</w:t>' in fast["word/document.xml"]
    assert b"<w:cantSplit" in fast["word/document.xml"]
    assert fast.keys() == api.keys()
    for name in api:
        assert fast[name] == api[name], name


def test_a_table_of_figures_is_the_one_the_api_writes():
    annex = _annex()
    head = ["Partnership", "Spend & <allocation>", 2026]
    rows = [["Birmingham", 1.5, None], ["", "\tTabbed\nand broken ", "x\x07y"]]
    fast, api = _empty_document(annex), _empty_document(annex)
    docx_export._add_table(fast, docx_export._table_format(fast), head, rows)
    _api_table(api, head, rows)
    assert fast.element.body.xml == api.element.body.xml


def test_a_list_of_flags_is_the_one_the_api_writes():
    annex = _annex()
    items = ["Birmingham: likely to underspend", "", " Coventry & Solihull\tovers"]
    fast, api = _empty_document(annex), _empty_document(annex)
    add_to_body(fast, parse_blocks(bullet_xml(item, docx_export._table_format(fast).bullet_style) for item in items))
    for item in items:
        api.add_paragraph(item, style="List Bullet")
    assert fast.element.body.xml == api.element.body.xml
