"""A borough's funded projects, their indicators and match funding."""

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.text import capfirst
from django.views.decorators.http import require_POST

from boroughs.access import get_borough_for_user
from boroughs.conflicts import render_conflict, saved_by
from boroughs.locking import EditConflict

from .. import services
from ..access import get_indicator_for_user, get_match_funding_for_user, get_project_for_user
from ..charts import pages as charts
from ..forms import IndicatorForm, MatchFundingForm, ProjectForm
from ..forms.logs import RemoveItemForm
from ..models import FinancialYear, Indicator, MatchFunding, PlanPriority, Project
from ._common import posted

VIEW = "returns.view_project"
CHANGE = "returns.change_project"


def _priorities(project=None):
    year = FinancialYear.current()
    # No open year: no plan's priorities are current (plan__years=None would mean "plans of no year").
    wanted = Q(plan__years=year) if year else Q(pk__in=[])
    if project and project.pk:
        # Keep the priorities already chosen selectable even once the plan has moved on.
        wanted |= Q(projects=project)
    return PlanPriority.objects.filter(wanted).distinct()


def project_list(request, slug):
    borough = get_borough_for_user(request.user, slug, perm=VIEW)
    projects = Project.objects.for_user(request.user).filter(borough=borough).prefetch_related("priorities")
    return render(request, "returns/project_list.html", {"borough": borough, "projects": projects})


def project_add(request, slug):
    borough = get_borough_for_user(request.user, slug, perm="returns.add_project")
    return _project_form(request, borough, Project())


def project_edit(request, slug, pk):
    project = get_project_for_user(request.user, slug, pk, perm=CHANGE)
    return _project_form(request, project.borough, project)


def _conflict(request, form_class, conflict, *, borough, back_url, heading, form_kwargs=None):
    """THE conflict page: someone saved this project, indicator or match funding since the form was loaded."""
    return render_conflict(
        request,
        form_class=form_class,
        form_kwargs={**(form_kwargs or {}), "instance": conflict.current},
        current=conflict.current,
        theirs_initial={},
        heading=heading,
        back_url=back_url,
        context={"caption": borough.name},
    )


def _project_form(request, borough, project):
    form_kwargs = {"borough": borough, "priorities": _priorities(project)}
    form = ProjectForm(posted(request), instance=project, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            project, created = services.project_save(
                project=form.instance,
                priorities=form.cleaned_data["priorities"],
                version=form.cleaned_data["version"],
                by=request.user,
            )
        except EditConflict as conflict:
            return _conflict(
                request,
                ProjectForm,
                conflict,
                borough=borough,
                back_url=conflict.current.get_absolute_url(),
                heading=conflict.current.name,
                form_kwargs=form_kwargs,
            )
        messages.success(request, f"{project.name} has been {'added' if created else 'saved'}.")
        return redirect(project)
    heading = f"Change {project.name}" if project.pk else "Add a project"
    return render(request, "returns/project_form.html", {"borough": borough, "form": form, "heading": heading})


def project_detail(request, slug, pk):
    project = get_project_for_user(request.user, slug, pk, perm=VIEW)
    indicators = list(project.indicators.all())
    chart_year = charts.chart_year(project)
    return render(
        request,
        "returns/project_detail.html",
        {
            "project": project,
            "borough": project.borough,
            "indicators": indicators,
            "chart_year": chart_year,
            "charts": charts.project_charts(project, indicators, chart_year),
            "funding": project.match_funding.all(),
            "priorities": project.priorities.all(),
        },
    )


def indicator_form(request, slug, pk, indicator_pk=None):
    project = get_project_for_user(request.user, slug, pk, perm=CHANGE)
    indicator = (
        get_indicator_for_user(request.user, project, indicator_pk) if indicator_pk else Indicator(project=project)
    )
    form = IndicatorForm(posted(request), instance=indicator)
    if request.method == "POST" and form.is_valid():
        try:
            indicator = services.indicator_save(
                indicator=form.instance, version=form.cleaned_data["version"], by=request.user
            )
        except EditConflict as conflict:
            return _conflict(
                request,
                IndicatorForm,
                conflict,
                borough=project.borough,
                back_url=project.get_absolute_url(),
                heading=f"the indicator {conflict.current.name}",
            )
        messages.success(request, f"The indicator {indicator.name} has been saved.")
        return redirect(project)
    heading = f"Change {indicator.name}" if indicator.pk else f"Add an indicator to {project.name}"
    return render(
        request,
        "returns/project_form.html",
        {"borough": project.borough, "project": project, "form": form, "heading": heading},
    )


def match_funding_add(request, slug, pk):
    project = get_project_for_user(request.user, slug, pk, perm=CHANGE)
    form = MatchFundingForm(posted(request), instance=MatchFunding(project=project))
    if request.method == "POST" and form.is_valid():
        services.match_funding_add(
            project=project, source=form.cleaned_data["source"], amount=form.cleaned_data["amount"], by=request.user
        )
        messages.success(request, "The match funding has been added.")
        return redirect(project)
    return render(
        request,
        "returns/project_form.html",
        {
            "borough": project.borough,
            "project": project,
            "form": form,
            "heading": f"Add match funding to {project.name}",
        },
    )


def match_funding_edit(request, slug, pk, funding_pk):
    project = get_project_for_user(request.user, slug, pk, perm=CHANGE)
    funding = get_match_funding_for_user(request.user, project, funding_pk)
    form = MatchFundingForm(posted(request), instance=funding)
    if request.method == "POST" and form.is_valid():
        try:
            services.match_funding_save(funding=form.instance, version=form.cleaned_data["version"], by=request.user)
        except EditConflict as conflict:
            return _conflict(
                request,
                MatchFundingForm,
                conflict,
                borough=project.borough,
                back_url=project.get_absolute_url(),
                heading=f"the match funding from {conflict.current.source}",
            )
        messages.success(request, "The match funding has been saved.")
        return redirect(project)
    return render(
        request,
        "returns/project_form.html",
        {
            "borough": project.borough,
            "project": project,
            "form": form,
            "heading": f"Change match funding from {funding.source}",
        },
    )


@require_POST
def match_funding_remove(request, slug, pk, funding_pk):
    """Remove a line of match funding, unless someone changed it after the page showed it."""
    project = get_project_for_user(request.user, slug, pk, perm=CHANGE)
    funding = get_match_funding_for_user(request.user, project, funding_pk)
    form = RemoveItemForm(request.POST)
    form.is_valid()  # a missing or tampered version counts as out of date: nothing is removed
    try:
        services.match_funding_remove(funding=funding, version=form.cleaned_data.get("version"), by=request.user)
    except EditConflict as conflict:
        current = conflict.current
        messages.error(
            request,
            f"{capfirst(saved_by(current))} changed this match funding after you opened the page, so it has "
            f"not been removed. It is now {current.source}: £{current.amount:,.2f}.",
        )
        return redirect(project)
    messages.success(request, "The match funding has been removed.")
    return redirect(project)
