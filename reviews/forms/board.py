"""The board pages' query parameters: which year, which priority, what to search for."""

from django import forms

from boroughs.query import QueryForm

SEARCH_MAX = 200


class YearQuery(QueryForm):
    # A year's label, e.g. 2026-27; empty means the current year.
    year = forms.CharField(required=False, max_length=20)


class ThematicQuery(YearQuery):
    priority = forms.IntegerField(required=False, min_value=1)
    page = forms.IntegerField(required=False, min_value=1)


class SearchForm(forms.Form):
    q = forms.CharField(
        required=False, error_messages={"null_characters_not_allowed": "Search terms cannot contain null characters."}
    )

    def clean_q(self):
        # Long enough for any phrase someone means; longer is pasted by mistake and only slows the query.
        return self.cleaned_data["q"][:SEARCH_MAX]
