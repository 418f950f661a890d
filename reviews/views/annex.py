"""The annex: the list, the draft preview, its details, publishing, published versions, the diff and the downloads.

Its cells and rows are edited on the roll-up (reviews/views/rollup.py); the preview links there.

A national annex has hundreds of boroughs, so the preview and a published version show one borough per
page (`?borough=<slug>`, the first by default; the "Performance summary" appendix has its own page) with a
contents list built from aggregates: the page's cost does not grow with the annex. The PDF and the other
downloads are still the whole annex (reviews/exports).
"""

from types import SimpleNamespace

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from boroughs.conflicts import render_conflict
from boroughs.forms import posted
from returns.models import FinancialYear

from ..access import get_annex_for_user, get_version_for_user, get_year_for_annex_start, require_annex_scope
from ..annex.assembly import annex_contents, assemble, assemble_version, snapshot_contents
from ..annex.diff import compare
from ..board_cache import cached_appendix
from ..exports import FORMATS, export, runs_on_worker, worker_formats
from ..forms.annex import AnnexDetailsForm, PublishForm
from ..models import AnnexExport, EditConflict, ReviewNotAllowed
from ..services import annex as annex_services
from ..services.annex import annex_publish


def annex_list(request):
    """Every year that has returns (it was opened) or an annex (imported), with its annex or a start button."""
    require_annex_scope(request.user)
    years = (
        FinancialYear.objects.filter(Q(periods__isnull=False) | Q(annex__isnull=False))
        .distinct()
        .select_related("annex")
        .order_by("-start_date")
    )
    rows = [(year, getattr(year, "annex", None)) for year in years]
    context = {"rows": rows, "can_start": request.user.has_perm("reviews.change_annex")}
    return render(request, "reviews/annex_list.html", context)


@require_POST
def annex_start(request, year):
    year = get_year_for_annex_start(request.user, year)
    try:
        started = annex_services.annex_start(year=year, by=request.user)
    except ReviewNotAllowed as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect("reviews:annex_list")
    if started.created or started.rollups or started.rows:
        messages.success(
            request,
            f"Started the {year.label} annex: a roll-up for every partnership, "
            "pre-filled from the year's shared commentary.",
        )
    else:
        messages.info(request, f"The {year.label} annex had already been started: nothing has changed.")
    return redirect(started.annex)


def annex_preview(request, year):
    annex = get_annex_for_user(request.user, year)
    contents = annex_contents(annex)
    page = _page_of(request, contents)
    current = page.current
    on_summary = bool(current and current.is_summary)
    # The appendix's page shows the board's figures, kept rendered (reviews/board_cache.py): at national scale
    # working them out takes seconds. The documents still work them out afresh.
    assembled = assemble(
        annex,
        rollup_ids=[current.rollup_id] if current and not on_summary else [],
        with_summary=False,
        columns=contents.columns,
    )
    # Every page says how much is missing in all; it names what is missing on this page's borough (and any
    # borough with no roll-up at all), and the contents count each of the others'.
    problems = [f"{name}: no roll-up for {annex.financial_year.label}" for name in contents.missing_boroughs]
    problems += assembled.completeness()
    context = {
        "annex": assembled,
        "annex_obj": annex,
        "contents": contents,
        "page": page,
        "problems": problems,
        "problem_count": contents.problem_count,
        "problems_elsewhere": contents.problem_count - len(problems),
        "latest": annex.versions.metadata().first(),
        "editable": request.user.has_perm("reviews.change_annex") and not annex.financial_year.is_closed,
        "formats": FORMATS,
        "on_worker": _worker_formats(contents),
        "recent_exports": _recent_exports(request.user, annex, version=None),
        "appendix": cached_appendix(annex.financial_year) if on_summary else None,
    }
    return render(request, "reviews/annex_preview.html", context)


