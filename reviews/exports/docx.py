"""The annex as a board-ready Word document laid out like the PDF: A4 landscape, a heading and a table per borough.

python-docx writes text into XML text nodes, so anything a reviewer typed (markup included) stays text.
Every piece of text goes through `clean` on its way in: XML cannot hold control characters, and one
that reached the database past the forms must not stop the document saving.

Styled like the PDF (reviews/exports/annex_pdf.css): Arial throughout, black headings (python-docx's template gives
Word's theme fonts and blue), the same margins and sizes, each borough on a new page, a shaded header row that
repeats on every page, rows kept whole unless taller than a page, and space between the paragraphs of a cell. The
footer says "Page X of Y" with Word fields (PAGE, NUMPAGES), which Word and LibreOffice fill in as they lay out.
The document properties name the annex as its title and the organisation (settings.ORGANISATION_NAME) as author.

The "Performance summary" appendix (when the annex has it) puts each chart in as a PNG at print resolution
(300 dpi), with alt text (the picture's `wp:docPr descr`: its title and summary), and its figures as a table.

Speed (issue 12: a national annex of 300 boroughs in under 3 s): the tables are written as XML by `docx_xml`, the
same XML python-docx's API writes (tests/reviews/exports/test_docx_speed_shape.py), and the appendix's pictures are
drawn on a second thread meanwhile. The rest (title, introduction, footer, styles, appendix text) uses the API.
"""

from concurrent.futures import ThreadPoolExecutor
from io import BytesIO

from django.conf import settings
from django.utils import timezone
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from boroughs.text import strip_control_characters as clean

from ..annex.text import BulletList
from .docx_xml import (
    TableFormat,
    add_to_body,
    annex_table_xml,
    bullet_xml,
    heading_xml,
    parse_blocks,
    simple_table_xml,
)
from .pdf import document_title

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXTENSION = "docx"

# The PDF's page: A4 landscape with its margins (annex_pdf.css @page); the footer sits in the bottom margin.
PAGE_WIDTH, PAGE_HEIGHT = Mm(297), Mm(210)
MARGINS = {"top_margin": Mm(14), "right_margin": Mm(12), "bottom_margin": Mm(16), "left_margin": Mm(12)}
FOOTER_DISTANCE = Mm(7)
TEXT_WIDTH = PAGE_WIDTH - MARGINS["left_margin"] - MARGINS["right_margin"]

FONT, LANGUAGE = "Arial", "en-GB"
BLACK, GREY, SHADE = RGBColor(0, 0, 0), RGBColor(0x50, 0x5A, 0x5F), "D9D9D9"
# Paragraph styles as the PDF prints their elements: (size, bold, space before, space after).
STYLES = {
    "Normal": (8.5, None, 0, 4),
    "List Bullet": (8.5, None, 0, 2),
    "Title": (20, True, 0, 0),  # the label, "Annex 1"
    "Subtitle": (16, True, 0, 4),  # the annex's title
    "Heading 1": (13, True, 0, 4),  # a borough, the appendix
    "Heading 2": (11, True, 10, 4),  # a part of the appendix
}
# Between the paragraphs of a cell, as the PDF's paragraph and list margins (4pt, 2pt between list items).
PARAGRAPH_AFTER, ITEM_AFTER = Pt(4), Pt(2)
# Cell padding as the PDF's (3pt 4pt), in twentieths of a point.
CELL_MARGINS = {"top": 60, "bottom": 60, "left": 80, "right": 80}


def render(annex):
    if annex.performance_summary is None:
        return _render(annex, {})
    charts = annex.performance_charts
    # The appendix's pictures (most of the export's time) are drawn on another thread while the tables are written:
    # cairo draws and encodes outside Python's lock, so on a second core that work overlaps the rest. (Measured at
    # 300 boroughs: one thread beat drawing in turn, and two or three threads did no better than one.)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="docx-pictures") as pool:
        pictures = {
            name: pool.submit(chart.png, dpi=CHART_DPI)
            for name in ("spend", "evidence", "rag")
            if (chart := getattr(charts, name)) is not None
        }
        return _render(annex, pictures)


