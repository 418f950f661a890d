import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from returns.filetypes import sniff
from returns.models import Evidence

from .conftest import JPEG_BYTES, PDF_BYTES, PNG_BYTES, office_bytes, upload


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (PDF_BYTES, "pdf"),
        (PNG_BYTES, "png"),
        (JPEG_BYTES, "jpeg"),
        (office_bytes("word"), "docx"),
        (office_bytes("xl"), "xlsx"),
        (b"name,referrals\nYouth,131\n", "csv"),
        ("borough,note\nBirmingham,caf\u00e9\n".encode("cp1252"), "csv"),
        (b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100, None),
        (office_bytes("ppt"), None),
        (b"not,really\x00\x01binary", None),
    ],
)
def test_sniffing_reads_the_content(content, kind):
    assert sniff(upload("whatever", content)) == kind


@pytest.fixture
def evidence_url(draft):
    return reverse("return_evidence", args=[draft.pk])


def post_file(client, url, name, content):
    return client.post(url, {"upload-file": upload(name, content), "upload-description": "", "upload-project": ""})


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", PNG_BYTES, "named as a PDF but its content is PNG image"),
        ("figures.xlsx", office_bytes("word"), "named as a Excel spreadsheet but its content is Word document"),
        ("data.csv", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "named as a CSV but its content is"),
        ("virus.exe", b"MZ\x90\x00", "must be a PDF, DOCX, XLSX, CSV, PNG or JPEG"),
        ("empty.pdf", b"", "The selected file is empty"),
    ],
)
def test_bad_files_are_refused_with_a_message(client, alice, evidence_url, name, content, message):
    client.force_login(alice)
    page = post_file(client, evidence_url, name, content).content.decode()
    assert "There is a problem" in page
    assert message in page
    assert not Evidence.objects.exists()


def test_a_file_over_10mb_is_refused(client, alice, evidence_url):
    client.force_login(alice)
    big = PDF_BYTES + b"0" * (10 * 1024 * 1024)
    page = post_file(client, evidence_url, "big.pdf", big).content.decode()
    assert "The selected file must be smaller than 10MB" in page
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [("Report.PDF", PDF_BYTES, "pdf"), ("photo.jpg", JPEG_BYTES, "jpeg"), ("plan.docx", office_bytes("word"), "docx")],
)
def test_good_files_are_stored_through_the_storage_api(client, alice, evidence_url, draft, name, content, kind):
    client.force_login(alice)
    response = post_file(client, evidence_url, name, content)
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.kind == kind
    assert evidence.original_name == name
    assert default_storage.exists(evidence.file.name)
    assert name not in evidence.file.name, "the stored name is ours, not the user's"
    assert draft.sections.get(key="evidence").status == "in_progress"


def test_removing_a_file_deletes_it_from_storage(
    client, alice, evidence_url, draft, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    post_file(client, evidence_url, "report.pdf", PDF_BYTES)
    evidence = Evidence.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("evidence_remove", args=[draft.pk, evidence.pk]))
    assert response.status_code == 302
    assert not Evidence.objects.exists()
    assert not default_storage.exists(evidence.file.name)
