"""Open grants data: public pages, no sign-in. What they show is published already (reviews/opendata)."""

import json

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..access import YEAR_LABEL
from ..opendata import grants as opendata


@login_not_required
@require_GET
def open_data(request):
    context = {"years": opendata.published_years(), "licence": settings.OPEN_DATA_LICENCE}
    return render(request, "reviews/opendata/index.html", context)


def _published_or_404(label):
    # An unpublished or unknown year is simply not found: nothing says a draft exists.
    published = opendata.published_year(label) if YEAR_LABEL.fullmatch(label) else None
    if published is None:
        raise Http404("No grants data is published for that year.")
    return published


def _download(content, *, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Public, published data: shared caches may keep it for a while.
    response["Cache-Control"] = "public, max-age=300"
    return response


@login_not_required
@require_GET
def grants_json(request, year):
    published = _published_or_404(year)
    data = opendata.package(published, data_source=request.build_absolute_uri())
    content = json.dumps(data, indent=2, ensure_ascii=False)
    return _download(content, content_type="application/json", filename=f"grants-{year}.json")


@login_not_required
@require_GET
def grants_csv(request, year):
    published = _published_or_404(year)
    content = "\ufeff" + opendata.to_csv(opendata.package(published, data_source=request.build_absolute_uri()))
    return _download(content.encode(), content_type="text/csv; charset=utf-8", filename=f"grants-{year}.csv")
