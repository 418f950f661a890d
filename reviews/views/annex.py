"""The annex: the list, the draft preview, its details, publishing, published versions, the diff and the downloads."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ..access import get_annex_for_user, get_cell_for_user, get_row_for_user, get_version_for_user, require_annex_scope
from ..annex.assembly import assemble, assemble_version
from ..annex.diff import compare
from ..exports import FORMATS, export, runs_on_worker
from ..forms.annex import AnnexDetailsForm, CellTextForm, HideRowForm, PublishForm, ShowRowForm
from ..models import Annex, AnnexExport, EditConflict
from ..services.annex import annex_publish, annex_update_details
from ..services.rollup import cell_update, row_hide, row_move, row_show


def annex_list(request):
    require_annex_scope(request.user)
    annexes = Annex.objects.for_user(request.user).select_related("financial_year")
    return render(request, "reviews/annex_list.html", {"annexes": annexes})


def annex_preview(request, year):
    annex = get_annex_for_user(request.user, year)
    assembled = assemble(annex)
    latest = annex.versions.select_related("published_by").first()
    context = {
        "annex": assembled,
        "annex_obj": annex,
        "problems": assembled.completeness(),
        "latest": latest,
        "editable": request.user.has_perm("reviews.change_annex"),
        "formats": FORMATS,
        "recent_exports": _recent_exports(request.user, annex, version=None),
    }
    return render(request, "reviews/annex_preview.html", context)


def _recent_exports(user, annex, *, version, count=5):
    exports = AnnexExport.objects.for_user(user).filter(annex=annex, version=version).select_related("version")
    return exports[:count]


def version_list(request, year):
    annex = get_annex_for_user(request.user, year)
    versions = annex.versions.select_related("published_by")
    return render(request, "reviews/version_list.html", {"annex_obj": annex, "versions": versions, "formats": FORMATS})


def version_detail(request, year, number):
    version = get_version_for_user(request.user, year, number)
    context = {
        "annex": assemble_version(version),
        "annex_obj": version.annex,
        "version": version,
        "formats": FORMATS,
        "recent_exports": _recent_exports(request.user, version.annex, version=version),
    }
    return render(request, "reviews/version_detail.html", context)


def version_diff(request, year, number):
    version = get_version_for_user(request.user, year, number)
    published, draft = assemble_version(version), assemble(version.annex)
    changes = compare(published, draft)
    context = {"annex_obj": version.annex, "version": version, "changes": changes, "draft": draft}
    return render(request, "reviews/version_diff.html", context)


def export_draft(request, year, fmt):
    annex = get_annex_for_user(request.user, year)
    if fmt in FORMATS and runs_on_worker(fmt):
        return _offer_on_page(reverse("reviews:annex_preview", args=[year]))
    return _download(assemble(annex), fmt)


def export_version(request, year, number, fmt):
    version = get_version_for_user(request.user, year, number)
    if fmt in FORMATS and runs_on_worker(fmt):
        return _offer_on_page(reverse("reviews:version_detail", args=[year, number]))
    return _download(assemble_version(version), fmt)


def _offer_on_page(url):
    # A slow format is never rendered in a request (it would hold a web process for seconds); an old
    # bookmark lands on the page whose "Prepare" button queues it on the worker.
    return redirect(f"{url}#downloads")


def _download(assembled, fmt):
    if fmt not in FORMATS:
        raise Http404
    content, content_type, filename = export(assembled, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


CONFLICT = (
    "Someone else saved a change here after you opened this page. Their version is shown below. "
    "Check it, then save again to replace it with yours."
)


def _back_to(annex, anchor=""):
    return reverse("reviews:annex_preview", args=[annex.financial_year.label]) + (f"#{anchor}" if anchor else "")


def _row_anchor(borough, row_id):
    return f"{borough.slug}-{'annual' if row_id is None else f'row-{row_id}'}"


def cell_edit(request, year, pk):
    annex, cell = get_cell_for_user(request.user, year, pk)
    borough = cell.rollup.borough
    where = "Annual commentary" if cell.is_annual else (cell.row.title or f"Row {cell.row.position}")
    form_kwargs = {"label": cell.column.heading}
    theirs = None
    if request.method == "POST":
        form = CellTextForm(request.POST, **form_kwargs)
        if form.is_valid():
            try:
                cell_update(
                    cell=cell,
                    text=form.cleaned_data["text"],
                    expected_version=form.cleaned_data["version"],
                    by=request.user,
                )
            except EditConflict as conflict:
                theirs = conflict.current
                form = CellTextForm.rebased(request.POST, current=theirs, message=CONFLICT, **form_kwargs)
            else:
                messages.success(request, f"Saved {cell.column.heading} for {borough.name}, {where}.")
                return redirect(_back_to(annex, _row_anchor(borough, cell.row_id)))
    else:
        form = CellTextForm(initial={"text": cell.text, "version": cell.version}, **form_kwargs)
    context = {
        "form": form,
        "annex_obj": annex,
        "cell": cell,
        "borough": borough,
        "where": where,
        "theirs": theirs,
        "back": _back_to(annex, _row_anchor(borough, cell.row_id)),
    }
    return render(request, "reviews/cell_edit.html", context)


@require_POST
def row_move_view(request, year, pk):
    annex, row = get_row_for_user(request.user, year, pk)
    direction = request.POST.get("direction")
    if direction in ("up", "down") and row_move(row=row, direction=direction):
        messages.success(request, f"Moved {row.title or 'the row'} {direction} in {row.rollup.borough.name}.")
    return redirect(_back_to(annex, _row_anchor(row.rollup.borough, row.pk)))


def row_visibility(request, year, pk):
    """Hide a row from the annex (with a reason) or show it again."""
    annex, row = get_row_for_user(request.user, year, pk)
    form_class = ShowRowForm if row.hidden else HideRowForm
    theirs = None
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            try:
                if row.hidden:
                    row_show(row=row, expected_version=form.cleaned_data["version"], by=request.user)
                else:
                    row_hide(
                        row=row,
                        reason=form.cleaned_data["reason"],
                        expected_version=form.cleaned_data["version"],
                        by=request.user,
                    )
            except EditConflict as conflict:
                theirs = conflict.current
                form = form_class.rebased(request.POST, current=theirs, message=CONFLICT)
            else:
                done = "Shown" if row.hidden else "Hidden"
                messages.success(request, f"{done} {row.title or 'the row'} in {row.rollup.borough.name}.")
                return redirect(_back_to(annex, _row_anchor(row.rollup.borough, row.pk)))
    else:
        form = form_class(initial={"version": row.version, "reason": row.hidden_reason})
    heading = f"{'Show' if row.hidden else 'Hide'} a row of {row.rollup.borough.name}"
    context = {"form": form, "heading": heading, "row": row, "theirs": theirs, "back": _back_to(annex)}
    return render(request, "reviews/row_visibility.html", context)


def details_edit(request, year):
    annex = get_annex_for_user(request.user, year, perm="reviews.change_annex")
    theirs = None
    if request.method == "POST":
        form = AnnexDetailsForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                annex_update_details(
                    annex=annex,
                    label=data["label"],
                    title=data["title"],
                    introduction=data["introduction"],
                    expected_version=data["version"],
                )
            except EditConflict as conflict:
                theirs = conflict.current
                post = request.POST.copy()
                post["version"] = theirs.version
                form = AnnexDetailsForm(post)
                form.is_valid()
                form.add_error(None, CONFLICT)
            else:
                messages.success(request, "Saved the annex's details.")
                return redirect(_back_to(annex))
    else:
        form = AnnexDetailsForm(
            initial={
                "label": annex.label,
                "title": annex.title,
                "introduction": annex.introduction,
                "version": annex.version,
            }
        )
    context = {"form": form, "heading": "Annex details", "theirs": theirs, "annex_obj": annex, "back": _back_to(annex)}
    return render(request, "reviews/details_edit.html", context)


def publish(request, year):
    annex = get_annex_for_user(request.user, year, perm="reviews.publish_annex")
    if request.method == "POST":
        form = PublishForm(request.POST)
        if form.is_valid():
            version = annex_publish(annex=annex, meeting_date=form.cleaned_data["meeting_date"], by=request.user)
            messages.success(request, f"Published version {version.number} for the board.")
            return redirect("reviews:version_detail", year=annex.financial_year.label, number=version.number)
    else:
        form = PublishForm()
    context = {
        "form": form,
        "heading": "Publish the version for the board",
        "annex_obj": annex,
        "back": _back_to(annex),
    }
    return render(request, "reviews/publish.html", context)
