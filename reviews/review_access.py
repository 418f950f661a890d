"""One access helper per object of the review: 403 without the permission, 404 outside the scope.

The review is OPCC business. A signed-in user with no role gets 403; a CSP officer holds a role but
the review's scope is empty for them, so every review URL is 404 to them, as another borough's
return is; a reviewer lacking a narrower permission (reopen) gets 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from boroughs.access import require_perm
from boroughs.models import Borough
from returns.models import FinancialYear, Return

from .review_models import Decision, Flag, is_officer_of

REVIEW = "reviews.review_return"


def require_review_scope(user):
    require_perm(user, "boroughs.view_borough")
    if not user.has_perm(REVIEW):
        raise Http404


def get_return_for_review(user, pk, *, perm=REVIEW):
    require_review_scope(user)
    returns = Return.objects.for_user(user).select_related("borough", "period__year", "submitted_by")
    return_ = get_object_or_404(returns, pk=pk)
    require_perm(user, perm)
    return return_


def get_return_to_decide(user, pk, *, perm=REVIEW):
    """For writes: a reviewer may read their own borough's return but never judge it."""
    return_ = get_return_for_review(user, pk, perm=perm)
    if is_officer_of(user, return_.borough_id):
        raise PermissionDenied
    return return_


def get_decision_for_review(user, return_pk, pk):
    return_ = get_return_for_review(user, return_pk)
    decision = get_object_or_404(Decision.objects.for_user(user).select_related("by"), return_of=return_, pk=pk)
    return return_, decision


def get_flag_for_review(user, pk):
    require_review_scope(user)
    flags = Flag.objects.for_user(user).select_related("borough", "period", "flag_type", "column", "project")
    flag = get_object_or_404(flags, pk=pk)
    if is_officer_of(user, flag.borough_id):
        raise PermissionDenied
    return flag


def get_year_for_review(user, label=None):
    require_review_scope(user)
    if label:
        return get_object_or_404(FinancialYear, label=label)
    return FinancialYear.current()


def get_borough_for_review(user, slug):
    require_review_scope(user)
    return get_object_or_404(Borough.objects.for_user(user), slug=slug)
