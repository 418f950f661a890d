"""A year's projects from a spreadsheet: the upload, and the confirmation of its preview."""

from django import forms
from django.core import signing

from boroughs.forms import GDSForm

from ..imports.projects import read_workbook
from .imports import SpreadsheetUploadForm


class ProjectsUploadForm(SpreadsheetUploadForm):
    label = "Upload the filled-in template"
    hint = "An Excel spreadsheet (XLSX) made from the template above, up to 10MB."

    def __init__(self, *args, year, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year

    def check(self, upload):
        read_workbook(upload, year=self.year)


class ProjectsConfirmForm(GDSForm, forms.Form):
    """What the preview matched (signed, so it is the page's own): confirming checks nothing moved since."""

    submit_label = "Apply these changes"
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, import_, seen=None, **kwargs):
        self.salt = f"returns.projects_import.{import_.uuid}"
        super().__init__(*args, **kwargs)
        if seen is not None:
            self.fields["seen"].initial = signing.dumps(seen, salt=self.salt)

    def clean_seen(self):
        # A missing or altered value is no mistake to show beside a hidden field: it counts as out of date,
        # so the service answers with a conflict and nothing is applied.
        try:
            return signing.loads(self.cleaned_data["seen"], salt=self.salt)
        except signing.BadSignature:
            return None
