"""A borough's projects, their indicators and match funding."""

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from ..models import MatchFunding, Project, ProjectUpdate, Return


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
def indicator_save(*, indicator, by):
    """Add or change an indicator (its project already set). Returns' actuals refer to it, so it keeps its id."""
    indicator.save()
    return indicator


@transaction.atomic
def match_funding_add(*, project, source, amount, by):
    return MatchFunding.objects.create(project=project, source=source, amount=amount)


@transaction.atomic
def match_funding_remove(*, funding, by):
    funding.delete()
