"""History tabs: a return's (for its officers and the OPCC) and a roll-up's (OPCC only)."""

from django.shortcuts import get_object_or_404, render

from returns.access import get_return_for_user
from returns.models import Return

from ..access import get_borough_for_review, get_year_for_review
from ..models import BoroughRollUp
from ..selectors.feedback import load_feedback
from ..selectors.history import return_history, rollup_history


def return_history_view(request, pk):
    return_ = get_return_for_user(request.user, pk)
    feedback = load_feedback(return_, request.user)
    return render(
        request,
        "reviews/history/return_history.html",
        {
            "return": return_,
            "feedback": feedback,
            "entries": return_history(return_, request.user),
            "back_url": return_.get_absolute_url(),
            "is_locked": return_.status in (Return.Status.SUBMITTED, Return.Status.RESUBMITTED),
        },
    )


def rollup_history_view(request, slug, year):
    borough = get_borough_for_review(request.user, slug)
    year = get_year_for_review(request.user, year)
    rollup = get_object_or_404(BoroughRollUp.objects.for_user(request.user), borough=borough, financial_year=year)
    return render(
        request,
        "reviews/history/rollup_history.html",
        {"borough": borough, "year": year, "entries": rollup_history(rollup)},
    )
