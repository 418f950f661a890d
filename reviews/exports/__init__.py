"""One module per export format. Each takes an AssembledAnnex and returns bytes; none reads the database.

FORMATS maps a format's name (as in URLs) to its module, which has CONTENT_TYPE, EXTENSION and render().
A format is rendered on the background worker (reviews/tasks.py) instead of in the request when it would hold a
web process for seconds: always for a module that sets ON_WORKER = True (the PDF), and for the others past a size
(`runs_on_worker`): the DOCX of an annex with the performance-summary appendix (each chart becomes a print-resolution
image), and any format of an annex with more than EXPORT_INLINE_MAX_ROWS rows (a national annex). The pages offer a
"Prepare" button for those instead of a link.
"""

from django.conf import settings

from . import csv as csv_export
from . import docx as docx_export
from . import pdf as pdf_export
from . import xlsx as xlsx_export

FORMATS = {
    "docx": docx_export,
    "pdf": pdf_export,
    "xlsx": xlsx_export,
    "csv": csv_export,
}


def export(annex, fmt):
    """(bytes, content type, file name) of the assembled annex in the format."""
    module = FORMATS[fmt]
    return module.render(annex), module.CONTENT_TYPE, f"{annex.file_stem}.{module.EXTENSION}"


def runs_on_worker(fmt, annex):
    """Whether `fmt` of this assembled annex is prepared on the worker rather than in the request."""
    if getattr(FORMATS[fmt], "ON_WORKER", False):
        return True
    if fmt == "docx" and annex.performance_summary is not None:
        return True
    return annex.row_count > settings.EXPORT_INLINE_MAX_ROWS


def worker_formats(annex):
    """The formats of this assembled annex that the pages offer to prepare on the worker."""
    return {fmt for fmt in FORMATS if runs_on_worker(fmt, annex)}
