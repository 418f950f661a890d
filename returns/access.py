"""One access helper per object: 403 without the permission, 404 outside the user's boroughs."""

from django.shortcuts import get_object_or_404

from boroughs.access import get_borough_for_user, require_perm

from .models import Evidence, Indicator, MatchFunding, Project, ProjectUpdate, ReportingPeriod, Return

VIEW = "returns.view_return"
FILE = "returns.file_return"


def get_return_for_user(user, pk, *, perm=VIEW):
    require_perm(user, perm)
    returns = Return.objects.for_user(user).with_snapshot().select_related("borough", "period__year", "submitted_by")
    return get_object_or_404(returns, pk=pk)


def get_item_for_user(model, user, return_, pk):
    """A risk, log entry, project update or file of `return_` (already checked with get_return_for_user)."""
    return get_object_or_404(model.objects.for_user(user), return_of=return_, pk=pk)


def get_project_update_for_user(user, return_, pk):
    updates = ProjectUpdate.objects.for_user(user).select_related("project")
    return get_object_or_404(updates, return_of=return_, pk=pk)


def get_evidence_for_user(user, return_pk, pk, *, perm=VIEW):
    require_perm(user, perm)
    evidence = Evidence.objects.for_user(user).select_related("return_of__borough")
    return get_object_or_404(evidence, return_of_id=return_pk, pk=pk)


def get_project_for_user(user, slug, pk, *, perm="returns.view_project"):
    borough = get_borough_for_user(user, slug, perm=perm)
    return get_object_or_404(Project.objects.for_user(user).select_related("borough"), borough=borough, pk=pk)


def get_indicator_for_user(user, project, pk):
    return get_object_or_404(Indicator.objects.for_user(user), project=project, pk=pk)


def get_match_funding_for_user(user, project, pk):
    return get_object_or_404(MatchFunding.objects.for_user(user), project=project, pk=pk)


def get_period_for_user(user, pk, *, perm="returns.manage_periods"):
    # Periods are the same for every borough, so the permission is the whole check.
    require_perm(user, perm)
    return get_object_or_404(ReportingPeriod.objects.select_related("year"), pk=pk)
