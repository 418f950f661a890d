"""One pending export per person, document and format: asking twice queues one build.

Requests here capture the on-commit callbacks without running them, so an export stays queued and each
callback is one task sent to the worker.
"""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from reviews.models import AnnexExport
from reviews.services.annex import annex_publish
from reviews.services.exports import export_request

pytestmark = pytest.mark.django_db

PREPARE = "/annex/2015-16/export/pdf/prepare/"
ALREADY = "You have already asked for this PDF: it is being prepared."


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def version(annex_2015, rita):
    return annex_publish(annex=annex_2015, meeting_date=date(2016, 7, 12), by=rita)


def test_asking_twice_makes_one_export_and_one_task(annex_2015, rita, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        first = export_request(annex=annex_2015, fmt="pdf", by=rita)
        second = export_request(annex=annex_2015, fmt="pdf", by=rita)
    assert second.pk == first.pk
    assert (first.already_pending, second.already_pending) == (False, True)
    assert AnnexExport.objects.count() == 1
    assert len(callbacks) == 1


def test_the_second_click_lands_on_the_first_exports_page_with_a_message(
    client, annex_2015, rita, django_capture_on_commit_callbacks
):
    client.force_login(rita)
    with django_capture_on_commit_callbacks() as callbacks:
        first = client.post(PREPARE)
        second = client.post(PREPARE, follow=True)
    job = AnnexExport.objects.get()
    assert len(callbacks) == 1
    assert first.status_code == 303
    assert first["Location"] == f"/annex/exports/{job.pk}/"
    assert second.redirect_chain == [(f"/annex/exports/{job.pk}/", 303)]
    assert ALREADY in second.text
    assert ALREADY not in client.get(first["Location"]).text  # said once, on the page it was said for


def test_a_running_export_is_still_the_pending_one(annex_2015, rita):
    job = export_request(annex=annex_2015, fmt="pdf", by=rita)
    job.start()
    again = export_request(annex=annex_2015, fmt="pdf", by=rita)
    assert again.pk == job.pk
    assert again.status == AnnexExport.Status.RUNNING


@pytest.mark.parametrize("outcome", ["ready", "failed"])
def test_once_it_has_finished_a_new_request_makes_a_new_export(
    annex_2015, rita, outcome, django_capture_on_commit_callbacks
):
    job = export_request(annex=annex_2015, fmt="pdf", by=rita)
    job.start()
    if outcome == "ready":
        job.finish(content=b"%PDF-1.7 stand-in", filename="annex-1-2015-16.pdf", content_type="application/pdf")
    else:
        job.fail(error="WeasyPrint ran out of memory")
    with django_capture_on_commit_callbacks() as callbacks:
        again = export_request(annex=annex_2015, fmt="pdf", by=rita)
    assert again.pk != job.pk
    assert not again.already_pending
    assert again.status == AnnexExport.Status.QUEUED
    assert len(callbacks) == 1
    assert AnnexExport.objects.count() == 2


def test_a_stale_export_does_not_block_asking_again(client, annex_2015, rita, django_capture_on_commit_callbacks):
    job = export_request(annex=annex_2015, fmt="pdf", by=rita)
    AnnexExport.objects.filter(pk=job.pk).update(created=timezone.now() - timedelta(minutes=11))
    client.force_login(rita)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(PREPARE, follow=True)
    fresh = AnnexExport.objects.exclude(pk=job.pk).get()
    assert response.redirect_chain == [(f"/annex/exports/{fresh.pk}/", 303)]
    assert ALREADY not in response.text
    assert len(callbacks) == 1


def test_other_people_formats_and_versions_each_get_their_own(
    annex_2015, version, rita, adam, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        mine = export_request(annex=annex_2015, fmt="pdf", by=rita)
        jobs = [
            export_request(annex=annex_2015, fmt="pdf", by=adam),
            export_request(annex=annex_2015, fmt="docx", by=rita),
            export_request(annex=annex_2015, version=version, fmt="pdf", by=rita),
        ]
    assert not any(job.already_pending for job in jobs)
    assert len({mine.pk, *(job.pk for job in jobs)}) == 4
    assert len(callbacks) == 4
    # Each of them is now the pending one for its own person, format and version.
    assert export_request(annex=annex_2015, version=version, fmt="pdf", by=rita).pk == jobs[2].pk
    assert export_request(annex=annex_2015, fmt="pdf", by=adam).pk == jobs[0].pk
