"""The annex as PDF: the preview's own HTML (templates/reviews/_annex_document.html) with print CSS, via WeasyPrint."""

from pathlib import Path

from django.template.loader import render_to_string
from weasyprint import CSS, HTML

from boroughs.text import strip_control_characters

CONTENT_TYPE = "application/pdf"
EXTENSION = "pdf"
# WeasyPrint takes seconds for a full annex: too long to hold a web process, so it runs on the worker.
ON_WORKER = True

PRINT_CSS = Path(__file__).with_name("annex_pdf.css")


def render_html(annex):
    return render_to_string("reviews/annex_pdf.html", {"annex": annex})


def render(annex):
    # No base_url: the document loads nothing, so text from a cell can never fetch a file or URL.
    # Control characters are stripped from the whole page, so none past the forms reaches the PDF's text.
    html = HTML(string=strip_control_characters(render_html(annex)), url_fetcher=_refuse)
    return html.write_pdf(stylesheets=[CSS(filename=str(PRINT_CSS))])


def _refuse(url, *args, **kwargs):
    raise ValueError(f"The annex PDF loads no resources ({url})")
