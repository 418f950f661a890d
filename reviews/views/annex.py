"""Reading the annex: the list, the draft preview, published versions, the diff and the downloads."""

from django.http import Http404, HttpResponse
from django.shortcuts import render

from ..access import get_annex_for_user, get_version_for_user, require_annex_scope
from ..annex.assembly import assemble, assemble_version
from ..annex.diff import compare
from ..exports import FORMATS, export
from ..models import Annex


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
    }
    return render(request, "reviews/annex_preview.html", context)


def version_list(request, year):
    annex = get_annex_for_user(request.user, year)
    versions = annex.versions.select_related("published_by")
    return render(request, "reviews/version_list.html", {"annex_obj": annex, "versions": versions, "formats": FORMATS})


def version_detail(request, year, number):
    version = get_version_for_user(request.user, year, number)
    context = {"annex": assemble_version(version), "annex_obj": version.annex, "version": version, "formats": FORMATS}
    return render(request, "reviews/version_detail.html", context)


def version_diff(request, year, number):
    version = get_version_for_user(request.user, year, number)
    published, draft = assemble_version(version), assemble(version.annex)
    changes = compare(published, draft)
    context = {"annex_obj": version.annex, "version": version, "changes": changes, "draft": draft}
    return render(request, "reviews/version_diff.html", context)


def export_draft(request, year, fmt):
    annex = get_annex_for_user(request.user, year)
    return _download(assemble(annex), fmt)


def export_version(request, year, number, fmt):
    version = get_version_for_user(request.user, year, number)
    return _download(assemble_version(version), fmt)


def _download(assembled, fmt):
    if fmt not in FORMATS:
        raise Http404
    content, content_type, filename = export(assembled, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
