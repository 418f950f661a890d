"""Writes that span several rows or models. Keyword-only and atomic, as the house style asks."""

import uuid

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from boroughs import locking
from boroughs.models import Borough, NotificationKind
from boroughs.notifications import notify
from boroughs.roles import opcc_staff

from .models import (
    Evidence,
    IndicatorActual,
    PeriodExtension,
    Project,
    ProjectUpdate,
    ReportingPeriod,
    Return,
    ReturnLocked,
    ReturnSection,
    Risk,
    SectionStatus,
)

EditConflict = locking.EditConflict


class IncompleteReturn(Exception):
    def __init__(self, missing):
        super().__init__("Complete every section before you submit the return.")
        self.missing = missing


def _lock_editable(return_):
    """Re-read the return under a row lock so a concurrent submit cannot slip between check and write."""
    locked = Return.objects.select_for_update(of=("self",)).select_related("period").get(pk=return_.pk)
    locked.ensure_editable()
    return locked


def _save_versioned(obj, *, version, fields):
    locking.save_if_version(obj, version, fields=fields)


def _status(completed):
    return SectionStatus.COMPLETED if completed else SectionStatus.IN_PROGRESS


def _touch_section(return_, key, by):
    # Adding to a log means the officer has started the section, whatever the radio last said.
    for section in ReturnSection.objects.filter(return_of=return_, key=key, status=SectionStatus.NOT_STARTED):
        section.status, section.updated_by = SectionStatus.IN_PROGRESS, by
        section.save(update_fields=["status", "updated_by", "updated"])


@transaction.atomic
def return_start(*, borough, period, by):
    """Start a borough's return for a period, carrying forward from its previous return.

    Carried: the active projects (their indicators and targets live on the project) and the open risks.
    Not carried: narratives, actuals, spend and logs, which are about one quarter only.
    """
    if period.is_closed:
        raise ReturnLocked(f"{period.short_label} is closed: no new returns can be started.")
    return_, created = Return.objects.get_or_create(borough=borough, period=period, defaults={"started_by": by})
    if not created:
        return return_
    bulk_create_with_history([ReturnSection(return_of=return_, key=key) for key in ReturnSection.Key], ReturnSection)
    previous = (
        Return.objects.filter(borough=borough, period__start_date__lt=period.start_date)
        .order_by("-period__start_date")
        .first()
    )
    projects = Project.objects.filter(borough=borough).active()
    bulk_create_with_history(
        [ProjectUpdate(return_of=return_, project=project) for project in projects], ProjectUpdate
    )
    if previous:
        return_.priorities.set(previous.priorities.all())
        bulk_create_with_history(
            [
                Risk(
                    return_of=return_,
                    description=risk.description,
                    project=risk.project if risk.project and risk.project.status == Project.Status.ACTIVE else None,
                    likelihood=risk.likelihood,
                    impact=risk.impact,
                    mitigation=risk.mitigation,
                    owner=risk.owner,
                )
                for risk in previous.risks.filter(status=Risk.Status.OPEN).select_related("project")
            ],
            Risk,
        )
    return return_


@transaction.atomic
def alignment_save(*, return_, statement, priorities, completed, version, by):
    locked = _lock_editable(return_)
    section = ReturnSection.objects.get(return_of=return_, key=ReturnSection.Key.ALIGNMENT)
    section.status, section.updated_by = _status(completed), by
    _save_versioned(section, version=version, fields=["status", "updated_by"])
    locked.alignment_statement = statement
    locked.save(update_fields=["alignment_statement"])
    return_.alignment_statement = statement
    return_.priorities.set(priorities)
    return section


@transaction.atomic
def project_update_save(
    *, update, activity, outcomes, spend, rag_override, rag_reason, actuals, completed, version, by
):
    """Save one project's task. `actuals` maps each Indicator to its value (None when left blank)."""
    _lock_editable(update.return_of)
    update.activity, update.outcomes, update.spend = activity, outcomes, spend
    update.rag_override, update.rag_reason = rag_override, rag_reason if rag_override else ""
    update.status, update.updated_by = _status(completed), by
    _save_versioned(
        update,
        version=version,
        fields=["activity", "outcomes", "spend", "rag_override", "rag_reason", "status", "updated_by"],
    )
    for indicator, value in actuals.items():
        IndicatorActual.objects.update_or_create(update=update, indicator=indicator, defaults={"value": value})
    return update


