from django.shortcuts import redirect, render

from boroughs.forms import posted

from .. import review_services as services
from ..review_access import get_return_to_decide
from ..review_forms import AcceptForm, ReopenForm, RequestChangesForm
from ._review_common import refuse_if_not_allowed, review_url


def _decision_page(request, return_, form_class, heading, decide):
    form = form_class(posted(request))
    if request.method == "POST" and form.is_valid():
        with refuse_if_not_allowed(form):
            decide(**form.cleaned_data)
            return redirect(review_url(return_, "timeline"))
    return render(request, "reviews/review/decision_form.html", {"form": form, "heading": heading, "return": return_})


def request_changes(request, pk):
    return_ = get_return_to_decide(request.user, pk)

    def decide(reason, sections):
        services.return_request_changes(return_=return_, by=request.user, reason=reason, sections=sections)

    return _decision_page(request, return_, RequestChangesForm, "Request changes", decide)


def accept(request, pk):
    return_ = get_return_to_decide(request.user, pk)

    def decide(reason):
        services.return_accept(return_=return_, by=request.user, reason=reason)

    return _decision_page(request, return_, AcceptForm, "Accept this return", decide)


def reopen(request, pk):
    return_ = get_return_to_decide(request.user, pk, perm="reviews.reopen_return")

    def decide(reason):
        services.return_reopen(return_=return_, by=request.user, reason=reason)

    return _decision_page(request, return_, ReopenForm, "Reopen this return", decide)
