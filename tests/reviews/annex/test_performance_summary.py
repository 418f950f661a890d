"""The annex's "Performance summary" appendix: in the preview, the PDF and the DOCX, frozen when published."""

import io
from datetime import date
from decimal import Decimal

import pikepdf
import pytest
from docx import Document
from pypdf import PdfReader

from returns.models import ProjectUpdate
from reviews.annex.assembly import AssembledAnnex, assemble, assemble_version
from reviews.exports import export
from reviews.exports.pdf import render_html
from reviews.models import Annex, Flag
from reviews.selectors.board import board_view_data
from reviews.services.annex import annex_publish, annex_start
from tests.reviews.test_board_view import board, priorities  # noqa: F401 (fixtures)

PREVIEW = "/annex/2026-27/"
# The appendix has its own page of the preview and of a published version, after the boroughs' pages.
SUMMARY_PAGE = "?borough=performance-summary"


@pytest.fixture
def annex(board, year, rita):  # noqa: F811
    return annex_start(year=year, by=rita).annex


def pdf_text(content):
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages), reader


def docx_parts(content):
    """(alt texts of the inline pictures, their pixel widths, every table cell's text) of a DOCX."""
    document = Document(io.BytesIO(content))
    alts = [shape._inline.docPr.get("descr") for shape in document.inline_shapes]
    widths = [
        document.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed].image.px_width
        for shape in document.inline_shapes
    ]
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return alts, widths, cells


def test_a_new_annex_has_the_appendix_by_default(annex):
    assert annex.include_performance_summary
    assembled = assemble(annex)
    assert assembled.performance_summary == board_view_data(year=annex.financial_year)
    assert [chart.key for chart in assembled.performance_charts] == [
        "appendix-spend",
        "appendix-evidence",
        "appendix-rag",
    ]


def test_the_pdf_prints_the_appendix_with_vector_charts(annex):
    assembled = assemble(annex)
    assert render_html(assembled).count("<svg") == 3  # inline SVG, with its own styles: vectors in the PDF
    text, reader = pdf_text(export(assembled, "pdf")[0])
    assert "Appendix: Performance summary" in text
    for words in (
        "Spend and forecast against allocation",
        "Evidence-quality flags by borough",
        "5 flags raised in 2026-27: 3 open, 2 resolved; most open in Birmingham (2).",
        "RAG ratings by Plan priority",
        "Reducing reoffending",
        "No impact assessment given",
        "2 open",
        "£1,000.10",
    ):
        assert words in text, words
    # Vectors: no page carries a raster image, and the charts' own labels are text in the PDF.
    assert all(not page.images for page in reader.pages)
    assert text.count("Protecting from harm") >= 2  # the chart's axis label and the table's row


def test_the_pdfs_map_shades_its_cells_and_gives_each_one_line_while_the_page_keeps_its_tags(annex, client, rita):
    assembled = assemble(annex)
    heatmap = _heatmap(render_html(assembled))
    # One run of text a cell (issue 12: a tag and a span in each were half the national map's time).
    assert "<strong" not in heatmap
    assert "<span" not in heatmap
    assert '<td class="govuk-table__cell govuk-tag--orange">2 open, 1 resolved</td>' in heatmap  # Birmingham's first
    assert '<td class="govuk-table__cell app-board__heat-total">2 open, 2 resolved</td>' in heatmap
    content = export(assembled, "pdf")[0]
    text, _ = pdf_text(content)
    assert "Birmingham 2 open, 1 resolved 0 open, 0 resolved" in text
    assert "Darker cells mark more open flags" in text
    # The cells' heat is drawn: the orange and yellow of annex_pdf.css's tags, as fills on the map's pages.
    drawing = b"".join(
        stream.read_bytes() for page in pikepdf.open(io.BytesIO(content)).pages for stream in _streams(page)
    )
    assert b"0.988235 0.839216 0.764706 rg" in drawing
    assert b"1 0.968627 0.74902 rg" in drawing
    client.force_login(rita)
    page = client.get(f"{PREVIEW}{SUMMARY_PAGE}").content.decode()
    assert '<strong class="govuk-tag govuk-tag--orange app-board__heat">2 open</strong>' in _heatmap(page)
    assert "Darker tags mark more open flags" in page


def _heatmap(html):
    start = html.index('id="appendix-heatmap"')
    return html[start : html.index("</table>", start)]


def _streams(page):
    contents = page.obj.Contents
    return contents if isinstance(contents, pikepdf.Array) else [contents]


