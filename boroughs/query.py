"""Query-string parameters, cleaned by a form like any other input."""

from django import forms
from django.http import Http404


class QueryForm(forms.Form):
    """A page's query-string parameters (?year=…&priority=…).

    A link carrying junk (a word where an id goes, a number too big for any column, a NUL character,
    which PostgreSQL refuses in text) points at nothing: it gets the 404 page, never a 500.
    """

    @classmethod
    def clean_or_404(cls, request, **kwargs):
        form = cls(request.GET, **kwargs)
        if not form.is_valid():
            raise Http404("The link's query parameters are not valid.")
        return form.cleaned_data
