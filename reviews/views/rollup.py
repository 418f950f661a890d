from contextlib import suppress

from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from boroughs.forms import posted

from ..access import get_borough_for_review, get_year_for_review
from ..forms.annex import CellTextForm, HideRowForm
from ..models import BoroughRollUp, ColumnCommentary, EditConflict, ProjectCommentary, RollUpCell, RollUpRow
from ..selectors.rollup import draft_from_quarters, load_rollup
from ..services import rollup as annex_services


def _scope(request, slug, year):
    borough = get_borough_for_review(request.user, slug)
    return borough, get_year_for_review(request.user, year)


def _rollup_for(request, borough, year):
    rollups = BoroughRollUp.objects.for_user(request.user)
    return get_object_or_404(rollups, borough=borough, financial_year=year)


def _back(borough, year, anchor=""):
    response = redirect("reviews:rollup", slug=borough.slug, year=year.label)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def rollup(request, slug, year):
    borough, year = _scope(request, slug, year)
    return render(request, "reviews/review/rollup.html", {"page": load_rollup(request.user, borough, year)})


@require_POST
def rollup_start(request, slug, year):
    borough, year = _scope(request, slug, year)
    annex_services.rollup_start(borough=borough, year=year, by=request.user)
    return _back(borough, year)


def _draft_for(request, cell, borough, year):
    """What an empty cell starts from: the quarters' shared commentary, or the project's description."""
    if cell.row_id is None:
        comments = ColumnCommentary.objects.for_user(request.user).filter(
            borough=borough, period__year=year, column=cell.column
        )
        return draft_from_quarters(comments.select_related("period").order_by("period__quarter"))
    project = cell.row.project
    if project is None:
        return ""
    if cell.column.role == cell.column.Role.DESCRIPTION:
        return project.description
    if cell.column.role == cell.column.Role.PERFORMANCE:
        comments = ProjectCommentary.objects.for_user(request.user).filter(project=project, period__year=year)
        return draft_from_quarters(comments.select_related("period").order_by("period__quarter"))
    return ""


def cell_edit(request, slug, year, cell_pk):
    borough, year = _scope(request, slug, year)
    rollup_ = _rollup_for(request, borough, year)
    cell = get_object_or_404(RollUpCell.objects.select_related("column", "row__project"), rollup=rollup_, pk=cell_pk)
    initial = {"text": cell.text or _draft_for(request, cell, borough, year), "version": cell.version}
    form = CellTextForm(posted(request), initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            annex_services.cell_update(
                cell=cell,
                text=form.cleaned_data["text"],
                expected_version=form.cleaned_data["version"],
                by=request.user,
            )
            return _back(borough, year, f"cell-{cell.pk}")
        except EditConflict as error:
            conflict = error.current
            form = CellTextForm.rebased(
                request.POST,
                current=conflict,
                message="Someone else changed this text while you were editing it. "
                "Compare the two versions, then save again.",
            )
    where = cell.row.title if cell.row_id else "annual text"
    context = {
        "form": form,
        "heading": f"{cell.column.heading}: {where}",
        "conflict": conflict,
        "borough": borough,
        "year": year,
    }
    return render(request, "reviews/review/rollup_cell.html", context)


def _row(request, borough, year, row_pk):
    rollup_ = _rollup_for(request, borough, year)
    return get_object_or_404(RollUpRow.objects.select_related("project"), rollup=rollup_, pk=row_pk)


@require_POST
def row_move(request, slug, year, row_pk):
    borough, year = _scope(request, slug, year)
    row = _row(request, borough, year, row_pk)
    direction = "up" if request.POST.get("direction") == "up" else "down"
    annex_services.row_move(row=row, direction=direction)
    return _back(borough, year, f"row-{row.pk}")


def row_hide(request, slug, year, row_pk):
    borough, year = _scope(request, slug, year)
    row = _row(request, borough, year, row_pk)
    form = HideRowForm(posted(request), initial={"version": row.version})
    if request.method == "POST" and form.is_valid():
        try:
            annex_services.row_hide(
                row=row,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
                by=request.user,
            )
            return _back(borough, year, f"row-{row.pk}")
        except EditConflict:
            form.add_error(None, "Someone else changed this row while you were looking at it. Go back and try again.")
    context = {
        "form": form,
        "heading": f"Hide {row.title or 'this row'} from the annex",
        "borough": borough,
        "year": year,
    }
    return render(request, "reviews/review/rollup_cell.html", context)


@require_POST
def row_show(request, slug, year, row_pk):
    borough, year = _scope(request, slug, year)
    row = _row(request, borough, year, row_pk)
    # On a conflict or a mangled version the page simply reloads with the row as it now is.
    with suppress(EditConflict, ValueError):
        annex_services.row_show(row=row, expected_version=int(request.POST.get("version", 0)), by=request.user)
    return _back(borough, year, f"row-{row.pk}")
