"""Exports prepared on the background worker: ask for one, watch it, download it."""

from django.contrib import messages
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ..access import get_annex_for_user, get_export_for_user, get_version_for_user
from ..exports import FORMATS
from ..services.exports import export_request


@require_POST
def export_prepare_draft(request, year, fmt):
    annex = get_annex_for_user(request.user, year)
    return _prepare(request, annex=annex, version=None, fmt=fmt)


@require_POST
def export_prepare_version(request, year, number, fmt):
    version = get_version_for_user(request.user, year, number)
    return _prepare(request, annex=version.annex, version=version, fmt=fmt)


def _prepare(request, *, annex, version, fmt):
    if fmt not in FORMATS:
        raise Http404
    job = export_request(annex=annex, version=version, fmt=fmt, by=request.user)
    return prepared(request, job)


def prepared(request, job):
    """After asking for a file on the worker: to its status page (saying so if it was already asked for)."""
    if job.already_pending:
        messages.info(request, f"You have already asked for this {job.get_format_display()}: it is being prepared.")
    response = redirect(job)
    # 303 See Other: the browser follows with a GET, so reloading the status page never queues another export.
    response.status_code = 303
    return response


def export_status(request, pk):
    return status_page(request, get_export_for_user(request.user, pk))


def export_status_json(request, pk):
    return status_json(get_export_for_user(request.user, pk))


def export_download(request, pk):
    return download(get_export_for_user(request.user, pk))


# Shared by every file built on the worker (reviews/models/exports.py PreparedExport), annex or year data.


def status_page(request, job):
    return render(request, "reviews/export_status.html", {"job": job})


def status_json(job):
    """What the page's script polls. Small on purpose: it is fetched every two seconds."""
    response = JsonResponse({"status": job.status, "label": job.get_status_display(), "done": job.is_done})
    response["Cache-Control"] = "private, no-store"
    return response


def download(job):
    """The only way to a stored file: scoped by its access helper, never a public media URL."""
    if job.status != job.Status.READY or not job.file:
        raise Http404
    response = FileResponse(
        job.file.open("rb"), as_attachment=True, filename=job.filename, content_type=job.content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response
