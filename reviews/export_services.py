"""Writes about annex exports. Keyword-only and atomic, like reviews/services.py."""

from django.db import transaction

from .export_models import AnnexExport
from .export_tasks import build_annex_export
from .exports import FORMATS


@transaction.atomic
def export_request(*, annex, version=None, fmt, by):
    """Queue an export of the draft (version None) or of a published version, in any format.

    The task is enqueued only once the row is committed: the worker must be able to find it, and a
    rolled-back request must not leave a task behind pointing at nothing.
    """
    if fmt not in FORMATS:
        raise ValueError(f"Unknown export format {fmt!r}")
    if version is not None and version.annex_id != annex.pk:
        raise ValueError("The version belongs to another annex")
    job = AnnexExport.objects.create(annex=annex, version=version, format=fmt, requested_by=by)
    transaction.on_commit(lambda: build_annex_export.enqueue(job.pk))
    return job


@transaction.atomic
def export_request_once(*, annex, version=None, fmt, by):
    """Like export_request, unless a matching export is already waiting, running or ready (for the demo)."""
    existing = (
        AnnexExport.objects.of(annex=annex, version=version, fmt=fmt).exclude(status=AnnexExport.Status.FAILED).first()
    )
    return existing or export_request(annex=annex, version=version, fmt=fmt, by=by)
