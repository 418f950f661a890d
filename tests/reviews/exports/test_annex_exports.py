"""Annex exports on the background worker: the model's transitions, the task, the pages and who may see them.

Tests run tasks with the ImmediateBackend, and enqueue them when the transaction commits, so each request
that queues an export is wrapped in django_capture_on_commit_callbacks(execute=True): the task then runs
as the worker would, once the row is committed.
"""

import io
import re
from datetime import date, timedelta

import pytest
from django.tasks import TaskResultStatus
from django.utils import timezone
from pypdf import PdfReader

from reviews import demo
from reviews.models import AnnexExport, ExportStateError
from reviews.services.annex import annex_publish
from reviews.services.exports import export_request
from reviews.tasks import build_annex_export
from tests.conftest import assert_redirects_to_login

pytestmark = pytest.mark.django_db

TITLE = "Outcome Reporting for Local Police and Crime Board Community Safety Activity 2015-16"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def version(annex_2015, rita):
    return annex_publish(annex=annex_2015, meeting_date=date(2016, 7, 12), by=rita)


@pytest.fixture
def queued(annex_2015, rita):
    """An export waiting for the worker (its task never ran: no commit happened)."""
    return export_request(annex=annex_2015, fmt="pdf", by=rita)


@pytest.fixture
def ready(annex_2015, rita):
    """A finished export with small stand-in bytes, for tests about pages rather than rendering."""
    job = AnnexExport.objects.create(annex=annex_2015, format="pdf", requested_by=rita)
    job.start()
    job.finish(content=b"%PDF-1.7 stand-in", filename="annex-1-2015-16.pdf", content_type="application/pdf")
    return job


def _pdf_text(content):
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


def _fail_pdf(monkeypatch):
    def explode(annex):
        raise RuntimeError("WeasyPrint could not find a font <b>Arial</b>")

    monkeypatch.setattr("reviews.exports.pdf.render", explode)


# The model: guarded transitions and scope.


def test_transitions_follow_queued_running_ready(queued):
    assert queued.status == AnnexExport.Status.QUEUED
    with pytest.raises(ExportStateError):
        queued.finish(content=b"x", filename="a.pdf", content_type="application/pdf")
    queued.start()
    assert queued.status == AnnexExport.Status.RUNNING
    assert queued.started
    with pytest.raises(ExportStateError):
        queued.start()  # a task delivered twice builds the file once
    queued.finish(content=b"%PDF-", filename="annex-1-2015-16.pdf", content_type="application/pdf")
    queued.refresh_from_db()
    assert queued.status == AnnexExport.Status.READY
    assert queued.finished
    assert queued.size == 5
    assert queued.file.name.startswith(f"exports/{queued.annex_id}/")
    assert queued.file.name.endswith(".pdf")
    for move in (queued.start, lambda: queued.fail(error="late")):
        with pytest.raises(ExportStateError):
            move()
    assert AnnexExport.objects.get(pk=queued.pk).status == AnnexExport.Status.READY


def test_fail_records_the_error_from_queued_or_running_but_never_after(queued, ready):
    queued.fail(error="x" * 5000)
    queued.refresh_from_db()
    assert queued.status == AnnexExport.Status.FAILED
    assert len(queued.error) == 2000
    assert queued.finished
    for move in (queued.start, lambda: queued.fail(error="again")):
        with pytest.raises(ExportStateError):
            move()
    with pytest.raises(ExportStateError):
        ready.fail(error="too late")


def test_a_stale_copy_cannot_finish_what_another_process_moved(queued, media):
    queued.start()
    stale = AnnexExport.objects.get(pk=queued.pk)
    queued.fail(error="timed out")
    with pytest.raises(ExportStateError):
        stale.finish(content=b"%PDF-", filename="a.pdf", content_type="application/pdf")
    # The bytes it stored belonged to nothing, so they were removed again.
    assert not any(path.is_file() for path in media.rglob("*"))
    assert AnnexExport.objects.get(pk=queued.pk).status == AnnexExport.Status.FAILED


def test_for_user_is_opcc_staff_only(request, queued):
    from django.contrib.auth.models import AnonymousUser

    for persona, count in [("alice", 0), ("bob", 0), ("charlie", 0), ("rita", 1), ("adam", 1)]:
        assert AnnexExport.objects.for_user(request.getfixturevalue(persona)).count() == count, persona
    assert not AnnexExport.objects.for_user(AnonymousUser()).exists()