def _render(annex, pictures):
    document = Document()
    _page_setup(document, annex)
    _style(document)
    _properties(document, annex)
    styles = document.styles
    bullet = styles["List Bullet"]

    document.add_heading(clean(annex.label), level=0)
    document.add_paragraph(clean(annex.title), style="Subtitle")
    status = document.add_paragraph().add_run(clean(_status_line(annex)))
    status.font.color.rgb = GREY
    for block in annex.introduction_blocks:
        _add_block(document, block, bullet, first=None)

    # The boroughs' headings and tables, written as XML (docx_xml says why) while the appendix's pictures are drawn.
    tables = _table_format(document)
    width = TEXT_WIDTH // max(len(annex.columns), 1)
    boroughs = parse_blocks(
        # Each borough starts a page, as in the PDF (the first follows the title).
        heading_xml(clean(section.name), tables.heading_style, page_break_before=index > 0)
        + annex_table_xml(annex.columns, section, tables, width)
        for index, section in enumerate(annex.boroughs)
    )
    # The appendix goes in first and the boroughs before it, where they belong: python-docx numbers a picture by
    # searching the whole document for ids, quick while the 300 tables are not yet in it.
    introduction_end = document.element.body[-2]  # the last paragraph before the section properties
    if annex.performance_summary is not None:
        _add_performance_summary(document, annex.performance_summary, annex.performance_charts, tables, pictures)
    add_to_body(document, boroughs, before=introduction_end.getnext())
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _page_setup(document, annex):
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    for side, size in MARGINS.items():
        setattr(section, side, size)
    section.footer_distance = FOOTER_DISTANCE
    # The PDF's footer: the annex on the left, "Page X of Y" on the right (a right tab stop at the margin).
    # The template's Footer style has portrait Letter's tab stops (centre, right): one right stop at the margin here.
    style = document.styles["Footer"]
    style.paragraph_format.tab_stops.clear_all()
    style.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    footer = section.footer.paragraphs[0]
    footer.style = style
    name = footer.add_run(clean(f"{annex.label} {annex.title}"))
    name.font.color.rgb = GREY
    footer.add_run("\tPage ")
    _add_field(footer, "PAGE")
    footer.add_run(" of ")
    _add_field(footer, "NUMPAGES")
    for run in footer.runs:
        run.font.size = Pt(8)


def _add_field(paragraph, instruction):
    """A Word field (begin, instruction, separate, a placeholder result, end): the reader computes its value."""
    for kind, text in (("begin", None), (None, f" {instruction} "), ("separate", None), (None, "1"), ("end", None)):
        run = paragraph.add_run()
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText" if text.strip() == instruction else "w:t")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _style(document):
    """Arial and British English everywhere; the PDF's sizes; headings black and without Word's theme colours."""
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(defaults)
    language = defaults.find(qn("w:lang"))
    language.set(qn("w:val"), LANGUAGE)
    language.set(qn("w:eastAsia"), LANGUAGE)
    for name, (size, bold, before, after) in STYLES.items():
        style = document.styles[name]
        _set_fonts(style.element.get_or_add_rPr())
        style.font.size = Pt(size)
        style.font.color.rgb = BLACK
        style.font.bold = bold
        style.font.italic = None
        properties = style.paragraph_format
        properties.space_before, properties.space_after = Pt(before), Pt(after)
        p_pr = style.element.get_or_add_pPr()
        # The template's Title has a blue rule under it and its Subtitle a numbering level; the PDF has neither.
        # Contextual spacing would drop the space between list items.
        for unwanted in ("w:pBdr", "w:numPr", "w:contextualSpacing"):
            if name != "List Bullet" or unwanted != "w:numPr":
                for element in p_pr.findall(qn(unwanted)):
                    p_pr.remove(element)
        # Nor the template's letter spacing and kerning of its title styles.
        r_pr = style.element.get_or_add_rPr()
        for unwanted in ("w:spacing", "w:kern"):
            for element in r_pr.findall(qn(unwanted)):
                r_pr.remove(element)
    # Lines as tall as the PDF's (line-height 1.3 is about Word's 1.15 for Arial), in and out of tables.
    document.styles["Normal"].paragraph_format.line_spacing = 1.15
    document.styles["Table Grid"].paragraph_format.line_spacing = 1.15


def _set_fonts(r_pr):
    # A theme font (asciiTheme …) wins over a named one in Word, so the element is replaced, not amended.
    for element in r_pr.findall(qn("w:rFonts")):
        r_pr.remove(element)
    fonts = OxmlElement("w:rFonts")
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    r_pr.insert(0, fonts)


