"""The annual roll-up: its page, and the one place its cells and rows are edited.

The annex preview links here with `?from=annex`; after a save the user goes back where they came
from, at the same cell or row.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from boroughs.conflicts import render_conflict
from boroughs.forms import posted

from ..access import (
    get_borough_for_review,
    get_rollup_cell_to_edit,
    get_rollup_row_to_edit,
    get_rollup_scope_to_edit,
    get_year_for_review,
    may_edit_rollup,
)
from ..forms.annex import ROW_VISIBILITY_FORMS, CellTextForm, HideRowForm, ShowRowForm
from ..models import ColumnCommentary, EditConflict, ProjectCommentary
from ..selectors.rollup import draft_from_quarters, load_rollup
from ..services import rollup as services


def rollup(request, slug, year):
    borough = get_borough_for_review(request.user, slug)
    year = get_year_for_review(request.user, year)
    context = {
        "page": load_rollup(request.user, borough, year),
        "can_edit": may_edit_rollup(request.user, borough, year),
    }
    return render(request, "reviews/review/rollup.html", context)


@require_POST
def rollup_start(request, slug, year):
    borough, year = get_rollup_scope_to_edit(request.user, slug, year)
    services.rollup_start(borough=borough, year=year, by=request.user)
    return redirect("reviews:rollup", slug=borough.slug, year=year.label)


def _from_annex(request):
    return request.GET.get("from") == "annex"


def _back_url(request, rollup, *, row_id, anchor):
    """Where a save returns: the annex preview at the borough's row (`?from=annex`), else the roll-up page."""
    borough, label = rollup.borough, rollup.financial_year.label
    if _from_annex(request):
        row = "annual" if row_id is None else f"row-{row_id}"
        # The preview shows one borough per page: back to this borough's page, at the row.
        return f"{reverse('reviews:annex_preview', args=[label])}?borough={borough.slug}#{borough.slug}-{row}"
    return f"{reverse('reviews:rollup', args=[borough.slug, label])}#{anchor}"


def _form_page(request, context):
    back_label = "Back to the annex" if _from_annex(request) else "Back to the roll-up"
    return render(request, "reviews/review/rollup_edit.html", {**context, "back_label": back_label})


def _where(row):
    return "annual text" if row is None else (row.title or f"row {row.position}")


def _draft_for(user, cell):
    """What an empty cell starts from: the quarters' shared commentary, or the project's description."""
    rollup = cell.rollup
    if cell.row_id is None:
        comments = ColumnCommentary.objects.for_user(user).filter(
            borough=rollup.borough, period__year=rollup.financial_year, column=cell.column
        )
        return draft_from_quarters(comments.select_related("period").order_by("period__quarter"))
    project = cell.row.project
    if project is None:
        return ""
    if cell.column.role == cell.column.Role.DESCRIPTION:
        return project.description
    if cell.column.role == cell.column.Role.PERFORMANCE:
        comments = ProjectCommentary.objects.for_user(user).filter(project=project, period__year=rollup.financial_year)
        return draft_from_quarters(comments.select_related("period").order_by("period__quarter"))
    return ""


def cell_edit(request, slug, year, cell_pk):
    cell = get_rollup_cell_to_edit(request.user, slug, year, cell_pk)
    rollup_, where = cell.rollup, _where(cell.row)
    back_url = _back_url(request, rollup_, row_id=cell.row_id, anchor=f"cell-{cell.pk}")
    form_kwargs = {"label": cell.column.heading}
    if request.method == "POST":
        form = CellTextForm(request.POST, **form_kwargs)
    else:
        initial = {"text": cell.text or _draft_for(request.user, cell), "version": cell.version}
        form = CellTextForm(initial=initial, **form_kwargs)
    caption = f"{rollup_.borough.name} · {rollup_.financial_year.label}: {where}"
    if request.method == "POST" and form.is_valid():
        try:
            services.cell_update(
                cell=cell,
                text=form.cleaned_data["text"],
                expected_version=form.cleaned_data["version"],
                by=request.user,
            )
        except EditConflict as conflict:
            return render_conflict(
                request,
                form_class=CellTextForm,
                form_kwargs=form_kwargs,
                current=conflict.current,
                theirs_initial={"text": conflict.current.text},
                heading=f"{cell.column.heading} ({where})",
                back_url=back_url,
                context={"caption": caption},
            )
        messages.success(request, f"Saved {cell.column.heading} for {rollup_.borough.name}, {where}.")
        return redirect(back_url)
    return _form_page(
        request, {"form": form, "heading": f"Edit {cell.column.heading}", "caption": caption, "back_url": back_url}
    )


@require_POST
def row_move(request, slug, year, row_pk):
    row = get_rollup_row_to_edit(request.user, slug, year, row_pk)
    direction = request.POST.get("direction")
    if direction in ("up", "down") and services.row_move(row=row, direction=direction, by=request.user):
        messages.success(request, f"Moved {row.title or 'the row'} {direction} in {row.rollup.borough.name}.")
    return redirect(_back_url(request, row.rollup, row_id=row.pk, anchor=f"row-{row.pk}"))


def _in_annex(hidden):
    return "Hidden" if hidden else "Shown"


def row_visibility(request, slug, year, row_pk):
    """Hide a row from the annex (with a reason) or show it again: a form either way, so both are versioned."""
    row = get_rollup_row_to_edit(request.user, slug, year, row_pk)
    rollup_ = row.rollup
    back_url = _back_url(request, rollup_, row_id=row.pk, anchor=f"row-{row.pk}")
    # The form the user opened decides, not the row's state now: see RowVisibilityForm.
    form_class = ShowRowForm if row.hidden else HideRowForm
    if request.method == "POST":
        form_class = ROW_VISIBILITY_FORMS.get(request.POST.get("intent"), form_class)
    form = form_class(posted(request), initial={"version": row.version})
    hiding = form_class is HideRowForm
    where = _where(row)
    caption = f"{rollup_.borough.name} · {rollup_.financial_year.label}: {where}"
    if request.method == "POST" and form.is_valid():
        try:
            if hiding:
                services.row_hide(
                    row=row,
                    reason=form.cleaned_data["reason"],
                    expected_version=form.cleaned_data["version"],
                    by=request.user,
                )
            else:
                services.row_show(row=row, expected_version=form.cleaned_data["version"], by=request.user)
        except EditConflict as conflict:
            theirs = conflict.current
            extra_rows = [("In the annex", _in_annex(theirs.hidden), _in_annex(hiding))]
            if not hiding:  # the hide form has the reason as a field; showing clears it
                extra_rows.append(("Why it is hidden", theirs.hidden_reason or "Not given", "Not given"))
            return render_conflict(
                request,
                form_class=form_class,
                form_kwargs={},
                current=theirs,
                theirs_initial={"reason": theirs.hidden_reason},
                heading=f"whether {where} is in the annex",
                back_url=back_url,
                context={"caption": caption},
                extra_rows=extra_rows,
            )
        messages.success(request, f"{'Hidden' if hiding else 'Shown'} {where} in {rollup_.borough.name}.")
        return redirect(back_url)
    heading = f"{'Hide' if hiding else 'Show'} {where}"
    return _form_page(
        request, {"form": form, "heading": heading, "caption": caption, "back_url": back_url, "row": row}
    )