def test_the_docx_has_each_chart_as_a_picture_with_alt_text_and_the_figures_as_tables(annex):
    alts, widths, cells = docx_parts(export(assemble(annex), "docx")[0])
    assert len(alts) == 3
    assert all(alt and alt.strip() for alt in alts)
    assert alts[1] == (
        "Evidence-quality flags by borough: "
        "5 flags raised in 2026-27: 3 open, 2 resolved; most open in Birmingham (2)."
    )
    assert alts[2].startswith("RAG ratings by Plan priority: ")
    # 300 dpi: a 720-pixel-wide chart is drawn 2,250 pixels wide.
    assert all(width >= 2000 for width in widths)
    for text in ("Reducing reoffending", "2 open, 1 resolved", "No impact assessment given", "£1,000.10"):
        assert text in cells, text


def test_the_preview_shows_the_appendix(client, annex, rita):
    client.force_login(rita)
    html = client.get(f"{PREVIEW}{SUMMARY_PAGE}").content.decode()
    assert "Appendix: Performance summary" in html
    assert 'id="appendix-heatmap"' in html
    assert html.count('role="img"') == 3


def _appendix_html(response):
    html = response.content.decode()
    return html[html.index('id="appendix-performance-summary"') : html.index("</article>")]


def _change_the_data(board):  # noqa: F811
    flag = Flag.objects.open().first()
    flag.status = Flag.Status.RESOLVED
    flag.save()
    ProjectUpdate.objects.filter(project=board["green"]).update(spend=Decimal("9999.99"))


def test_a_published_version_keeps_its_appendix_when_the_data_changes(client, annex, board, rita):  # noqa: F811
    version = annex_publish(annex=annex, meeting_date=date(2026, 12, 10), by=rita)
    before = assemble_version(version)
    pdf_before = pdf_text(export(before, "pdf")[0])[0]
    docx_before = docx_parts(export(before, "docx")[0])
    client.force_login(rita)
    page_before = _appendix_html(client.get(f"{PREVIEW}versions/1/{SUMMARY_PAGE}"))
    assert "2 open</strong>" in page_before

    _change_the_data(board)
    assert assemble(annex).performance_summary != before.performance_summary  # the draft moves on

    version.refresh_from_db()
    after = assemble_version(version)
    assert after.performance_summary == before.performance_summary
    assert pdf_text(export(after, "pdf")[0])[0].replace("v1", "") == pdf_before.replace("v1", "")
    assert docx_parts(export(after, "docx")[0]) == docx_before
    assert _appendix_html(client.get(f"{PREVIEW}versions/1/{SUMMARY_PAGE}")) == page_before
    assert "£9,999.99" not in pdf_before


def test_switched_off_the_appendix_is_absent_everywhere(client, annex, rita):
    Annex.objects.filter(pk=annex.pk).update(include_performance_summary=False)
    annex.refresh_from_db()
    assembled = assemble(annex)
    assert assembled.performance_summary is None
    assert "Performance summary" not in pdf_text(export(assembled, "pdf")[0])[0]
    alts, _, cells = docx_parts(export(assembled, "docx")[0])
    assert alts == []
    assert "Reducing reoffending" not in cells
    client.force_login(rita)
    assert "Performance summary" not in client.get(PREVIEW).content.decode()
    version = annex_publish(annex=annex, meeting_date=date(2026, 12, 10), by=rita)
    assert version.snapshot["performance_summary"] is None


def test_a_version_published_before_the_appendix_existed_still_renders(client, annex, rita):
    version = annex_publish(annex=annex, meeting_date=date(2026, 12, 10), by=rita)
    snapshot = dict(version.snapshot)
    del snapshot["performance_summary"]
    type(version).objects.filter(pk=version.pk).update(snapshot=snapshot)  # as an older release stored it
    version.refresh_from_db()
    assembled = assemble_version(version)
    assert assembled.performance_summary is None
    assert AssembledAnnex.from_snapshot(snapshot).performance_charts is None
    client.force_login(rita)
    response = client.get(f"{PREVIEW}versions/1/")
    assert response.status_code == 200
    assert "Performance summary" not in response.content.decode()
    assert export(assembled, "docx")[0]
    assert export(assembled, "pdf")[0]


def test_the_admin_switches_the_appendix_on_the_details_page(client, annex, adam):
    url = f"{PREVIEW}details/"
    client.force_login(adam)
    form = client.get(url).content.decode()
    assert "Include the performance summary appendix" in form
    assert 'name="include_performance_summary"' in form
    assert "checked" in form
    data = {"label": annex.label, "title": annex.title, "introduction": "", "version": annex.version}
    assert client.post(url, data).status_code == 302  # unticked: an HTML form sends nothing
    annex.refresh_from_db()
    assert not annex.include_performance_summary
    response = client.post(url, {**data, "version": annex.version, "include_performance_summary": "on"})
    assert response.status_code == 302
    annex.refresh_from_db()
    assert annex.include_performance_summary
