"""The year's data pages: who may load them, the files in the request, and a large year on the worker.

Tasks run with the ImmediateBackend once the transaction commits, so a request that queues a file is
wrapped in django_capture_on_commit_callbacks(execute=True): the task then runs as the worker would.
"""

import io
import zipfile
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from reviews.models import YearDataExport
from tests.conftest import assert_redirects_to_login

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def large(settings):
    """Every year counts as large: its files are built on the worker."""
    settings.ANALYSTS_WORKBOOK_INLINE_MAX = 0


@pytest.fixture
def ready(mixed_year, rita):
    job = YearDataExport.objects.create(financial_year=mixed_year, format="xlsx", requested_by=rita)
    job.start()
    job.finish(content=b"PK stand-in", filename="csp-data-2026-27.xlsx", content_type="application/zip")
    return job


def _urls(year, job):
    label = year.label
    return [
        f"/annex/{label}/data/",
        f"/annex/{label}/data/xlsx/",
        f"/annex/{label}/data/zip/",
        f"/annex/data-exports/{job.pk}/",
        f"/annex/data-exports/{job.pk}/status.json",
        f"/annex/data-exports/{job.pk}/download/",
    ]


@pytest.mark.parametrize(("persona", "status"), [("alice", 404), ("bob", 404), ("charlie", 403)])
def test_officers_404_and_no_role_403_on_every_page(client, request, mixed_year, ready, persona, status):
    client.force_login(request.getfixturevalue(persona))
    for url in _urls(mixed_year, ready):
        assert client.get(url).status_code == status, url
    assert client.post(f"/annex/{mixed_year.label}/data/xlsx/prepare/").status_code == status
    assert not YearDataExport.objects.exclude(pk=ready.pk).exists()


def test_anonymous_is_sent_to_sign_in(client, mixed_year, ready):
    for url in [*_urls(mixed_year, ready), f"/annex/{mixed_year.label}/data/xlsx/prepare/"]:
        assert_redirects_to_login(client.get(url), url)


@pytest.mark.parametrize("persona", ["rita", "adam"])
def test_opcc_staff_download_a_small_year_in_the_request(client, request, mixed_year, ready, persona):
    client.force_login(request.getfixturevalue(persona))
    page = client.get(f"/annex/{mixed_year.label}/data/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'href="/annex/{mixed_year.label}/data/xlsx/"' in html
    assert "Prepare the" not in html
    response = client.get(f"/annex/{mixed_year.label}/data/xlsx/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="csp-data-2026-27.xlsx"'
    assert "OPCC engagement" in load_workbook(io.BytesIO(response.content)).sheetnames
    response = client.get(f"/annex/{mixed_year.label}/data/zip/")
    assert response["Content-Type"] == "application/zip"
    assert "returns.csv" in zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    for url in _urls(mixed_year, ready)[3:]:
        assert client.get(url).status_code == 200, url


def test_unknown_format_or_year_is_404(client, rita, mixed_year):
    client.force_login(rita)
    assert client.get(f"/annex/{mixed_year.label}/data/pdf/").status_code == 404
    assert client.post(f"/annex/{mixed_year.label}/data/pdf/prepare/").status_code == 404
    assert client.get("/annex/1999-00/data/").status_code == 404


def test_a_large_year_goes_to_the_worker_and_the_file_reads_back(
    client, rita, mixed_year, large, django_capture_on_commit_callbacks
):
    client.force_login(rita)
    label = mixed_year.label
    # A link to the file lands on the page, which offers to prepare it: a GET never builds or queues.
    response = client.get(f"/annex/{label}/data/xlsx/")
    assert response.status_code == 302
    assert response["Location"] == f"/annex/{label}/data/#files"
    assert "Prepare the XLSX workbook" in client.get(f"/annex/{label}/data/").content.decode()
    assert not YearDataExport.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/annex/{label}/data/xlsx/prepare/")
    job = YearDataExport.objects.get()
    assert response.status_code == 303
    assert response["Location"] == f"/annex/data-exports/{job.pk}/"
    job.refresh_from_db()
    assert job.status == YearDataExport.Status.READY
    assert job.filename == "csp-data-2026-27.xlsx"
    page = client.get(f"/annex/data-exports/{job.pk}/").content.decode()
    assert "XLSX workbook of the 2026-27 data" in page
    assert f'href="/annex/{label}/data/"' in page
    assert client.get(f"/annex/data-exports/{job.pk}/status.json").json()["done"] is True
    download = client.get(f"/annex/data-exports/{job.pk}/download/")
    workbook = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert workbook.sheetnames[:2] == ["Read me", "Returns"]
    assert workbook["Flags"].max_row == 4  # the OPCC-only flag too: the worker builds as its requester sees


def test_one_pending_file_per_person_and_a_stale_one_can_be_asked_again(
    client, rita, adam, mixed_year, large, django_capture_on_commit_callbacks
):
    client.force_login(rita)
    url = f"/annex/{mixed_year.label}/data/zip/prepare/"
    with django_capture_on_commit_callbacks(execute=False):
        first = client.post(url)
        again = client.post(url, follow=True)
    assert YearDataExport.objects.count() == 1
    assert first["Location"] == again.redirect_chain[0][0]
    assert "You have already asked for this CSV ZIP" in again.content.decode()
    YearDataExport.objects.update(created=timezone.now() - timedelta(minutes=11))
    job = YearDataExport.objects.get()
    assert "Ask again" in client.get(job.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=False):
        client.post(url)
    assert YearDataExport.objects.count() == 2


def test_a_failed_build_is_kept_on_the_job(
    client, rita, mixed_year, large, monkeypatch, django_capture_on_commit_callbacks
):
    def explode(data):
        raise RuntimeError("disk full")

    monkeypatch.setattr("reviews.data.csvzip.render", explode)
    client.force_login(rita)
    # The worker (here the immediate backend) records the task as failed and goes on; the job keeps why.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/annex/{mixed_year.label}/data/zip/prepare/")
    job = YearDataExport.objects.get()
    assert job.status == YearDataExport.Status.FAILED
    assert "RuntimeError: disk full" in job.error
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Try again" in page
    assert f'action="/annex/{mixed_year.label}/data/zip/prepare/"' in page


def test_the_annex_list_and_the_review_grid_link_to_the_data(client, rita, mixed_year):
    client.force_login(rita)
    link = f'href="/annex/{mixed_year.label}/data/"'
    assert link in client.get("/annex/").content.decode()
    assert link in client.get(f"/review/?year={mixed_year.label}").content.decode()


def test_the_page_describes_every_sheet_and_column(client, rita, mixed_year):
    client.force_login(rita)
    html = client.get(f"/annex/{mixed_year.label}/data/").content.decode()
    for sheet in ("Read me", "Returns", "Project updates", "Indicator actuals", "Flags", "Risks", "OPCC engagement"):
        assert f'<span class="govuk-details__summary-text">{sheet}</span>' in html
    assert "Override reason" in html
    assert "Money (£)" in html
