"""A year's projects from a spreadsheet: the upload, and the confirmation of its preview."""

from django import forms
from django.core import signing

from boroughs.forms import GDSForm

from ..imports.projects import read_workbook
from ..imports.reading import MAX_BYTES, ImportFileError


class ProjectsUploadForm(GDSForm, forms.Form):
    """The file is read right away, so a file that cannot be used is refused here, next to the field."""

    submit_label = "Upload and preview"
    file = forms.FileField(
        label="Upload the filled-in template",
        help_text="An Excel spreadsheet (XLSX) made from the template above, up to 10MB.",
        error_messages={"required": "Select a file", "empty": "The selected file is empty"},
    )

    def __init__(self, *args, year, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 10MB")
        try:
            read_workbook(upload, year=self.year)
        except ImportFileError as error:
            raise forms.ValidationError(str(error)) from None
        finally:
            upload.seek(0)
        return upload


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
