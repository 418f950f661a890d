"""Saving a return's sections: alignment, project tasks, the logs and evidence. Each edit names its version."""

import uuid

from django.db import transaction

from ..models import Evidence, IndicatorActual, ReturnSection, SectionStatus
from .returns import lock_editable


def _status(completed):
    return SectionStatus.COMPLETED if completed else SectionStatus.IN_PROGRESS


def _touch_section(return_, key, by):
    # Adding to a log means the officer has started the section, whatever the radio last said.
    for section in ReturnSection.objects.filter(return_of=return_, key=key, status=SectionStatus.NOT_STARTED):
        section.status, section.updated_by = SectionStatus.IN_PROGRESS, by
        section.save(update_fields=["status", "updated_by", "updated"])


@transaction.atomic
def alignment_save(*, return_, statement, priorities, completed, version, by):
    locked = lock_editable(return_)
    section = ReturnSection.objects.get(return_of=return_, key=ReturnSection.Key.ALIGNMENT)
    section.status, section.updated_by = _status(completed), by
    section.save_if_version(version, fields=["status", "updated_by"])
    locked.alignment_statement = statement
    locked.save(update_fields=["alignment_statement"])
    return_.alignment_statement = statement
    return_.priorities.set(priorities)
    return section


@transaction.atomic
def project_update_save(
    *,
    update,
    activity,
    outcomes,
    spend,
    rag_override,
    rag_reason,
    actuals,
    completed,
    version,
    by,
    expected_spend=None,
):
    """Save one project's task. `actuals` maps each Indicator to its value (None when left blank)."""
    lock_editable(update.return_of)
    update.activity, update.outcomes, update.spend = activity, outcomes, spend
    update.expected_spend = expected_spend
    update.rag_override, update.rag_reason = rag_override, rag_reason if rag_override else ""
    update.status, update.updated_by = _status(completed), by
    update.save_if_version(
        version,
        fields=[
            "activity",
            "outcomes",
            "spend",
            "expected_spend",
            "rag_override",
            "rag_reason",
            "status",
            "updated_by",
        ],
    )
    for indicator, value in actuals.items():
        IndicatorActual.objects.update_or_create(update=update, indicator=indicator, defaults={"value": value})
    return update


@transaction.atomic
def section_mark(*, section, completed, version, by):
    lock_editable(section.return_of)
    section.status, section.updated_by = _status(completed), by
    section.save_if_version(version, fields=["status", "updated_by"])
    return section


@transaction.atomic
def log_item_save(*, item, section_key, version=None, by):
    """Add or change a risk or engagement log entry. An edit must name the version it started from."""
    lock_editable(item.return_of)
    if item.pk is None:
        item.save()
    else:
        fields = [f.name for f in type(item)._meta.concrete_fields if f.name not in ("id", "return_of", "version")]
        item.save_if_version(version, fields=fields)
    _touch_section(item.return_of, section_key, by)
    return item


@transaction.atomic
def log_item_delete(*, item, version, by):
    """Remove a log entry, unless someone changed it after this user saw it (EditConflict, nothing removed)."""
    lock_editable(item.return_of)
    item.delete_if_version(version)


@transaction.atomic
def evidence_add(*, return_, upload, kind, project, description, by):
    lock_editable(return_)
    evidence = Evidence(
        uuid=uuid.uuid4(),
        return_of=return_,
        project=project,
        original_name=upload.name[-255:],
        kind=kind,
        size=upload.size,
        description=description,
        uploaded_by=by,
    )
    # FileField.save goes through the configured storage, so object storage can replace the disk.
    evidence.file.save(upload.name, upload, save=False)
    name = evidence.file.name
    try:
        evidence.save()
    except Exception:
        # A row that failed to save must not leave its bytes behind in storage.
        evidence.file.storage.delete(name)
        raise
    _touch_section(return_, ReturnSection.Key.EVIDENCE, by)
    return evidence


@transaction.atomic
def evidence_remove(*, evidence, by):
    lock_editable(evidence.return_of)
    storage, name = evidence.file.storage, evidence.file.name
    evidence.delete()
    # Only forget the bytes once the row is surely gone.
    transaction.on_commit(lambda: storage.delete(name))