# The task.


def test_the_task_renders_a_real_pdf_through_storage(annex_2015, rita, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = export_request(annex=annex_2015, fmt="pdf", by=rita)
    job.refresh_from_db()
    assert job.status == AnnexExport.Status.READY, job.error
    assert (job.filename, job.content_type) == ("annex-1-2015-16.pdf", "application/pdf")
    assert job.started <= job.finished
    with job.file.open("rb") as stored:
        content = stored.read()
    assert content.startswith(b"%PDF-")
    assert len(content) == job.size
    assert TITLE in _pdf_text(content)


def test_a_published_version_is_exported_as_published(
    annex_2015, version, rita, django_capture_on_commit_callbacks, client
):
    annex_2015.title = "Changed after publishing"
    annex_2015.save()
    client.force_login(rita)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/annex/2015-16/versions/1/pdf/prepare/")
    job = AnnexExport.objects.get()
    assert response.status_code == 303
    assert response["Location"] == f"/annex/exports/{job.pk}/"
    assert job.version == version
    assert job.status == AnnexExport.Status.READY, job.error
    download = client.get(f"/annex/exports/{job.pk}/download/")
    assert download["Content-Disposition"] == 'attachment; filename="annex-1-2015-16-v1.pdf"'
    text = _pdf_text(b"".join(download.streaming_content))
    assert TITLE in text
    assert "Changed after publishing" not in text


def test_the_task_records_a_failure_and_raises_for_the_worker(queued, monkeypatch):
    _fail_pdf(monkeypatch)
    result = build_annex_export.enqueue(queued.pk)
    # The worker (here the immediate backend) records the task as failed, with the exception…
    assert result.status == TaskResultStatus.FAILED
    assert result.errors[0].exception_class_path == "builtins.RuntimeError"
    # …and the export keeps the reason for its page.
    queued.refresh_from_db()
    assert queued.status == AnnexExport.Status.FAILED
    assert queued.error == "RuntimeError: WeasyPrint could not find a font <b>Arial</b>"
    assert not queued.file


def test_a_task_delivered_twice_does_not_build_again(ready):
    result = build_annex_export.enqueue(ready.pk)
    assert result.status == TaskResultStatus.FAILED
    ready.refresh_from_db()
    assert ready.status == AnnexExport.Status.READY


def test_the_task_is_enqueued_after_the_commit_and_bad_formats_refused(
    annex_2015, rita, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        export_request(annex=annex_2015, fmt="pdf", by=rita)
    assert len(callbacks) == 1  # queued for after the commit, not during the request
    with pytest.raises(ValueError, match="Unknown export format"):
        export_request(annex=annex_2015, fmt="exe", by=rita)


# The pages.


def test_the_preview_offers_to_prepare_the_pdf_and_links_the_fast_formats(client, rita, annex_2015, version):
    client.force_login(rita)
    for url, action in [
        ("/annex/2015-16/", "/annex/2015-16/export/pdf/prepare/"),
        ("/annex/2015-16/versions/1/", "/annex/2015-16/versions/1/pdf/prepare/"),
    ]:
        html = client.get(url).content.decode()
        assert f'action="{action}"' in html
        assert "Prepare the PDF" in html
        assert "/pdf/" not in " ".join(re.findall(r'href="([^"]+)"', html))
        for fmt in ("docx", "xlsx", "csv"):
            assert f"Download {fmt.upper()}" in html


def test_an_old_pdf_link_lands_on_the_prepare_button_without_rendering(client, rita, annex_2015, version, monkeypatch):
    _fail_pdf(monkeypatch)  # proves nothing is rendered in the request
    client.force_login(rita)
    response = client.get("/annex/2015-16/export/pdf/")
    assert (response.status_code, response["Location"]) == (302, "/annex/2015-16/#downloads")
    response = client.get("/annex/2015-16/versions/1/pdf/")
    assert (response.status_code, response["Location"]) == (302, "/annex/2015-16/versions/1/#downloads")
    assert not AnnexExport.objects.exists()


def test_prepare_then_status_page_then_download(client, rita, annex_2015, django_capture_on_commit_callbacks):
    client.force_login(rita)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/annex/2015-16/export/pdf/prepare/")
    job = AnnexExport.objects.get()
    assert response.status_code == 303
    assert response["Location"] == f"/annex/exports/{job.pk}/"
    assert job.requested_by == rita
    assert job.version is None
    assert job.format == "pdf"

    html = client.get(response["Location"]).content.decode()
    assert '<strong class="govuk-tag govuk-tag--green">Ready</strong>' in html
    assert "Your PDF is ready." in html
    assert f'href="/annex/exports/{job.pk}/download/"' in html
    assert "Download annex-1-2015-16.pdf" in html
    assert 'src="/static/js/export-status.js"' in html
    assert 'type="module"' in html
    assert "data-export-status-url" not in html  # nothing left to poll for
    assert 'aria-live="polite"' in html
    assert "Your PDF is ready to download." in html

    download = client.get(f"/annex/exports/{job.pk}/download/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="annex-1-2015-16.pdf"'
    assert download["Cache-Control"] == "private, no-store"
    assert TITLE in _pdf_text(b"".join(download.streaming_content))

    # The annex page lists it among the recent exports.
    preview = client.get("/annex/2015-16/").content.decode()
    assert f'href="/annex/exports/{job.pk}/"' in preview
    assert "Recently prepared" in preview


def test_the_page_while_waiting_polls_and_offers_a_refresh_link(client, rita, queued):
    client.force_login(rita)
    html = client.get(f"/annex/exports/{queued.pk}/").content.decode()
    assert '<strong class="govuk-tag govuk-tag--grey">Queued</strong>' in html
    assert "Your PDF is being prepared." in html
    assert f'data-export-status-url="/annex/exports/{queued.pk}/status.json"' in html
    assert 'data-export-status="queued"' in html
    assert f'<a class="govuk-link" href="/annex/exports/{queued.pk}/">refresh this page</a>' in html
    assert "<script>" not in html  # strict CSP: the only inline script is base.html's, with a nonce
    assert client.get(f"/annex/exports/{queued.pk}/download/").status_code == 404


def test_an_export_waiting_too_long_offers_to_ask_again(client, rita, queued):
    client.force_login(rita)
    assert "Ask again" not in client.get(f"/annex/exports/{queued.pk}/").content.decode()
    AnnexExport.objects.filter(pk=queued.pk).update(created=timezone.now() - timedelta(minutes=11))
    html = client.get(f"/annex/exports/{queued.pk}/").content.decode()
    assert "the background worker may have stopped" in html
    assert 'action="/annex/2015-16/export/pdf/prepare/"' in html


def test_status_json_follows_the_export(client, rita, queued):
    client.force_login(rita)
    url = f"/annex/exports/{queued.pk}/status.json"
    response = client.get(url)
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "private, no-store"
    assert response.json() == {"status": "queued", "label": "Queued", "done": False}
    queued.start()
    assert client.get(url).json() == {"status": "running", "label": "Being prepared", "done": False}
    queued.fail(error="boom")
    assert client.get(url).json() == {"status": "failed", "label": "Failed", "done": True}


def test_a_failed_export_says_why_and_offers_to_try_again(
    client, rita, annex_2015, monkeypatch, django_capture_on_commit_callbacks
):
    _fail_pdf(monkeypatch)
    client.force_login(rita)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/annex/2015-16/export/pdf/prepare/")
    job = AnnexExport.objects.get()
    assert job.status == AnnexExport.Status.FAILED
    html = client.get(response["Location"]).content.decode()
    assert '<strong class="govuk-tag govuk-tag--red">Failed</strong>' in html
    assert "The PDF could not be prepared." in html
    # The error is shown as text, escaped like everything else.
    assert "RuntimeError: WeasyPrint could not find a font &lt;b&gt;Arial&lt;/b&gt;" in html
    assert 'action="/annex/2015-16/export/pdf/prepare/"' in html
    assert "Try again" in html
    assert client.get(f"/annex/exports/{job.pk}/download/").status_code == 404
    assert client.get(f"/annex/exports/{job.pk}/status.json").json()["status"] == "failed"

    # Trying again makes a new export; the failed one stays as a record.
    monkeypatch.undo()
    monkeypatch.setattr("reviews.exports.pdf.render", lambda annex: b"%PDF-1.7 retried")
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post("/annex/2015-16/export/pdf/prepare/")
    retried = AnnexExport.objects.exclude(pk=job.pk).get()
    assert again["Location"] == f"/annex/exports/{retried.pk}/"
    assert retried.status == AnnexExport.Status.READY
    assert AnnexExport.objects.get(pk=job.pk).status == AnnexExport.Status.FAILED


def test_any_format_can_be_queued_and_unknown_ones_are_404(
    client, rita, annex_2015, django_capture_on_commit_callbacks
):
    client.force_login(rita)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/annex/2015-16/export/docx/prepare/")
    job = AnnexExport.objects.get()
    assert job.status == AnnexExport.Status.READY
    assert job.filename == "annex-1-2015-16.docx"
    assert client.get(f"/annex/exports/{job.pk}/download/")["Content-Type"].endswith("wordprocessingml.document")
    assert response.status_code == 303
    assert client.post("/annex/2015-16/export/exe/prepare/").status_code == 404
    assert client.post("/annex/2015-16/versions/9/pdf/prepare/").status_code == 404
    assert client.get("/annex/2015-16/export/pdf/prepare/").status_code == 405


# Who may do what.


def _export_urls(job):
    return [
        ("get", f"/annex/exports/{job.pk}/"),
        ("get", f"/annex/exports/{job.pk}/status.json"),
        ("get", f"/annex/exports/{job.pk}/download/"),
        ("post", "/annex/2015-16/export/pdf/prepare/"),
        ("post", "/annex/2015-16/versions/1/pdf/prepare/"),
    ]


@pytest.mark.parametrize(("persona", "status"), [("alice", 404), ("bob", 404), ("charlie", 403)])
def test_only_opcc_staff_reach_any_export_url(client, request, persona, status, ready, version):
    client.force_login(request.getfixturevalue(persona))
    for method, url in _export_urls(ready):
        assert getattr(client, method)(url).status_code == status, url
    assert AnnexExport.objects.count() == 1


def test_anonymous_users_are_sent_to_sign_in(client, ready, version):
    for method, url in _export_urls(ready):
        assert_redirects_to_login(getattr(client, method)(url), url)
    assert AnnexExport.objects.count() == 1


@pytest.mark.parametrize("persona", ["rita", "adam"])
def test_opcc_staff_reach_every_export_url(client, request, persona, ready, version):
    # No commit happens in this test, so the exports it queues are never built: only access is checked.
    client.force_login(request.getfixturevalue(persona))
    expected = [200, 200, 200, 303, 303]
    for (method, url), status in zip(_export_urls(ready), expected, strict=True):
        assert getattr(client, method)(url).status_code == status, url
    # Anyone on the OPCC side can follow an export someone else asked for.
    assert ready.requested_by.username == "rita"


# The demo.


def test_the_demo_export_is_queued_once(annex_2015, django_capture_on_commit_callbacks):
    from tests.conftest import make_user

    reviewer = make_user("reviewer")
    with django_capture_on_commit_callbacks() as callbacks:
        first = demo.seed_annex_export()
        second = demo.seed_annex_export()
    assert first == second
    assert len(callbacks) == 1
    assert (first.requested_by, first.format, first.version) == (reviewer, "pdf", None)
    first.fail(error="the worker was stopped")
    third = demo.seed_annex_export()
    assert third != first
    assert AnnexExport.objects.count() == 2


def test_old_finished_exports_are_pruned_with_their_files(ready, queued, django_capture_on_commit_callbacks, capsys):
    from django.core.management import call_command

    storage, name = ready.file.storage, ready.file.name
    assert storage.exists(name)
    AnnexExport.objects.filter(pk__in=[ready.pk, queued.pk]).update(created=timezone.now() - timedelta(days=40))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("prune_annex_exports", "--days", "30")
    assert "Deleted 1 export older than 30 days." in capsys.readouterr().out
    assert not AnnexExport.objects.filter(pk=ready.pk).exists()
    assert not storage.exists(name)
    # One still waiting for the worker is never pruned from under it.
    assert AnnexExport.objects.filter(pk=queued.pk).exists()


def test_recent_exports_are_kept(ready, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    with django_capture_on_commit_callbacks(execute=True):
        call_command("prune_annex_exports")
    assert AnnexExport.objects.filter(pk=ready.pk).exists()
    assert ready.file.storage.exists(ready.file.name)
