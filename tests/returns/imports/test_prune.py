"""Old uploads go, with their files; recent ones stay."""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from returns.imports.models import SpreadsheetImport


def _upload(return_, by, *, days_old):
    import_ = SpreadsheetImport(kind=SpreadsheetImport.Kind.QUARTER, return_of=return_, uploaded_by=by)
    import_.original_name = "figures.xlsx"
    import_.file.save("figures.xlsx", ContentFile(b"PK\x03\x04 not really"), save=True)
    SpreadsheetImport.objects.filter(pk=import_.pk).update(uploaded_at=timezone.now() - timedelta(days=days_old))
    return import_


def test_uploads_older_than_the_days_go_with_their_files(draft, alice, capsys, django_capture_on_commit_callbacks):
    old, recent = _upload(draft, alice, days_old=10), _upload(draft, alice, days_old=1)
    storage = old.file.storage
    with django_capture_on_commit_callbacks(execute=True):
        call_command("prune_imports", "--days", "7")
    assert "Deleted 1 upload older than 7 days." in capsys.readouterr().out
    assert list(SpreadsheetImport.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not storage.exists(old.file.name)
    assert storage.exists(recent.file.name)
