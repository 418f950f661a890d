"""Filling in a return offline: download the pre-filled template, upload it, check the preview, confirm.

Every page is the return's own officers' (as for filing it); an upload is its uploader's alone (another
officer's import is a 404). Nothing is saved before the confirmation, and the confirmation saves all or nothing.
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from boroughs.conflicts import saved_by

from ..access import FILE
from ..forms.imports import QuarterConfirmForm, QuarterUploadForm, sign_versions
from ..imports.models import SpreadsheetImport
from ..imports.quarter import quarter_preview, quarter_template, template_filename
from ..models import Evidence
from ..services import EditConflict
from ..services.imports import ImportNotApplicable, quarter_apply, quarter_upload
from ._common import return_view

HEADING = "Fill it in offline"


def _import_for_user(request, return_, import_pk):
    imports = SpreadsheetImport.objects.filter(
        kind=SpreadsheetImport.Kind.QUARTER, return_of=return_, uploaded_by=request.user
    )
    return get_object_or_404(imports, pk=import_pk)


@return_view(perm=FILE, editing=True)
def quarter_template_download(request, return_):
    response = HttpResponse(quarter_template(return_), content_type=Evidence.CONTENT_TYPES[Evidence.Kind.XLSX])
    response["Content-Disposition"] = f'attachment; filename="{template_filename(return_)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@return_view(perm=FILE, editing=True)
def quarter_upload_view(request, return_):
    if request.method == "POST":
        form = QuarterUploadForm(request.POST, request.FILES, return_=return_)
        if form.is_valid():
            import_ = quarter_upload(return_=return_, upload=form.cleaned_data["file"], by=request.user)
            return redirect("return_import_preview", pk=return_.pk, import_pk=import_.pk)
    else:
        form = QuarterUploadForm(return_=return_)
    return render(
        request, "returns/imports/quarter_upload.html", {"return": return_, "form": form, "heading": HEADING}
    )


def _render_preview(request, return_, import_, *, error=None, status=200):
    preview = quarter_preview(import_=import_)
    form = QuarterConfirmForm(initial={"versions": sign_versions(preview.versions)})
    context = {
        "return": return_,
        "import": import_,
        "preview": preview,
        "form": form,
        "error": error,
        "heading": "Check the changes from your spreadsheet",
    }
    return render(request, "returns/imports/quarter_preview.html", context, status=status)


@return_view(perm=FILE, editing=True)
def quarter_preview_view(request, return_, import_pk):
    """GET: the preview. POST: confirm, which applies everything or nothing."""
    import_ = _import_for_user(request, return_, import_pk)
    if import_.status == SpreadsheetImport.Status.APPLIED:
        messages.info(request, f"{import_.original_name} has already been applied.")
        return redirect(return_)
    if import_.status == SpreadsheetImport.Status.DISCARDED:
        messages.warning(request, "You have uploaded a newer file since this one. Upload the file you want to use.")
        return redirect("return_import", pk=return_.pk)
    if request.method != "POST":
        return _render_preview(request, return_, import_)
    form = QuarterConfirmForm(request.POST)
    if not form.is_valid():
        return _render_preview(request, return_, import_, error=form.errors["versions"][0], status=400)
    try:
        applied = quarter_apply(import_=import_, by=request.user, versions=form.cleaned_data["versions"])
    except EditConflict as conflict:
        current = conflict.current
        return _render_preview(
            request,
            return_,
            import_,
            status=409,
            error=(
                f"{saved_by(current)} changed {current.project} after you checked this file, so nothing has been "
                "applied. The changes below now start from what they saved: check them and confirm again"
            ),
        )
    except ImportNotApplicable as refused:
        if refused.preview is None:
            messages.warning(request, str(refused))
            return redirect(return_)
        return _render_preview(request, return_, import_, error=str(refused), status=409)
    count = len(applied)
    messages.success(
        request,
        f"The figures from {import_.original_name} have been saved: "
        f"{count} project{'' if count == 1 else 's'} updated.",
    )
    return redirect(return_)
