"""The year's data for analysts (reviews/data): its page, the files, and preparing a large year on the worker."""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ..access import get_year_data_export_for_user, get_year_for_data
from ..data import FORMATS, build, on_worker
from ..data.workbook import README, SHEETS
from ..models import YearDataExport
from ..services.exports import year_data_request
from .exports import download, prepared, status_json, status_page


def year_data(request, year):
    """What the files hold, and either links to them or (a large year) buttons to prepare them."""
    year = get_year_for_data(request.user, year)
    recent = YearDataExport.objects.for_user(request.user).filter(financial_year=year, requested_by=request.user)[:5]
    context = {
        "year": year,
        "on_worker": on_worker(year),
        "formats": [(fmt, YearDataExport.FORMAT_NAMES[fmt]) for fmt in FORMATS],
        "sheets": (README, *SHEETS),
        "exports": recent,
    }
    return render(request, "reviews/data/year_data.html", context)


def year_data_download(request, year, fmt):
    year = get_year_for_data(request.user, year)
    if fmt not in FORMATS:
        raise Http404
    if on_worker(year):
        # Too large to build in a request: an old link lands on the page whose button queues it.
        return redirect(reverse("reviews:year_data", args=[year.label]) + "#files")
    content, content_type, filename = build(year, request.user, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def year_data_prepare(request, year, fmt):
    year = get_year_for_data(request.user, year)
    if fmt not in FORMATS:
        raise Http404
    return prepared(request, year_data_request(year=year, fmt=fmt, by=request.user))


def year_data_export_status(request, pk):
    return status_page(request, get_year_data_export_for_user(request.user, pk))


def year_data_export_status_json(request, pk):
    return status_json(get_year_data_export_for_user(request.user, pk))


def year_data_export_download(request, pk):
    return download(get_year_data_export_for_user(request.user, pk))
