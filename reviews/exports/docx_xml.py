"""The DOCX's tables (and the paragraphs around them) written as WordprocessingML text and parsed once.

Why not python-docx's API for these: a national annex has some 300 tables and 16,000 cell paragraphs, and through
the proxies each cell, paragraph, run and property is a lookup (`row.cells` walks the row, a style is found by
walking the styles part, every property re-reads the element), which took seconds. Here each element is one piece
of text; lxml parses the lot in one go (`parse_blocks`) and `add_to_body` moves it into the document's body. The XML
is what the API writes (tests/reviews/exports/test_docx_speed_shape.py compares the two), so Word and LibreOffice
show the same document.

Text is escaped here (lxml then keeps it as text), after `clean` has dropped what XML cannot hold; like python-docx's
`run.text`, a tab becomes `w:tab`, a newline or carriage return `w:br`, and a `w:t` with leading or trailing space
keeps it (`xml:space="preserve"`).
"""

import re
from dataclasses import dataclass
from xml.sax.saxutils import escape

from docx.oxml.ns import nsdecls
from docx.oxml.parser import parse_xml
from docx.shared import Emu

from boroughs.text import strip_control_characters as clean

from ..annex.text import BulletList

# What python-docx's run.text turns into elements of their own rather than text.
SPECIAL = re.compile(r"([\t\r\n])")
SPECIAL_ELEMENTS = {"\t": "<w:tab/>", "\r": "<w:br/>", "\n": "<w:br/>"}
# Each top-level element declares the namespace itself: lxml then moves it into the document (dropping the now
# redundant declaration) some ten times faster than when every element must be matched to the body's declaration.
W = nsdecls("w")
# The empty-cell template python-docx fills: every new cell starts with one empty paragraph.
EMPTY_PARAGRAPH = "<w:p/>"
# Word and LibreOffice repeat a table's leading rows marked tblHeader at the top of every page.
HEADER_ROW = '<w:tr><w:trPr><w:tblHeader w:val="true"/></w:trPr>'
# As the PDF: a row stays on one page, unless it is taller than a page (then it must split, or be cut off).
WHOLE_ROW = '<w:tr><w:trPr><w:cantSplit w:val="true"/></w:trPr>'


