"""The borough's list of returns, the task list, check-and-submit, and the printable view."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from boroughs.access import get_borough_for_user, require_perm

from ..access import FILE, VIEW
from ..charts.pages import borough_charts
from ..forms import SubmitForm
from ..models import FinancialYear, ReportingPeriod, Return, ReturnLocked
from ..overview import load_overview
from ..periods import period_rows
from ..services import IncompleteReturn, return_start, return_submit
from ._common import posted, return_view


def borough_returns(request, slug):
    borough = get_borough_for_user(request.user, slug, perm=VIEW)
    years = list(FinancialYear.opened())
    label = request.GET.get("year", "").strip()
    # The year asked for (404 if it was never open), else the one open today: None until an admin opens one.
    year = next((y for y in years if y.label == label), None) if label else FinancialYear.current()
    if label and year is None:
        raise Http404
    return render(
        request,
        "returns/borough_returns.html",
        {
            "borough": borough,
            "year": year,
            "years": years,
            "rows": period_rows(borough, year),
            "charts": borough_charts(borough, year),
        },
    )


@require_POST
def return_start_view(request, slug, period_pk):
    borough = get_borough_for_user(request.user, slug, perm=FILE)
    period = get_object_or_404(ReportingPeriod, pk=period_pk)
    if not period.is_open():
        messages.warning(request, f"The {period.short_label} return opens on {period.opens_on:%-d %B %Y}.")
        return redirect("borough_returns", slug=borough.slug)
    return redirect(return_start(borough=borough, period=period, by=request.user))


@return_view()
def return_detail(request, return_):
    overview = load_overview(return_)
    return render(request, "returns/task_list.html", {"return": return_, "overview": overview})


# What the officer is told once the OPCC has the return: the first time, or again with the changes it asked for.
SUBMITTED_MESSAGES = {
    Return.Status.SUBMITTED: "Return submitted. The OPCC can now review it.",
    Return.Status.RESUBMITTED: "Return resubmitted. The OPCC can now review your changes.",
}


@return_view()
def return_check(request, return_):
    """Check your answers. GET is for anyone who may view the return; submitting needs the filing permission."""
    form = SubmitForm(posted(request))
    if request.method == "POST":
        require_perm(request.user, FILE)
        # A second click (or a colleague's submit first) is not a second submission: the service's row lock
        # lets one through, and the other lands on the submitted return with the reason.
        if not return_.is_editable:
            messages.warning(request, return_.lock_reason)
            return redirect(return_)
        if form.is_valid():
            try:
                submitted = return_submit(return_=return_, by=request.user)
            except IncompleteReturn as incomplete:
                form.add_error(None, f"Complete these sections before you submit: {', '.join(incomplete.missing)}")
            except ReturnLocked as locked:
                messages.warning(request, " ".join(locked.messages))
                return redirect(return_)
            else:
                messages.success(request, SUBMITTED_MESSAGES[submitted.status])
                return redirect(return_)
    overview = load_overview(return_, full=True)
    can_edit = return_.is_editable and request.user.has_perm(FILE)
    return render(
        request, "returns/check.html", {"return": return_, "overview": overview, "form": form, "can_edit": can_edit}
    )


@return_view()
def return_print(request, return_):
    overview = load_overview(return_, full=True)
    return render(request, "returns/print.html", {"return": return_, "overview": overview})
