from django.shortcuts import get_object_or_404, render

from boroughs.access import require_perm
from returns.models import FinancialYear, PlanPriority

from ..access import get_year_for_review
from ..selectors import board


def evidence_quality(request):
    year = get_year_for_review(request.user, request.GET.get("year"))
    columns, table = board.evidence_quality(request.user, year)
    context = {"year": year, "columns": columns, "table": table, "years": FinancialYear.objects.all()}
    return render(request, "reviews/review/evidence_quality.html", context)


def thematic(request):
    year = get_year_for_review(request.user, request.GET.get("year"))
    priorities = list(PlanPriority.objects.for_year(year))
    priority = None
    if request.GET.get("priority"):
        priority = get_object_or_404(PlanPriority.objects.for_year(year), pk=request.GET["priority"])
    rows = board.thematic(request.user, year, priority) if priority else []
    context = {"year": year, "priorities": priorities, "priority": priority, "rows": rows}
    return render(request, "reviews/review/thematic.html", context)


def search(request):
    """Open to officers too: every result comes from a for_user queryset, so they see only their own."""
    require_perm(request.user, "boroughs.view_borough")
    query = request.GET.get("q", "").strip()[:200]
    context = {"query": query, "results": board.search(request.user, query)}
    return render(request, "reviews/review/search.html", context)
