from django.shortcuts import render

from returns.overview import load_overview

from ..review_access import get_decision_for_review, get_return_for_review
from ..review_feedback import load_feedback
from ..review_models import is_officer_of


def review_return(request, pk):
    """A return read-only, with the OPCC's commentary, flags and decisions beside it."""
    return_ = get_return_for_review(request.user, pk)
    context = {
        "return": return_,
        "overview": load_overview(return_, full=True),
        "feedback": load_feedback(return_, request.user),
        "own_borough": is_officer_of(request.user, return_.borough_id),
        "can_reopen": request.user.has_perm("reviews.reopen_return"),
    }
    return render(request, "reviews/review/return.html", context)


def submitted_version(request, pk, decision_pk):
    """What the officer had submitted when the return was sent back to them."""
    return_, decision = get_decision_for_review(request.user, pk, decision_pk)
    return render(request, "reviews/review/snapshot.html", {"return": return_, "decision": decision})
