from django.contrib import messages
from django.http import Http404
from django.shortcuts import render

from boroughs.access import require_perm
from returns.models import FinancialYear, PlanPriority

from ..access import get_year_for_review, require_review_scope
from ..board_cache import cached_board
from ..forms.board import SearchForm, ThematicQuery, YearQuery
from ..selectors import board
from ..selectors.search import search as search_matches
from ..selectors.thematic import thematic_page


def board_view(request):
    """The board view: spend against allocation, the evidence-quality map and RAG by Plan priority."""
    require_review_scope(request.user)  # officers 404, no role 403, before the query string is read
    query = YearQuery.clean_or_404(request)
    year = get_year_for_review(request.user, query["year"])
    context = {
        "year": year,
        "years": FinancialYear.objects.order_by("-start_date"),
        "board": cached_board(year) if year else None,
    }
    return render(request, "reviews/board/board.html", context)


def evidence_quality(request):
    require_review_scope(request.user)  # who may look comes before what they asked for
    query = YearQuery.clean_or_404(request)
    year = get_year_for_review(request.user, query["year"])
    columns, table = board.evidence_quality(request.user, year)
    context = {"year": year, "columns": columns, "table": table, "years": FinancialYear.objects.all()}
    return render(request, "reviews/review/evidence_quality.html", context)


def thematic(request):
    require_review_scope(request.user)
    query = ThematicQuery.clean_or_404(request)
    year = get_year_for_review(request.user, query["year"])
    priorities = list(PlanPriority.objects.for_year(year))
    priority = None
    if query["priority"]:
        # Chosen from the year's list, already loaded: a priority of another year is a 404.
        priority = next((p for p in priorities if p.pk == query["priority"]), None)
        if priority is None:
            raise Http404("No such priority in this year's plan.")
    page = thematic_page(request.user, year, priority, page_number=query["page"] or 1) if priority else None
    context = {
        "year": year,
        "priorities": priorities,
        "priority": priority,
        "page": page,
        "rows": page.object_list if page else [],
        "page_numbers": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1) if page else [],
    }
    return render(request, "reviews/review/thematic.html", context)


def search(request):
    """Open to officers too: every result comes from a for_user queryset, so they see only their own."""
    require_perm(request.user, "boroughs.view_borough")
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    for error in form.errors.get("q", []):
        messages.error(request, error)
    context = {"query": query, "results": search_matches(request.user, query)}
    return render(request, "reviews/review/search.html", context)
