"""The annex as PDF: the preview's own HTML (templates/reviews/_annex_document.html) with print CSS, via WeasyPrint.

The PDF is tagged (PDF/UA-1: a structure tree of headings, tables with their header cells, lists and figures, in
reading order), so a screen reader can read it as the board's document. Its language and title come from
templates/reviews/annex_pdf.html (`<html lang>`, `<title>`), its author from settings.ORGANISATION_NAME.
"""

from pathlib import Path

import pydyf
from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import CSS, HTML

from boroughs.text import strip_control_characters

CONTENT_TYPE = "application/pdf"
EXTENSION = "pdf"
# WeasyPrint takes seconds for a full annex: too long to hold a web process, so it runs on the worker.
ON_WORKER = True
# The variant that tags the PDF and writes the XMP metadata (dc:title, the PDF/UA identification) beside the Info.
PDF_VARIANT = "pdf/ua-1"

PRINT_CSS = Path(__file__).with_name("annex_pdf.css")


def document_title(annex):
    """The title a PDF reader shows for the document (and its window): "Annex 1: Outcome Reporting … 2015-16"."""
    return f"{annex.label}: {annex.title}"


def render_html(annex):
    # Rendered without a request, so the context processors' ORGANISATION_NAME is passed here.
    context = {
        "annex": annex,
        "document_title": document_title(annex),
        "ORGANISATION_NAME": settings.ORGANISATION_NAME,
    }
    return render_to_string("reviews/annex_pdf.html", context)


def render(annex):
    # No base_url: the document loads nothing, so text from a cell can never fetch a file or URL.
    # Control characters are stripped from the whole page, so none past the forms reaches the PDF's text.
    html = HTML(string=strip_control_characters(render_html(annex)), url_fetcher=_refuse)
    return html.write_pdf(stylesheets=[CSS(filename=str(PRINT_CSS))], pdf_variant=PDF_VARIANT)


def _refuse(url, *args, **kwargs):
    raise ValueError(f"The annex PDF loads no resources ({url})")


# Tagging asks pydyf for the page references once per structure element (tens of thousands in a national annex),
# and pydyf 0.13 rebuilds the list of every page on each call: the time grew with the square of the pages (measured
# CPU for 300 boroughs: 47 s untagged, 61 s tagged, 51 s tagged with this). The list only grows while pages are
# added, so it is kept until the number of pages changes. Pinned to the version this was measured on:
# tests/reviews/exports/test_pdf_tagged.py fails on another one, to check whether it is still needed.
PYDYF_SLOW_PAGE_REFERENCES = "0.13.0"


def _page_references(pdf):
    kids = pdf.pages["Kids"]  # [number, 0, "R", number, 0, "R", …]
    cached = pdf.__dict__.get("_annex_page_references")
    if cached is None or cached[0] != len(kids):
        cached = (len(kids), tuple(f"{number} 0 R".encode("ascii") for number in kids[::3]))
        pdf._annex_page_references = cached
    return cached[1]


if pydyf.__version__ == PYDYF_SLOW_PAGE_REFERENCES:
    pydyf.PDF.page_references = property(_page_references)
