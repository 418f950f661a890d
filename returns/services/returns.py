"""A return as a whole: starting it (carrying forward from the last one), the lock every edit takes, submitting."""

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from boroughs.models import NotificationKind
from boroughs.notifications import notify
from boroughs.roles import opcc_staff

from ..models import Project, ProjectUpdate, Return, ReturnLocked, ReturnSection, Risk, SectionStatus
from ..overview import take_snapshot


class IncompleteReturn(Exception):
    def __init__(self, missing):
        super().__init__("Complete every section before you submit the return.")
        self.missing = missing


def lock_editable(return_):
    """Re-read the return under a row lock so a concurrent submit cannot slip between check and write."""
    locked = Return.objects.select_for_update(of=("self",)).select_related("period").get(pk=return_.pk)
    locked.ensure_editable()
    return locked


@transaction.atomic
def return_start(*, borough, period, by):
    """Start a borough's return for a period, carrying forward from its previous return.

    Carried: the year's active projects (their indicators and targets live on the project) and the open risks.
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
    # The projects of the period's year only: never a past annex's (completed) rows or one not continued.
    projects = Project.objects.filter(borough=borough).carried_into(period.year)
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
def return_submit(*, return_, by):
    locked = lock_editable(return_)
    missing = [s.get_key_display() for s in locked.sections.exclude(status=SectionStatus.COMPLETED)]
    missing += [
        u.project.name
        for u in locked.project_updates.exclude(status=SectionStatus.COMPLETED).select_related("project")
    ]
    if missing:
        raise IncompleteReturn(missing)
    was = locked.status
    locked.submit(by=by)
    # From here the pages show what is being submitted now, whatever later happens to the projects.
    locked.snapshot = take_snapshot(locked)
    locked.save(update_fields=["status", "submitted_by", "submitted_at", "snapshot"])
    notify(
        kind=NotificationKind.RETURN_SUBMITTED,
        users=opcc_staff(),
        template="returns/email/return_submitted",
        context={"return": locked, "resubmitted": was == Return.Status.CHANGES_REQUESTED, "by": by},
    )
    return locked


@transaction.atomic
def returns_freeze_unsnapshotted():
    """Snapshot every return with the OPCC that has none (submitted before snapshots existed). Idempotent.

    Such a return has been locked since it was submitted, so its own rows still say what it reported; only the
    live projects and targets may have moved, and from now on they no longer show through.
    """
    frozen = 0
    unsnapshotted = Return.objects.filter(status__in=Return.FROZEN, snapshot__isnull=True)
    for return_ in unsnapshotted.select_for_update(of=("self",)).select_related("period", "submitted_by"):
        return_.snapshot = take_snapshot(return_)
        return_.save(update_fields=["snapshot"])
        frozen += 1
    return frozen
