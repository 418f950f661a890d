"""What changed since the last submission: the reviewer's view of a resubmitted return (issue 15)."""

from django.shortcuts import render

from ..access import get_return_for_review
from ..selectors.changes import compare_submissions


def return_changes(request, pk):
    """The latest submitted version against the one the OPCC sent back, section by section."""
    return_ = get_return_for_review(request.user, pk)
    context = {"return": return_, "changes": compare_submissions(return_, request.user)}
    return render(request, "reviews/review/changes.html", context)