@transaction.atomic
def section_mark(*, section, completed, version, by):
    _lock_editable(section.return_of)
    section.status, section.updated_by = _status(completed), by
    _save_versioned(section, version=version, fields=["status", "updated_by"])
    return section


@transaction.atomic
def log_item_save(*, item, section_key, version=None, by):
    """Add or change a risk or engagement log entry. An edit must name the version it started from."""
    _lock_editable(item.return_of)
    if item.pk is None:
        item.save()
    else:
        fields = [f.name for f in type(item)._meta.concrete_fields if f.name not in ("id", "return_of", "version")]
        _save_versioned(item, version=version, fields=fields)
    _touch_section(item.return_of, section_key, by)
    return item


@transaction.atomic
def log_item_delete(*, item, by):
    _lock_editable(item.return_of)
    item.delete()


@transaction.atomic
def evidence_add(*, return_, upload, kind, project, description, by):
    _lock_editable(return_)
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
    _lock_editable(evidence.return_of)
    storage, name = evidence.file.storage, evidence.file.name
    evidence.delete()
    # Only forget the bytes once the row is surely gone.
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def return_submit(*, return_, by):
    locked = Return.objects.select_for_update(of=("self",)).select_related("period").get(pk=return_.pk)
    locked.ensure_editable()
    missing = [s.get_key_display() for s in locked.sections.exclude(status=SectionStatus.COMPLETED)]
    missing += [
        u.project.name
        for u in locked.project_updates.exclude(status=SectionStatus.COMPLETED).select_related("project")
    ]
    if missing:
        raise IncompleteReturn(missing)
    was = locked.status
    locked.submit(by=by)
    locked.save(update_fields=["status", "submitted_by", "submitted_at"])
    notify(
        kind=NotificationKind.RETURN_SUBMITTED,
        users=opcc_staff(),
        template="returns/email/return_submitted",
        context={"return": locked, "resubmitted": was == Return.Status.CHANGES_REQUESTED, "by": by},
    )
    return locked


@transaction.atomic
def project_save(*, project, priorities, by):
    """Create or change a project; a new active project joins its borough's open returns as a task."""
    created = project.pk is None
    project.save()
    project.priorities.set(priorities)
    if project.status == Project.Status.ACTIVE:
        open_returns = Return.objects.filter(borough=project.borough, status__in=Return.EDITABLE).exclude(
            project_updates__project=project
        )
        bulk_create_with_history([ProjectUpdate(return_of=r, project=project) for r in open_returns], ProjectUpdate)
    return project, created


@transaction.atomic
def extension_grant(*, period, borough, due_on, reason, by):
    extension, _ = PeriodExtension.objects.update_or_create(
        period=period, borough=borough, defaults={"due_on": due_on, "reason": reason, "granted_by": by}
    )
    notify(
        kind=NotificationKind.DEADLINE_CHANGED,
        users=borough.officers(),
        template="returns/email/extension_granted",
        context={"extension": extension, "period": period, "borough": borough},
    )
    return extension


@transaction.atomic
def period_dates_save(*, period, by):
    """Save an admin's new dates for a period and tell every active borough's officers."""
    period.save()
    officers = [user for borough in Borough.objects.active() for user in borough.officers()]
    notify(
        kind=NotificationKind.DEADLINE_CHANGED,
        users=officers,
        template="returns/email/period_dates_changed",
        context={"period": period, "by": by},
    )
    return period


@transaction.atomic
def period_close(*, period, by, reason):
    """Close a period: no return of it can be started or changed until an admin reopens it."""
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    period.close(by=by)
    period._change_reason = reason
    period.save(update_fields=["closed_at", "closed_by"])
    _tell_officers_about(period, reason=reason, by=by)
    return period


@transaction.atomic
def period_reopen(*, period, by, reason):
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    period.reopen()
    period._change_reason = reason
    period.save(update_fields=["closed_at", "closed_by"])
    _tell_officers_about(period, reason=reason, by=by)
    return period


def _tell_officers_about(period, *, reason, by):
    officers = [user for borough in Borough.objects.active() for user in borough.officers()]
    notify(
        kind=NotificationKind.DEADLINE_CHANGED,
        users=officers,
        template="returns/email/period_closed_or_reopened",
        context={"period": period, "reason": reason, "by": by},
    )
