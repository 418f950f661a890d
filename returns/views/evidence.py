"""Evidence files: upload, list, download through a scoped view, remove."""

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from ..access import get_evidence_for_user, get_item_for_user
from ..forms import EvidenceForm, SectionCompleteForm
from ..models import Evidence, Project, ReturnSection
from ..services import evidence_add, evidence_remove
from ._common import finishing, return_view
from .sections import _completed_initial, mark_section


@return_view(editing=True)
def evidence_section(request, return_):
    """One page, two forms: upload a file, and say whether the section is complete."""
    section = return_.sections.get(key=ReturnSection.Key.EVIDENCE)
    projects = Project.objects.filter(updates__return_of=return_)
    upload_form = EvidenceForm(projects=projects, prefix="upload")
    complete_form = SectionCompleteForm(
        initial={"completed": _completed_initial(section.status), "version": section.version}
    )
    if request.method == "POST" and "upload-description" in request.POST:
        upload_form = EvidenceForm(request.POST, request.FILES, projects=projects, prefix="upload")
        if upload_form.is_valid():
            evidence_add(
                return_=return_,
                upload=upload_form.cleaned_data["file"],
                kind=upload_form.kind,
                project=upload_form.cleaned_data["project"],
                description=upload_form.cleaned_data["description"],
                by=request.user,
            )
            messages.success(request, f"{upload_form.cleaned_data['file'].name} has been uploaded.")
            return redirect("return_evidence", pk=return_.pk)
    elif request.method == "POST":
        complete_form = SectionCompleteForm(request.POST, finishing=finishing(request))
        if complete_form.is_valid():
            return mark_section(request, return_, section, complete_form, heading=ReturnSection.Key.EVIDENCE.label)
    # Only one of the two forms can carry errors; the summary shows that one's.
    error_form = upload_form if upload_form.errors else complete_form
    return render(
        request,
        "returns/evidence.html",
        {
            "return": return_,
            "upload_form": upload_form,
            "complete_form": complete_form,
            "error_form": error_form,
            "items": return_.evidence.select_related("project"),
            "heading": ReturnSection.Key.EVIDENCE.label,
        },
    )


def evidence_download(request, pk, evidence_pk):
    """The only way to a stored file: scoped like the return, and never a public media URL."""
    evidence = get_evidence_for_user(request.user, pk, evidence_pk)
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@return_view(editing=True)
def evidence_delete(request, return_, evidence_pk):
    evidence = get_item_for_user(Evidence, request.user, return_, evidence_pk)
    back_url = reverse("return_evidence", args=[return_.pk])
    if request.method == "POST":
        evidence_remove(evidence=evidence, by=request.user)
        messages.success(request, f"{evidence.original_name} has been removed.")
        return redirect(back_url)
    return render(
        request,
        "returns/confirm_remove.html",
        {
            "return": return_,
            "heading": "Are you sure you want to remove this file?",
            "item": evidence,
            "back_url": back_url,
        },
    )
