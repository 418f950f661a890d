"""A fix for pydyf 0.13's page references, which tagging made quadratic in the number of pages.

Tagging asks pydyf for the page references once per structure element (tens of thousands in a national annex),
and pydyf 0.13 rebuilds the list of every page on each call: the time grew with the square of the pages (measured
CPU for 300 boroughs in one piece: 47 s untagged, 61 s tagged, 51 s tagged with this). The list only grows while
pages are added, so it is kept until the number of pages changes. Pinned to the version this was measured on:
tests/reviews/exports/test_pdf_tagged.py fails on another one, to check whether it is still needed.
"""

import pydyf

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