def _properties(document, annex):
    """File > Info in Word: the annex as title, the organisation as author (not python-docx's template's)."""
    properties = document.core_properties
    now = timezone.now().replace(microsecond=0)
    properties.title = clean(document_title(annex))
    properties.subject = clean(f"{annex.label} {annex.financial_year}")
    properties.author = properties.last_modified_by = clean(settings.ORGANISATION_NAME)
    properties.created = properties.modified = now
    properties.revision = 1
    properties.comments = properties.keywords = properties.category = ""
    properties.language = LANGUAGE


def _status_line(annex):
    if annex.published:
        p = annex.published
        return f"Version {p.number}, published for the board meeting of {p.meeting_date:%-d %B %Y}."
    return "Draft: not yet published for the board."


def _add_block(container, block, bullet, *, first):
    """Add a paragraph or a list to a cell or the document; `first` is an empty paragraph to fill first."""
    is_list = isinstance(block, BulletList)
    paragraphs = block.items if is_list else (block,)
    for index, paragraph in enumerate(paragraphs):
        if first is not None:
            target, first = first, None
            if is_list:
                target.style = bullet
        else:
            target = container.add_paragraph(style=bullet if is_list else None)
        # Set on the paragraph: a table's style would otherwise run a cell's paragraphs together.
        last_item = not is_list or index == len(paragraphs) - 1
        target.paragraph_format.space_after = PARAGRAPH_AFTER if last_item else ITEM_AFTER
        for run in paragraph.runs:
            target.add_run(clean(run.text)).bold = run.bold or None
    return first


def _table_format(document):
    """What docx_xml needs to write tables as this document's API would: style ids looked up once, the block
    width as python-docx's add_table reads it from the section (in whole twips), the padding and spacing."""
    styles, section = document.styles, document.sections[-1]
    return TableFormat(
        table_style=styles["Table Grid"].style_id,
        bullet_style=styles["List Bullet"].style_id,
        heading_style=styles["Heading 1"].style_id,
        block_width=section.page_width - section.left_margin - section.right_margin,
        cell_margins=CELL_MARGINS,
        shade=SHADE,
        paragraph_after=PARAGRAPH_AFTER.twips,
        item_after=ITEM_AFTER.twips,
    )


CHART_WIDTH, CHART_DPI = Mm(180), 300


def _add_performance_summary(document, board, charts, tables, pictures):
    """The appendix: per part a heading, the chart as a picture with alt text, and its figures as tables."""
    document.add_heading("Appendix: Performance summary", level=1).paragraph_format.page_break_before = True
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
        _add_chart(document, charts.spend, pictures["spend"], tables)
        flags = board.forecast_flags
        bullets = (bullet_xml(clean(f"{name}: {forecast.label}"), tables.bullet_style) for name, forecast in flags)
        add_to_body(document, parse_blocks(bullets))
        if not flags:
            document.add_paragraph("No partnership is likely to underspend or overspend.")
    document.add_heading("Evidence quality", level=2)
    _add_chart(document, charts.evidence, pictures["evidence"], tables)
    document.add_paragraph(
        clean(f"Evidence-quality map: flags raised in {board.year} by partnership and type, open and resolved.")
    )
    _add_table(
        document,
        tables,
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
        _add_chart(document, charts.rag, pictures["rag"], tables)
    else:
        document.add_paragraph(clean(f"{board.year} has no Police and Crime Plan priorities in this service."))


def _add_chart(document, chart, png, tables):
    """The chart's title, summary, picture and table; `png` is the future of its picture (drawn on a thread)."""
    title = document.add_paragraph()
    title.add_run(clean(chart.title)).bold = True
    summary = document.add_paragraph(clean(chart.summary))
    # The title and summary stay on the page of the picture they describe.
    title.paragraph_format.keep_with_next = summary.paragraph_format.keep_with_next = True
    picture = document.add_picture(BytesIO(png.result()), width=CHART_WIDTH)
    # Word reads a picture's alt text from its drawing properties (wp:docPr): the description and the title.
    properties = picture._inline.docPr
    properties.set("descr", clean(f"{chart.title}: {chart.summary}"))
    properties.set("title", clean(chart.title))
    _add_table(document, tables, chart.table_head, chart.table_rows)


def _add_table(document, tables, head, rows):
    add_to_body(document, parse_blocks([simple_table_xml(head, rows, tables)]))
    document.add_paragraph()
