from django.shortcuts import render

from returns.models import FinancialYear

from ..review_access import get_year_for_review
from ..review_grid import build_grid


def grid(request):
    """The reviewers' home page: every borough's returns for the chosen year."""
    year = get_year_for_review(request.user, request.GET.get("year"))
    context = {"grid": build_grid(request.user, year), "years": FinancialYear.objects.all(), "year": year}
    return render(request, "reviews/review/grid.html", context)
