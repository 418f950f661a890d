"""Spreadsheet imports: the upload (checked as a file and as this return's template) and the confirmation."""

from django import forms
from django.core import signing

from boroughs.forms import GDSForm

from ..imports.quarter import check_upload
from ..imports.reading import MAX_BYTES, ImportFileError

_VERSIONS_SALT = "returns.imports.versions"


class QuarterUploadForm(GDSForm, forms.Form):
    submit_label = "Upload and preview"
    file = forms.FileField(
        label="Upload your filled-in spreadsheet",
        help_text="The template you downloaded from this return, saved as an Excel workbook (XLSX), up to 10MB.",
        error_messages={"required": "Select a file", "empty": "The selected file is empty"},
    )

    def __init__(self, *args, return_, **kwargs):
        super().__init__(*args, **kwargs)
        self.return_ = return_
        self.fields["file"].widget.attrs["accept"] = ".xlsx"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 10MB")
        try:
            check_upload(upload, self.return_)
        except ImportFileError as error:
            raise forms.ValidationError(str(error)) from None
        return upload


def sign_versions(versions):
    return signing.dumps({str(pk): version for pk, version in versions.items()}, salt=_VERSIONS_SALT)


class QuarterConfirmForm(GDSForm, forms.Form):
    """Carries the versions of the project tasks the preview showed, so an edit made since is a conflict."""

    submit_label = "Confirm and apply"
    versions = forms.CharField(widget=forms.HiddenInput)

    def clean_versions(self):
        try:
            data = signing.loads(self.cleaned_data["versions"], salt=_VERSIONS_SALT)
            return {int(pk): int(version) for pk, version in data.items()}
        except (signing.BadSignature, AttributeError, TypeError, ValueError):
            raise forms.ValidationError("The page was out of date. Check the changes again and confirm") from None
