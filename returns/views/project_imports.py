"""OPCC admins import a year's projects: download the template, upload it filled in, check the preview, confirm.

The permission is the one that opens years (`returns.manage_years`): 403 for everyone else. Only an open
year that is not closed takes an import (404 otherwise), and an upload is seen and confirmed only by the
admin who made it (404 for anyone else's).
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from boroughs.access import require_perm

from ..forms.project_imports import ProjectsConfirmForm, ProjectsUploadForm
from ..imports.models import SpreadsheetImport
from ..imports.projects import projects_preview, projects_template
from ..models import FinancialYear
from ..services.project_imports import ImportConflict, ImportNotApplied, projects_apply, projects_upload
from ._common import posted

MANAGE = "returns.manage_years"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def get_import_year_for_user(user, label):
    require_perm(user, MANAGE)
    years = FinancialYear.opened().filter(closed_at__isnull=True)
    return get_object_or_404(years, label=label)


def get_projects_import_for_user(user, year, uuid):
    return get_object_or_404(
        SpreadsheetImport.objects.select_related("financial_year"),
        kind=SpreadsheetImport.Kind.PROJECTS,
        financial_year=year,
        uploaded_by=user,
        uuid=uuid,
    )


def projects_import(request, year):
    year = get_import_year_for_user(request.user, year)
    form = ProjectsUploadForm(posted(request), request.FILES or None, year=year)
    if request.method == "POST" and form.is_valid():
        import_ = projects_upload(year=year, upload=form.cleaned_data["file"], by=request.user)
        return redirect("projects_import_preview", year.label, import_.uuid)
    return render(request, "returns/imports/projects_upload.html", {"year": year, "form": form})


def projects_import_template(request, year):
    year = get_import_year_for_user(request.user, year)
    response = HttpResponse(projects_template(year), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="projects-{year.label}.xlsx"'
    return response


def projects_import_preview(request, year, uuid):
    year = get_import_year_for_user(request.user, year)
    import_ = get_projects_import_for_user(request.user, year, uuid)
    if import_.status != SpreadsheetImport.Status.PREVIEWED:
        if request.method == "POST":  # a second click on "Apply": the first one did it
            messages.info(request, f"{import_.original_name} has already been applied: nothing has changed.")
            return redirect("year_list")
        return render(request, "returns/imports/projects_preview.html", {"year": year, "import": import_})
    status, error = 200, ""
    if request.method == "POST":
        form = ProjectsConfirmForm(request.POST, import_=import_)
        form.is_valid()  # its one field never fails: a tampered value counts as out of date
        try:
            applied = projects_apply(import_=import_, by=request.user, seen=form.cleaned_data.get("seen"))
        except ImportConflict as conflict:
            status, error = 409, str(conflict)
        except ImportNotApplied as refused:
            messages.warning(request, str(refused))
            return redirect("projects_import_preview", year.label, import_.uuid)
        else:
            messages.success(request, _applied_message(applied))
            return redirect("year_list")
    preview = projects_preview(import_=import_)
    form = ProjectsConfirmForm(import_=import_, seen=preview.seen())
    tables = [("Projects", "Project", preview.projects), ("Indicators", "Indicator", preview.indicators)]
    context = {"year": year, "import": import_, "preview": preview, "tables": tables, "form": form, "conflict": error}
    return render(request, "returns/imports/projects_preview.html", context, status=status)


def _applied_message(preview):
    counts = preview.summary
    parts = []
    for kind in ("projects", "indicators"):
        new, changed = counts[kind]["new"], counts[kind]["changed"]
        parts.append(f"{new} {kind[:-1] if new == 1 else kind} added, {changed} changed")
    return f"{preview.year.label} projects imported: {'; '.join(parts)}."
