"""A borough's projects, their indicators and match funding. Each change names the version it started from."""

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from ..models import MatchFunding, Project, ProjectUpdate, Return


def _save(instance, version, *, exclude=()):
    """Create a new row, or change an existing one if nobody saved it since `version` (else EditConflict)."""
    if instance.pk is None:
        instance.save()
        return
    skip = {"id", "version", "created", *exclude}
    fields = [f.name for f in type(instance)._meta.concrete_fields if not f.auto_created and f.name not in skip]
    instance.save_if_version(version, fields=fields)


@transaction.atomic
def project_save(*, project, priorities, by, version=None):
    """Create or change a project; a new active project joins its borough's open returns as a task.

    Only returns the borough can still change: a submitted return, or one in a closed period, keeps the
    projects it had.
    """
    created = project.pk is None
    _save(project, version, exclude=["borough"])
    project.priorities.set(priorities)
    if project.status == Project.Status.ACTIVE:
        open_returns = Return.objects.filter(
            borough=project.borough, status__in=Return.EDITABLE, period__closed_at__isnull=True
        ).exclude(project_updates__project=project)
        bulk_create_with_history([ProjectUpdate(return_of=r, project=project) for r in open_returns], ProjectUpdate)
    return project, created


@transaction.atomic
def indicator_save(*, indicator, by, version=None):
    """Add or change an indicator (its project already set). Returns' actuals refer to it, so it keeps its id.

    Submitted returns keep the targets they were judged against (their snapshot), whatever changes here.
    """
    _save(indicator, version, exclude=["project"])
    return indicator


@transaction.atomic
def match_funding_add(*, project, source, amount, by):
    return MatchFunding.objects.create(project=project, source=source, amount=amount)


@transaction.atomic
def match_funding_save(*, funding, by, version):
    """Change a line of match funding (its source and amount)."""
    _save(funding, version, exclude=["project"])
    return funding


@transaction.atomic
def match_funding_remove(*, funding, by, version):
    """Remove a line, unless someone changed it after this user saw it (EditConflict, nothing removed)."""
    funding.delete_if_version(version)
