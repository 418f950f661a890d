"""The annex PDF is tagged (issue 15): a structure tree, its language and title, read back with pypdf and pdfinfo."""

import io
import logging
import os
import shutil
import subprocess
from datetime import date

import pydyf
import pytest
from pypdf import PdfReader

from reviews.annex.assembly import assemble, assemble_version
from reviews.exports import export
from reviews.exports import pdf as pdf_export
from reviews.services.annex import annex_publish

pytestmark = pytest.mark.django_db

TITLE = "Annex 1: Outcome Reporting for Local Police and Crime Board Community Safety Activity 2015-16"


def _pdf(assembled):
    return export(assembled, "pdf")[0]


def _structure(reader):
    """Every structure element as (tag, element) in document order."""
    found = []

    def walk(node):
        node = node.get_object()
        if isinstance(node, list):
            for kid in node:
                walk(kid)
            return
        if not hasattr(node, "get"):
            return  # a marked-content id: the content itself, not an element
        found.append((node.get("/S"), node))
        if "/K" in node:
            walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def test_the_pdf_is_tagged_in_british_english_with_the_annexs_title(annex_2015, settings, caplog):
    settings.ORGANISATION_NAME = "Test Midlands OPCC"
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        content = _pdf(assemble(annex_2015))
    # WeasyPrint logs what PDF/UA lacks (a language, an image's alt text) as errors: none here.
    assert not [r for r in caplog.records if r.name.startswith("weasyprint") and r.levelno >= logging.ERROR]
    reader = PdfReader(io.BytesIO(content))
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "en-GB"
    # Readers show the title, not the file name, in their window.
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert reader.metadata.title == TITLE
    assert reader.metadata.author == "Test Midlands OPCC"
    xmp = reader.xmp_metadata
    assert xmp.dc_title == {"x-default": TITLE}
    assert xmp.dc_creator == ["Test Midlands OPCC"]
    assert b"pdfuaid:part" in catalog["/Metadata"].get_object().get_data()

    tags = [tag for tag, _ in _structure(reader)]
    assert tags.count("/Document") == 1
    assert "/H1" in tags
    # A heading per borough, a table per borough with column headers, in the order read.
    assert tags.count("/H2") >= 7
    assert tags.count("/Table") >= 7
    assert tags.count("/TH") >= 7 * 5
    assert {"/TD", "/P", "/L", "/LI"} <= set(tags)
    # Data cells point at their column's header cell, so a screen reader announces it.
    cells = [element for tag, element in _structure(reader) if tag == "/TD"]
    assert cells
    assert all(len(cell["/A"]["/Headers"]) == 1 for cell in cells)


def test_pdfinfo_says_tagged(annex_2015, tmp_path):
    pdfinfo = shutil.which("pdfinfo")
    if not pdfinfo:
        # CI installs poppler-utils (.ci/run) and sets REQUIRE_LIBREOFFICE, the document tools' switch: there it fails.
        if os.environ.get("REQUIRE_LIBREOFFICE"):
            pytest.fail("pdfinfo is required (REQUIRE_LIBREOFFICE=1) but not on PATH: apt-get install poppler-utils")
        pytest.skip("pdfinfo is not installed: apt-get install poppler-utils (the pypdf test above still checks it)")
    path = tmp_path / "annex.pdf"
    path.write_bytes(_pdf(assemble(annex_2015)))
    result = subprocess.run([pdfinfo, str(path)], capture_output=True, text=True, check=True, timeout=60)
    info = dict(line.split(":", 1) for line in result.stdout.splitlines() if ":" in line)
    assert info["Tagged"].strip() == "yes"
    assert info["Title"].strip() == TITLE


def test_a_published_version_is_tagged_with_the_same_title(annex_2015, rita):
    version = annex_publish(annex=annex_2015, meeting_date=date(2016, 7, 12), by=rita)
    reader = PdfReader(io.BytesIO(_pdf(assemble_version(version))))
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"].value is True
    assert reader.metadata.title == TITLE


def test_the_appendix_charts_keep_their_alt_text_as_figures(annex_2015):
    annex_2015.include_performance_summary = True
    annex_2015.save()
    assembled = assemble(annex_2015)
    charts = assembled.performance_charts
    # As templates/reviews/board/_summary.html draws them: spend only with allocations, RAG by priority only when a
    # project has a priority. Both come from the 2015-16 seed's data migrations, which an earlier browser test's
    # flush may have emptied; the evidence chart is always drawn.
    board = assembled.performance_summary
    drawn = [charts.spend, charts.evidence, charts.rag if board.rag else None]
    drawn = [chart for chart in drawn if chart is not None]
    assert charts.evidence in drawn
    reader = PdfReader(io.BytesIO(_pdf(assembled)))
    figures = [element for tag, element in _structure(reader) if tag == "/Figure"]
    # Each chart is a Figure named by its title (the SVG's <title>, which the page's role="img" label starts
    # with); its summary is the caption beside it and its figures the table after it.
    assert sorted(str(figure["/Alt"]) for figure in figures) == sorted(chart.title for chart in drawn)
    assert [tag for tag, _ in _structure(reader)].count("/Caption") >= len(drawn)


def test_page_references_are_kept_and_follow_new_pages():
    # reviews/exports/pdf/_pydyf.py keeps pydyf's page references between calls (tagging asked for them per element).
    assert pydyf.__version__ == pdf_export.PYDYF_SLOW_PAGE_REFERENCES, (
        "pydyf moved: check whether PDF.page_references still rebuilds its list on every call, and drop or re-pin "
        "the fix in reviews/exports/pdf/_pydyf.py"
    )
    document = pydyf.PDF()
    for _ in range(3):
        document.add_page(pydyf.Dictionary({"Type": "/Page"}))
    first = document.page_references
    assert first is document.page_references  # kept, not rebuilt
    assert first == tuple(f"{n} 0 R".encode() for n in document.pages["Kids"][::3])
    document.add_page(pydyf.Dictionary({"Type": "/Page"}))
    assert len(document.page_references) == 4
    assert document.page_references[:3] == first
