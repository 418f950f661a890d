"""OPCC admins see every financial year's state and open the next one.

Years are reference data: 403 for officers and reviewers. Closing a year needs its annex published,
so that page is the reviews app's (reviews/views/years.py); the list links to it.
"""

from datetime import date

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone

from boroughs.access import require_perm

from ..forms.years import YearOpenForm
from ..models import FinancialYear, Plan, ReportingPeriod
from ..services import years as services
from ..services.years import ProjectDecision, YearNotOpenable, next_year_start, openable_from, projects_to_decide
from ._common import posted

MANAGE = "returns.manage_years"


def _next_year():
    """The next year to open, unsaved when it does not exist yet, and whether it may be opened today."""
    start = next_year_start()
    label = FinancialYear.label_for_start(start)
    year = FinancialYear.objects.filter(label=label).first()
    if year is None:
        year = FinancialYear(label=label, start_date=date(start, 4, 1), end_date=date(start + 1, 3, 31))
    return year, timezone.localdate() >= openable_from(start)


def year_list(request):
    require_perm(request.user, MANAGE)
    years = (
        FinancialYear.objects.annotate(period_count=Count("periods"))
        .select_related("closed_by")
        .prefetch_related("periods")
    )
    next_year, may_open = _next_year()
    context = {
        "years": years,
        "current": FinancialYear.current(),
        "next_year": next_year,
        "may_open": may_open,
        "opens_from": openable_from(next_year.start_year),
    }
    return render(request, "returns/years/year_list.html", context)


def year_open(request):
    require_perm(request.user, MANAGE)
    next_year, may_open = _next_year()
    previous = FinancialYear.objects.filter(label=FinancialYear.label_for_start(next_year.start_year - 1)).first()
    projects = list(projects_to_decide())
    form = YearOpenForm(
        posted(request),
        year_label=next_year.label,
        previous_label=previous.label if previous else None,
        projects=projects,
    )
    if request.method == "POST" and form.is_valid():
        decisions = {
            project.pk: ProjectDecision(continues=continues, allocation=allocation)
            for project, continues, allocation in form.choices()
        }
        try:
            opened = services.year_open(start_year=form.cleaned_data["year"], decisions=decisions, by=request.user)
        except YearNotOpenable as refused:
            form.add_error(None, refused.messages)
        else:
            label = opened.year.label
            if opened.created:
                messages.success(
                    request,
                    f"{label} is open: {opened.continued} project{'s' if opened.continued != 1 else ''} continued, "
                    f"{opened.closed} closed.",
                )
            else:
                messages.info(request, f"{label} was already open: nothing has changed.")
            return redirect("year_list")
    context = {
        "form": form,
        "heading": f"Open {next_year.label}",
        "next_year": next_year,
        "may_open": may_open,
        "opens_from": openable_from(next_year.start_year),
        "previous": previous,
        "periods": [
            ReportingPeriod(year=next_year, quarter=quarter, **ReportingPeriod.default_dates(next_year, quarter))
            for quarter in ReportingPeriod.Quarter
        ],
        "plans": Plan.objects.filter(years=previous) if previous else Plan.objects.none(),
        "projects": projects,
    }
    return render(request, "returns/years/year_open.html", context)
