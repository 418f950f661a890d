"""The annex as PDF: the preview's own HTML (templates/reviews/_annex_document.html) with print CSS, via WeasyPrint.

The PDF is tagged (PDF/UA-1: a structure tree of headings, tables with their header cells, lists and figures, in
reading order), so a screen reader can read it as the board's document. Its language and title come from
templates/reviews/annex_pdf.html (`<html lang>`, `<title>`), its author from settings.ORGANISATION_NAME.

WeasyPrint holds every laid-out page until it writes the file, and lays pages out on one core: a national annex
took 45-75 s and 1.6 GB in one piece. So the annex is rendered in parts (`parts.py`: the first with the title, then
ANNEX_PDF_PART_BOROUGHS boroughs each, then the appendix's sections), each part by a process of its own when
ANNEX_PDF_PROCESSES allows, and the tagged parts are joined into one tagged PDF (`merge.py`), with the footer
("Page X of Y") stamped on afterwards, when the number of pages is known (`footer.py`). Every annex takes this one
path, small or national, so the tests of the demo's annex test the national one's machinery.
"""

from io import BytesIO

import pikepdf
from django.conf import settings
from django.template.loader import render_to_string

from boroughs.text import strip_control_characters

from ._pydyf import PYDYF_SLOW_PAGE_REFERENCES
from .footer import stamp
from .merge import join_parts
from .parts import annex_parts, part_job
from .weasy import PDF_VARIANT, PRINT_CSS, write_all

__all__ = [
    "CONTENT_TYPE",
    "EXTENSION",
    "ON_WORKER",
    "PDF_VARIANT",
    "PRINT_CSS",
    "PYDYF_SLOW_PAGE_REFERENCES",
    "render",
    "render_html",
]

CONTENT_TYPE = "application/pdf"
EXTENSION = "pdf"
# WeasyPrint takes seconds for a full annex: too long to hold a web process, so it runs on the worker.
ON_WORKER = True


def document_title(annex):
    """The title a PDF reader shows for the document (and its window): "Annex 1: Outcome Reporting … 2015-16"."""
    return f"{annex.label}: {annex.title}"


def footer_name(annex):
    """The footer's left-hand text on every page: the annex's heading as printed ("Annex 1 Outcome Reporting …")."""
    return f"{annex.label} {annex.title}"


def render_html(annex, part=None):
    """The HTML of the whole annex, or of one `part` (a parts.Part) of it."""
    # Rendered without a request, so the context processors' ORGANISATION_NAME is passed here.
    context = {
        "annex": part.annex if part else annex,
        "pdf_part": part,
        "document_title": document_title(annex),
        "ORGANISATION_NAME": settings.ORGANISATION_NAME,
    }
    # Control characters are stripped from the whole page, so none past the forms reaches the PDF's text.
    return strip_control_characters(render_to_string("reviews/annex_pdf.html", context))


def render(annex):
    processes = settings.ANNEX_PDF_PROCESSES
    parts = annex_parts(annex, boroughs_per_part=settings.ANNEX_PDF_PART_BOROUGHS)
    pdfs = write_all([part_job(render_html(annex, part)) for part in parts], processes=processes)
    document = join_parts(pdfs, outline_levels=[part.outline_level for part in parts])
    del pdfs
    stamp(document, footer_name(annex))
    out = BytesIO()
    # Object streams: the structure tree's tens of thousands of small objects take a third of the size in them.
    document.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()
