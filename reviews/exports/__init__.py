"""One module per export format. Each takes an AssembledAnnex and returns bytes; none reads the database.

FORMATS maps a format's name (as in URLs) to its module, which has CONTENT_TYPE, EXTENSION and render().
A module that sets ON_WORKER = True is too slow to render in a request: the pages offer to prepare it on
the background worker (reviews/tasks.py) instead of linking to it.
"""

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


def runs_on_worker(fmt):
    return getattr(FORMATS[fmt], "ON_WORKER", False)
