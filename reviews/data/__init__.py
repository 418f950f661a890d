"""A financial year's data for analysts: an XLSX workbook, or the same sheets as CSV files in a ZIP.

OPCC staff only (it holds draft returns and OPCC-only flags). A small year is built in the request; a
year with more project updates than settings.ANALYSTS_WORKBOOK_INLINE_MAX is built on the worker
(reviews/tasks.py build_year_data_export), like the annex PDF.
"""

from django.conf import settings

from . import csvzip, workbook
from .selectors import YearData, update_count

FORMATS = {"xlsx": workbook, "zip": csvzip}


def build(year, user, fmt):
    """(bytes, content type, file name) of the year's data as `user` may see it, in the format."""
    module = FORMATS[fmt]
    return module.render(YearData(year, user)), module.CONTENT_TYPE, file_name(year, fmt)


def file_name(year, fmt):
    return f"csp-data-{year.label}.{FORMATS[fmt].EXTENSION}"


def on_worker(year):
    """Whether the year is too large to build in a request."""
    return update_count(year) > settings.ANALYSTS_WORKBOOK_INLINE_MAX
