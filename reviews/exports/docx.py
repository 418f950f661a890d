"""The annex as a Word document: A4 landscape, a heading and a five-column table per borough.

python-docx writes text into XML text nodes, so anything a reviewer typed (markup included) stays text.
Every piece of text goes through `clean` on its way in: XML cannot hold control characters, and one
that reached the database past the forms must not stop the document saving.

The "Performance summary" appendix (when the annex has it) puts each chart in as a PNG at print resolution
(300 dpi), with alt text (the picture's `wp:docPr descr`: its title and summary), and its figures as a table.
"""

from io import BytesIO

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from boroughs.text import strip_control_characters as clean

from ..annex.text import BulletList

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXTENSION = "docx"

PAGE_WIDTH, PAGE_HEIGHT, MARGIN = Mm(297), Mm(210), Mm(15)


def render(annex):
    document = Document()
    _page_setup(document)
    styles = document.styles
    styles["Normal"].font.name = "Arial"
    styles["Normal"].font.size = Pt(9)
    bullet = styles["List Bullet"]
    bullet.font.size = Pt(9)

    document.add_heading(clean(annex.label), level=0)
    document.add_paragraph(clean(annex.title), style="Subtitle")
    document.add_paragraph(clean(_status_line(annex)))
    for block in annex.introduction_blocks:
        _add_block(document, block, bullet, first=None)

    width = (PAGE_WIDTH - 2 * MARGIN) // max(len(annex.columns), 1)
    for section in annex.boroughs:
        document.add_heading(clean(section.name), level=1)
        table = document.add_table(rows=1, cols=len(annex.columns))
        table.style = styles["Table Grid"]
        table.autofit = False
        header = table.rows[0]
        _repeat_as_header(header)
        for cell, column in zip(header.cells, annex.columns, strict=True):
            cell.width = width
            run = cell.paragraphs[0].add_run(clean(column.heading))
            run.bold = True
            _shade(cell)
        for row in section.printed_rows:
            cells = table.add_row().cells
            for cell, data in zip(cells, row.cells, strict=True):
                cell.width = width
                first = cell.paragraphs[0]
                for block in data.blocks:
                    first = _add_block(cell, block, bullet, first=first)
    if annex.performance_summary is not None:
        _add_performance_summary(document, annex.performance_summary, annex.performance_charts)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _page_setup(document):
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, MARGIN)


def _status_line(annex):
    if annex.published:
        p = annex.published
        return f"Version {p.number}, published for the board meeting of {p.meeting_date:%-d %B %Y}."
    return "Draft: not yet published for the board."


def _add_block(container, block, bullet, *, first):
    """Add a paragraph or a list to a cell or the document; `first` is an empty paragraph to fill first."""
    paragraphs = block.items if isinstance(block, BulletList) else (block,)
    for paragraph in paragraphs:
        if first is not None:
            target, first = first, None
            if isinstance(block, BulletList):
                target.style = bullet
        else:
            target = container.add_paragraph(style=bullet if isinstance(block, BulletList) else None)
        for run in paragraph.runs:
            target.add_run(clean(run.text)).bold = run.bold or None
    return first


def _repeat_as_header(row):
    # Word and LibreOffice repeat a table's leading rows marked tblHeader at the top of every page.
    properties = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    properties.append(element)


def _shade(cell):
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), "D9D9D9")
    cell._tc.get_or_add_tcPr().append(shading)


CHART_WIDTH, CHART_DPI = Mm(180), 300


def _add_performance_summary(document, board, charts):
    """The appendix: per part a heading, the chart as a picture with alt text, and its figures as tables."""
    document.add_page_break()
    document.add_heading("Appendix: Performance summary", level=1)
    period = f", with spend figures to {board.period}" if board.period else ""
    document.add_paragraph(
        clean(
            "Spend against allocation, the quality of the evidence and RAG ratings by Plan priority for "
            f"{board.year}{period}."
        )
    )
    document.add_heading("Spend against allocation", level=2)
    if charts.spend is None:
        document.add_paragraph(clean(f"{board.year}'s returns were not filed in this service: no spend figures."))
    else:
        _add_chart(document, charts.spend)
        flags = board.forecast_flags
        for name, forecast in flags:
            document.add_paragraph(clean(f"{name}: {forecast.label}"), style="List Bullet")
        if not flags:
            document.add_paragraph("No partnership is likely to underspend or overspend.")
    document.add_heading("Evidence quality", level=2)
    _add_chart(document, charts.evidence)
    document.add_paragraph(
        clean(f"Evidence-quality map: flags raised in {board.year} by partnership and type, open and resolved.")
    )
    _add_table(
        document,
        ["Partnership", *board.flag_types, "All types"],
        [
            [
                row.borough,
                *(f"{c.open} open, {c.resolved} resolved" for c in row.cells),
                f"{row.open} open, {row.resolved} resolved",
            ]
            for row in charts.heatmap
        ],
    )
    document.add_heading("RAG ratings by Plan priority", level=2)
    if board.rag:
        _add_chart(document, charts.rag)
    else:
        document.add_paragraph(clean(f"{board.year} has no Police and Crime Plan priorities in this service."))


def _add_chart(document, chart):
    title = document.add_paragraph()
    title.add_run(clean(chart.title)).bold = True
    summary = document.add_paragraph(clean(chart.summary))
    # The title and summary stay on the page of the picture they describe.
    title.paragraph_format.keep_with_next = summary.paragraph_format.keep_with_next = True
    picture = document.add_picture(BytesIO(chart.png(dpi=CHART_DPI)), width=CHART_WIDTH)
    # Word reads a picture's alt text from its drawing properties (wp:docPr): the description and the title.
    properties = picture._inline.docPr
    properties.set("descr", clean(f"{chart.title}: {chart.summary}"))
    properties.set("title", clean(chart.title))
    _add_table(document, chart.table_head, chart.table_rows)


def _add_table(document, head, rows):
    table = document.add_table(rows=1, cols=len(head))
    table.style = document.styles["Table Grid"]
    header = table.rows[0]
    _repeat_as_header(header)
    for cell, text in zip(header.cells, head, strict=True):
        cell.paragraphs[0].add_run(clean(str(text))).bold = True
        _shade(cell)
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.paragraphs[0].add_run(clean(str(value)))
    document.add_paragraph()
    return table