def _page_of(request, contents):
    """The page `?borough=` asks for (a borough's slug, or the appendix's key); anything else is 404."""
    page = contents.page(request.GET.get("borough", ""))
    if page is None:
        raise Http404("The annex has no such borough.")
    return page


def _worker_formats(contents):
    # reviews.exports decides from the row count and whether there is an appendix; the contents know both,
    # so a page need not assemble the whole annex to offer its downloads.
    outline = SimpleNamespace(
        row_count=contents.row_count, performance_summary=True if contents.has_performance_summary else None
    )
    return worker_formats(outline)


def _recent_exports(user, annex, *, version, count=5):
    exports = (
        AnnexExport.objects.for_user(user)
        .filter(annex=annex, version=version)
        .select_related("version")
        .defer("version__snapshot")
    )
    return exports[:count]


def version_list(request, year):
    annex = get_annex_for_user(request.user, year)
    versions = annex.versions.metadata()
    return render(request, "reviews/version_list.html", {"annex_obj": annex, "versions": versions, "formats": FORMATS})


def version_detail(request, year, number):
    version = get_version_for_user(request.user, year, number)
    contents = snapshot_contents(version.snapshot)
    page = _page_of(request, contents)
    current = page.current
    assembled = assemble_version(
        version,
        slugs={current.key} if current and not current.is_summary else set(),
        with_summary=bool(current and current.is_summary),
    )
    context = {
        "annex": assembled,
        "annex_obj": version.annex,
        "version": version,
        "contents": contents,
        "page": page,
        "formats": FORMATS,
        "on_worker": _worker_formats(contents),
        "recent_exports": _recent_exports(request.user, version.annex, version=version),
    }
    return render(request, "reviews/version_detail.html", context)


def version_diff(request, year, number):
    version = get_version_for_user(request.user, year, number)
    # The diff compares the boroughs' tables and the details, never the appendix: its figures are not read.
    published = assemble_version(version, with_summary=False)
    draft = assemble(version.annex, with_summary=False)
    changes = compare(published, draft)
    context = {"annex_obj": version.annex, "version": version, "changes": changes, "draft": draft}
    return render(request, "reviews/version_diff.html", context)


def export_draft(request, year, fmt):
    annex = get_annex_for_user(request.user, year)
    if fmt not in FORMATS:
        raise Http404
    assembled = assemble(annex)
    if runs_on_worker(fmt, assembled):
        return _offer_on_page(reverse("reviews:annex_preview", args=[year]))
    return _download(assembled, fmt)


def export_version(request, year, number, fmt):
    version = get_version_for_user(request.user, year, number)
    if fmt not in FORMATS:
        raise Http404
    assembled = assemble_version(version)
    if runs_on_worker(fmt, assembled):
        return _offer_on_page(reverse("reviews:version_detail", args=[year, number]))
    return _download(assembled, fmt)


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


def _back_to(annex):
    return reverse("reviews:annex_preview", args=[annex.financial_year.label])


def details_edit(request, year):
    annex = get_annex_for_user(request.user, year, perm="reviews.change_annex")

    def details(annex):
        names = ("label", "title", "introduction", "include_performance_summary", "version")
        return {name: getattr(annex, name) for name in names}

    form = AnnexDetailsForm(posted(request), initial=details(annex))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            annex_services.annex_details_update(
                annex=annex,
                label=data["label"],
                title=data["title"],
                introduction=data["introduction"],
                include_performance_summary=data["include_performance_summary"],
                expected_version=data["version"],
            )
        except EditConflict as conflict:
            return render_conflict(
                request,
                form_class=AnnexDetailsForm,
                form_kwargs={},
                current=conflict.current,
                theirs_initial=details(conflict.current),
                heading="the annex’s details",
                back_url=_back_to(annex),
                context={"caption": f"{annex.label} {annex.financial_year.label}"},
            )
        messages.success(request, "Saved the annex's details.")
        return redirect(_back_to(annex))
    context = {"form": form, "heading": "Annex details", "annex_obj": annex, "back": _back_to(annex)}
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
