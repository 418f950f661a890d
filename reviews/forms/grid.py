"""The grid page's query parameters: the year (read by reviews.access.get_year_for_review) and the summary's sort."""

from django import forms

from boroughs.query import QueryForm

from ..selectors.grid import SORT_CHOICES


class GridQuery(QueryForm):
    # A year's label, e.g. 2026-27; empty means the current year (validated by get_year_for_review).
    year = forms.CharField(required=False, max_length=20)
    # A column of the current quarter's summary, "-" first for descending; anything else is a 404.
    sort = forms.ChoiceField(choices=SORT_CHOICES, required=False)
