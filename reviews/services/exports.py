"""Writes about files built on the worker: annex exports and the year's data for analysts. Keyword-only and atomic."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from ..data import FORMATS as DATA_FORMATS
from ..exports import FORMATS
from ..models import AnnexExport, YearDataExport
from ..models.exports import STALE_AFTER
from ..tasks import build_annex_export, build_year_data_export


@transaction.atomic
def export_request(*, annex, version=None, fmt, by):
    """Queue an export of the draft (version None) or of a published version, in any format.

    One pending export per person and document: while theirs is queued or being prepared, asking again
    returns it (with `already_pending` True) rather than queueing a second build, so a double click or an
    impatient person cannot fill the worker's queue. Once it is ready or failed, or stale (its worker most
    likely gone, and the status page offers to ask again), asking makes a new one.

    The task is enqueued only once the row is committed: the worker must be able to find it, and a
    rolled-back request must not leave a task behind pointing at nothing.
    """
    if fmt not in FORMATS:
        raise ValueError(f"Unknown export format {fmt!r}")
    if version is not None and version.annex_id != annex.pk:
        raise ValueError("The version belongs to another annex")
    return _pending_or_new(AnnexExport, build_annex_export, by=by, annex=annex, version=version, format=fmt)


@transaction.atomic
def year_data_request(*, year, fmt, by):
    """Queue the year's data for analysts (reviews/data) on the worker: one pending per person, year and format."""
    if fmt not in DATA_FORMATS:
        raise ValueError(f"Unknown data format {fmt!r}")
    return _pending_or_new(YearDataExport, build_year_data_export, by=by, financial_year=year, format=fmt)


def _pending_or_new(model, build, *, by, **document):
    """The person's pending job for this document (`already_pending` True), or a new one queued on commit."""
    # Two requests from one person at once queue behind each other here, so they cannot both find nothing
    # pending. (SQLite ignores the row lock, but its IMMEDIATE transactions already take turns.)
    get_user_model().objects.select_for_update().get(pk=by.pk)
    pending = (
        model.objects.filter(
            requested_by=by, status__in=model.PENDING, created__gt=timezone.now() - STALE_AFTER, **document
        )
        .order_by("-created", "-pk")
        .first()
    )
    if pending:
        pending.already_pending = True
        return pending
    job = model.objects.create(requested_by=by, **document)
    job.already_pending = False
    transaction.on_commit(lambda: build.enqueue(job.pk))
    return job


@transaction.atomic
def export_request_once(*, annex, version=None, fmt, by):
    """Like export_request, unless a matching export is already waiting, running or ready (for the demo)."""
    existing = (
        AnnexExport.objects.of(annex=annex, version=version, fmt=fmt).exclude(status=AnnexExport.Status.FAILED).first()
    )
    return existing or export_request(annex=annex, version=version, fmt=fmt, by=by)


@transaction.atomic
def exports_prune(*, older_than):
    """Delete finished exports (ready or failed) made before `older_than`, files included.

    Exports are copies that can be made again at any time; keeping them forever only fills the storage.
    Files are deleted once the rows are surely gone, so a failed transaction never loses a file it keeps.
    """
    count, files = 0, []
    for model in (AnnexExport, YearDataExport):
        old = model.objects.filter(status__in=[model.Status.READY, model.Status.FAILED], created__lt=older_than)
        files += [(export.file.storage, export.file.name) for export in old if export.file]
        count += old.delete()[0]
    for storage, name in files:
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
    return count
