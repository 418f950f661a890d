"""Past a size, the fast formats go to the worker too: the DOCX with the appendix's images, any format of a big annex.

A national annex (300 boroughs) or one whose DOCX carries print-resolution chart images takes seconds to build;
the pages then offer "Prepare" instead of a link, an old link lands on that button without rendering anything,
and the worker builds the file as it builds the PDF.
"""

import io
import re

import pytest
from docx import Document

from reviews.models import AnnexExport
from tests.reviews.exports.test_annex_exports import media  # noqa: F401 (the autouse MEDIA_ROOT fixture)

pytestmark = pytest.mark.django_db


def _links(html):
    return " ".join(re.findall(r'href="([^"]+)"', html))


def _explode(monkeypatch, fmt):
    def explode(annex):
        raise AssertionError(f"the {fmt} was rendered in the request")

    monkeypatch.setattr(f"reviews.exports.{fmt}.render", explode)


def test_a_small_annex_without_the_appendix_downloads_its_fast_formats_in_the_request(client, rita, annex_2015):
    client.force_login(rita)
    html = client.get("/annex/2015-16/").content.decode()
    for fmt in ("docx", "xlsx", "csv"):
        assert f"/annex/2015-16/export/{fmt}/" in _links(html)
    response = client.get("/annex/2015-16/export/docx/")
    assert response.status_code == 200
    assert Document(io.BytesIO(response.content)).tables


def test_the_docx_with_the_appendix_is_prepared_on_the_worker(
    client, rita, annex_2015, monkeypatch, django_capture_on_commit_callbacks
):
    annex_2015.include_performance_summary = True
    annex_2015.save()
    client.force_login(rita)
    html = client.get("/annex/2015-16/").content.decode()
    assert 'action="/annex/2015-16/export/docx/prepare/"' in html
    assert "/annex/2015-16/export/docx/" not in _links(html)
    assert "/annex/2015-16/export/xlsx/" in _links(html)  # its spreadsheet has no images: still in the request

    with monkeypatch.context() as patched:
        _explode(patched, "docx")
        response = client.get("/annex/2015-16/export/docx/")
    assert (response.status_code, response["Location"]) == (302, "/annex/2015-16/#downloads")
    assert not AnnexExport.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/annex/2015-16/export/docx/prepare/")
    job = AnnexExport.objects.get()
    assert (job.format, job.status) == ("docx", AnnexExport.Status.READY)
    document = Document(io.BytesIO(job.file.read()))
    assert "Performance summary" in " ".join(p.text for p in document.paragraphs)


def test_every_format_of_a_big_annex_is_prepared_on_the_worker(client, rita, annex_2015, settings, monkeypatch):
    settings.EXPORT_INLINE_MAX_ROWS = 10  # the 2015-16 annex has more rows than this
    client.force_login(rita)
    html = client.get("/annex/2015-16/").content.decode()
    for fmt in ("docx", "xlsx", "csv", "pdf"):
        assert f'action="/annex/2015-16/export/{fmt}/prepare/"' in html
        assert f"/annex/2015-16/export/{fmt}/" not in _links(html)
    for fmt in ("docx", "xlsx", "csv"):
        _explode(monkeypatch, fmt)
        response = client.get(f"/annex/2015-16/export/{fmt}/")
        assert (response.status_code, response["Location"]) == (302, "/annex/2015-16/#downloads")


def test_an_unknown_format_is_not_found(client, rita, annex_2015):
    client.force_login(rita)
    assert client.get("/annex/2015-16/export/odt/").status_code == 404
