"""The grid page's query parameters: the year (read by reviews.access.get_year_for_review), the summary's sort,
the filters (borough name, status, quarter) and the page of boroughs."""

from django import forms
from django.http import Http404

from boroughs.forms import GDSForm
from boroughs.query import QueryForm
from returns.statuses import status_keys

from ..selectors.grid import SORT_CHOICES

# Longer than any borough's name (Borough.name is 100 characters), so nothing longer could match.
BOROUGH_MAX = 100


class GridQuery(GDSForm, QueryForm):
    # A year's label, e.g. 2026-27; empty means the current year (validated by get_year_for_review).
    year = forms.CharField(required=False, max_length=20)
    # A column of the current quarter's summary, "-" first for descending; anything else is a 404.
    sort = forms.ChoiceField(choices=SORT_CHOICES, required=False)
    borough = forms.CharField(
        label="Borough name contains",
        required=False,
        max_length=BOROUGH_MAX,
        error_messages={
            "max_length": f"Borough name must be {BOROUGH_MAX} characters or fewer",
            "null_characters_not_allowed": "Borough name cannot contain null characters",
        },
    )
    # A callable: the "due within N days" words read the reminder settings when the form is made.
    status = forms.ChoiceField(label="Status", required=False, choices=lambda: [("", "Any status"), *status_keys()])
    quarter = forms.TypedChoiceField(
        label="Quarter",
        required=False,
        choices=[("", "Every quarter"), *((str(n), f"Q{n}") for n in range(1, 5))],
        coerce=int,
        empty_value=None,
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000)

    # Typed by a person, so a bad value is a message beside the field; the rest only links and menus set.
    TYPED = {"borough"}

    def cleaned_or_404(self):
        """The parameters, cleaned. Junk in one that links and menus set is a 404, as elsewhere in the service; a
        bad borough name keeps its message for the page (which shows it beside the field) and filters nothing."""
        if not self.is_valid() and set(self.errors) - self.TYPED:
            raise Http404("The link's query parameters are not valid.")
        return {**self.cleaned_data, "borough": self.cleaned_data.get("borough", "")}

    @property
    def filtered(self):
        return any(self.data.get(name) for name in ("borough", "status", "quarter"))