@dataclass(frozen=True)
class TableFormat:
    """What every table of the document shares, worked out once: the style ids and the measures in twips."""

    table_style: str  # the id of "Table Grid"
    bullet_style: str  # the id of "List Bullet"
    heading_style: str  # the id of "Heading 1"
    block_width: int  # the space between the margins (EMU), as python-docx's add_table reads it from the section
    cell_margins: dict  # side -> twips
    shade: str  # the header row's fill
    paragraph_after: int  # twips after a paragraph (and a list's last item) in a cell
    item_after: int  # twips after any other list item

    def grid_width(self, columns):
        """A column's width in the table grid (python-docx's add_table shares the block width evenly)."""
        return Emu(self.block_width // columns).twips if columns else 0

    def table_start(self, columns):
        """`w:tbl` with its properties and grid: python-docx's new table (its tblW, tblLook and even grid) in the
        "Table Grid" style, laid out fixed (autofit off), with the PDF's cell padding."""
        grid_column = f'<w:gridCol w:w="{self.grid_width(columns)}"/>'
        margins = "".join(f'<w:{side} w:w="{twips}" w:type="dxa"/>' for side, twips in self.cell_margins.items())
        return (
            f'<w:tbl {W}><w:tblPr><w:tblStyle w:val="{self.table_style}"/><w:tblW w:type="auto" w:w="0"/>'
            '<w:tblLayout w:type="fixed"/><w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" '
            'w:lastRow="0" w:noHBand="0" w:noVBand="1" w:val="04A0"/>'
            f"<w:tblCellMar>{margins}</w:tblCellMar></w:tblPr>"
            f"<w:tblGrid>{grid_column * columns}</w:tblGrid>"
        )

    def cell_start(self, columns, cell_width=None, *, shaded=False):
        """`w:tc` and its properties: the width (the grid's unless given, in EMU) and the header's shading."""
        twips = self.grid_width(columns) if cell_width is None else Emu(cell_width).twips
        shading = f'<w:shd w:val="clear" w:color="auto" w:fill="{self.shade}"/>' if shaded else ""
        return f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{twips}"/>{shading}</w:tcPr>'


def run_xml(text, bold):
    """A `w:r` as `paragraph.add_run(text)` writes it (a run even for no text). `bold`: True as `run.bold = True`
    (`w:b`); False as `run.bold = None`, which leaves an empty `w:rPr` behind; None when bold is never set."""
    properties = "" if bold is None else ("<w:rPr><w:b/></w:rPr>" if bold else "<w:rPr/>")
    return f"<w:r>{properties}{_content(text)}</w:r>"


def _content(text):
    parts = []
    for piece in SPECIAL.split(text):
        if not piece:
            continue
        if piece in SPECIAL_ELEMENTS:
            parts.append(SPECIAL_ELEMENTS[piece])
        elif len(piece.strip()) < len(piece):
            parts.append(f'<w:t xml:space="preserve">{escape(piece)}</w:t>')
        else:
            parts.append(f"<w:t>{escape(piece)}</w:t>")
    return "".join(parts)


def heading_xml(text, style, *, page_break_before):
    """`document.add_heading(text, level)` with `paragraph_format.page_break_before` set (True or False)."""
    page_break = "<w:pageBreakBefore/>" if page_break_before else '<w:pageBreakBefore w:val="0"/>'
    run = run_xml(text, None) if text else ""
    return f'<w:p {W}><w:pPr><w:pStyle w:val="{style}"/>{page_break}</w:pPr>{run}</w:p>'


def bullet_xml(text, style):
    """`document.add_paragraph(text, style="List Bullet")`."""
    return f'<w:p {W}><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{run_xml(text, None) if text else ""}</w:p>'


def cell_paragraphs_xml(blocks, fmt):
    """A cell's paragraphs and lists, each paragraph spaced after (less between list items), as docx.py's
    `_add_block` writes them into a new cell (whose empty paragraph the first block fills)."""
    paragraphs = []
    for block in blocks:
        is_list = isinstance(block, BulletList)
        items = block.items if is_list else (block,)
        style = f'<w:pStyle w:val="{fmt.bullet_style}"/>' if is_list else ""
        for index, paragraph in enumerate(items):
            after = fmt.paragraph_after if not is_list or index == len(items) - 1 else fmt.item_after
            runs = "".join(run_xml(clean(run.text), bool(run.bold)) for run in paragraph.runs)
            paragraphs.append(f'<w:p><w:pPr>{style}<w:spacing w:after="{after}"/></w:pPr>{runs}</w:p>')
    return "".join(paragraphs) or EMPTY_PARAGRAPH


def annex_table_xml(columns, section, fmt, cell_width):
    """One borough's table: the shaded, bold, repeating header row, then a row per printed row, each kept whole
    on a page unless it may split; every cell `cell_width` (EMU) wide."""
    count = len(columns)
    parts = [fmt.table_start(count), HEADER_ROW]
    header_cell = fmt.cell_start(count, cell_width, shaded=True)
    for column in columns:
        parts.append(f"{header_cell}<w:p>{run_xml(clean(column.heading), True)}</w:p></w:tc>")
    parts.append("</w:tr>")
    cell = fmt.cell_start(count, cell_width)
    for row in section.printed_rows:
        parts.append("<w:tr>" if row.may_split_across_pages else WHOLE_ROW)
        if len(row.cells) != count:
            raise ValueError(f"A row of {len(row.cells)} cells in a table of {count} columns.")
        for data in row.cells:
            parts.append(f"{cell}{cell_paragraphs_xml(data.blocks, fmt)}</w:tc>")
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    return "".join(parts)


def simple_table_xml(head, rows, fmt):
    """A table of plain values (the appendix's figures): the header row shaded, bold and repeated, every row
    kept whole, the cells as wide as the grid's columns."""
    count = len(head)
    parts = [fmt.table_start(count), HEADER_ROW]
    header_cell = fmt.cell_start(count, shaded=True)
    for text in head:
        parts.append(f"{header_cell}<w:p>{run_xml(clean(str(text)), True)}</w:p></w:tc>")
    parts.append("</w:tr>")
    cell = fmt.cell_start(count)
    for row in rows:
        parts.append(WHOLE_ROW)
        values = list(row)
        if len(values) != count:
            raise ValueError(f"A row of {len(values)} values in a table of {count} columns.")
        for value in values:
            parts.append(f"{cell}<w:p>{run_xml(clean(str(value)), None)}</w:p></w:tc>")
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    return "".join(parts)


def parse_blocks(xml_parts):
    """The pieces (block-level elements: paragraphs and tables) parsed in one go, in a `w:body` of their own."""
    return parse_xml(f"<w:body {W}>{''.join(xml_parts)}</w:body>")


def add_to_body(document, blocks, *, before=None):
    """Move the parsed `blocks` into the document's body before `before`, by default at the end (before the
    section properties, where python-docx's add_paragraph and add_table put theirs)."""
    body = document.element.body
    before = body.sectPr if before is None else before
    for element in list(blocks):
        if before is None:
            body.append(element)
        else:
            before.addprevious(element)
