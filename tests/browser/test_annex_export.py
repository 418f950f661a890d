"""The PDF prepared on the worker, in Chromium with axe-core: the status page waits, updates itself, offers the file.

Here tasks are only recorded (DummyBackend), so the export stays queued until the test plays the worker;
the page's script must notice the change by itself.
"""

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from reviews.annex.assembly import assemble
from reviews.exports import pdf as pdf_export
from reviews.models import AnnexExport
from reviews.tasks import build_annex_export
from tests.conftest import PASSWORD
from tests.reviews.conftest import annex_2015, seed_json  # noqa: F401 - fixtures

from .conftest import sign_in
from .test_annex_journey import navigate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reviewer_prepares_the_pdf_and_the_page_offers_it_when_ready(
    page,
    live_server,
    rita,
    annex_2015,  # noqa: F811
    settings,
    tmp_path,
    monkeypatch,
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    page.set_default_timeout(30_000)
    navigate(page, lambda: sign_in(page, live_server, "rita", PASSWORD), loads=2)
    navigate(page, lambda: page.goto(f"{live_server.url}/annex/2015-16/"))

    navigate(page, page.get_by_role("button", name="Prepare the PDF of the draft").click)
    expect(page.get_by_role("heading", level=1)).to_have_text("PDF of the draft")
    expect(page.locator("main .govuk-tag")).to_have_text("Queued")
    expect(page.get_by_text("Your PDF is being prepared.")).to_be_visible()
    expect(page.get_by_role("link", name="refresh this page")).to_be_visible()

    # Play the worker. The PDF is rendered beforehand so that the task passes through "running" in an
    # instant: a reload for "running" racing the one for "ready" would cut axe-core's check short.
    rendered = pdf_export.render(assemble(annex_2015))
    monkeypatch.setattr("reviews.exports.pdf.render", lambda annex: rendered)
    job = AnnexExport.objects.get()
    # The page polls status.json and reloads itself once the status changes (navigate waits for that load).
    navigate(page, lambda: build_annex_export.call(job.pk))
    expect(page.locator("main .govuk-tag")).to_have_text("Ready")
    # The live region is filled after the reload, so screen readers hear that it is ready.
    expect(page.locator("[data-export-announce]")).to_have_text("Your PDF is ready to download.")

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download annex-1-2015-16.pdf").click()
    download = download_info.value
    assert download.suggested_filename == "annex-1-2015-16.pdf"
    reader = PdfReader(download.path())
    assert "Outcome Reporting for Local Police and Crime Board" in reader.pages[0].extract_text()
