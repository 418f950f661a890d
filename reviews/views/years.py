"""A financial year's end: an OPCC admin closes it once its annex is published.

The years page (returns/views/years.py) links here; opening a year is the returns app's, closing is
here because its condition, a published annex, is the reviews app's.
"""

from django.contrib import messages
from django.shortcuts import redirect, render

from boroughs.forms import posted

from ..access import get_year_to_close
from ..forms.years import ConfirmForm
from ..models import Annex
from ..services import years as services


def year_close(request, year):
    year = get_year_to_close(request.user, year)
    form = ConfirmForm(posted(request), submit_label=f"Close {year.label}")
    if request.method == "POST" and form.is_valid():
        try:
            services.year_close(year=year, by=request.user)
        except services.YearNotClosable as refused:
            form.add_error(None, refused.messages)
        else:
            messages.success(request, f"{year.label} is closed: its returns and roll-ups can no longer be changed.")
            return redirect("year_list")
    context = {
        "form": form,
        "year": year,
        "heading": f"Close {year.label}",
        "problem": services.why_not_closable(year),
        "annex": Annex.objects.filter(financial_year=year).first(),
    }
    return render(request, "reviews/year_close.html", context)
