"""Spreadsheet imports: storing an upload for its preview, and applying a previewed quarter in one transaction.

Applying goes through `project_update_save`, the service behind the project task page, so the version checks,
the lock on a submitted return and the history are the same as for the forms. Everything happens in one
transaction: a problem in any row, a conflict with an edit made since the preview, or a locked return applies
nothing.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from ..imports.models import SpreadsheetImport
from ..imports.quarter import quarter_preview
from ..models import SectionStatus
from .returns import lock_editable
from .sections import project_update_save


class ImportNotApplicable(Exception):
    """The import cannot be applied as it stands (already applied, discarded, or with problems). `str()` says why."""

    def __init__(self, message, preview=None):
        super().__init__(message)
        self.preview = preview


@transaction.atomic
def quarter_upload(*, return_, upload, by):
    """Keep an uploaded (already checked) file for its preview; the officer's earlier unconfirmed uploads for
    this return are discarded, so only the latest can be confirmed."""
    lock_editable(return_)
    SpreadsheetImport.objects.filter(
        kind=SpreadsheetImport.Kind.QUARTER,
        return_of=return_,
        uploaded_by=by,
        status=SpreadsheetImport.Status.PREVIEWED,
    ).update(status=SpreadsheetImport.Status.DISCARDED)
    import_ = SpreadsheetImport(
        kind=SpreadsheetImport.Kind.QUARTER, return_of=return_, original_name=upload.name[-255:], uploaded_by=by
    )
    import_.file.save(upload.name, upload, save=False)
    name = import_.file.name
    try:
        import_.save()
    except Exception:
        import_.file.storage.delete(name)
        raise
    return import_


@transaction.atomic
def quarter_apply(*, import_, by, versions=None):
    """Apply a previewed quarter import: every changed project task saved, or nothing.

    `versions` ({update id: version}) are the versions the preview showed: a task saved by someone else since
    then raises EditConflict (and nothing is applied). Without them the versions as they are now are used.
    Raises PermissionDenied for anyone but the uploader, ReturnLocked for a return the borough cannot change,
    and ImportNotApplicable for an import already applied or discarded, or whose file has problems.
    """
    import_ = SpreadsheetImport.objects.select_for_update(of=("self",)).select_related("return_of").get(pk=import_.pk)
    if import_.uploaded_by_id != by.pk:
        raise PermissionDenied("Only the person who uploaded this file can apply it.")
    if import_.status == SpreadsheetImport.Status.APPLIED:
        raise ImportNotApplicable("This file has already been applied. Nothing was changed again.")
    if import_.status != SpreadsheetImport.Status.PREVIEWED:
        raise ImportNotApplicable("A newer file has been uploaded since this one. Check that file's changes instead.")
    lock_editable(import_.return_of)
    preview = quarter_preview(import_=import_)
    if preview.refused:
        raise ImportNotApplicable(preview.refused, preview)
    if preview.problems:
        raise ImportNotApplicable("Some rows have problems, so nothing has been applied.", preview)
    versions = {**preview.versions, **(versions or {})}
    applied = []
    for update_pk, planned in preview.planned.items():
        if not planned.changed:
            continue
        update = planned.update
        project_update_save(
            update=update,
            activity=update.activity,
            outcomes=update.outcomes,
            spend=planned.spend,
            expected_spend=planned.expected_spend,
            rag_override=update.rag_override,
            rag_reason=update.rag_reason,
            actuals=planned.actuals,
            # Figures only: the task stays as complete as it was (a task not started is now in progress).
            completed=update.status == SectionStatus.COMPLETED,
            version=versions[update_pk],
            by=by,
        )
        applied.append(update)
    import_.status, import_.applied_at = SpreadsheetImport.Status.APPLIED, timezone.now()
    import_.save(update_fields=["status", "applied_at"])
    return applied


def imports_prune(*, older_than):
    """Delete uploads older than `older_than`, with their files. Returns how many.

    An upload is only a hand-over between its preview and its confirmation: what it applied is in the records and
    their history, so the file need not be kept. Each file goes after its row's transaction commits, so a rolled
    back delete never leaves a row without its file.
    """
    count = 0
    for import_ in SpreadsheetImport.objects.filter(uploaded_at__lt=older_than).iterator(chunk_size=200):
        with transaction.atomic():
            name, storage = import_.file.name, import_.file.storage
            import_.delete()
            if name:
                transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))
        count += 1
    return count
