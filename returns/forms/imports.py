"""Spreadsheet imports: the upload (checked as a file and as this return's template) and the confirmation."""

from django import forms
from django.core import signing

from boroughs.forms import GDSForm

from ..imports.quarter import check_upload
from ..imports.reading import MAX_BYTES, ImportFileError

_VERSIONS_SALT = "returns.imports.versions"


class SpreadsheetUploadForm(GDSForm, forms.Form):
    """An uploaded workbook, read at once: a file that cannot be used is refused here, next to the field.

    Subclasses name the field (`label`, `hint`) and read the file as their kind of template (`check`).
    """

    submit_label = "Upload and preview"
    label = hint = ""
    file = forms.FileField(error_messages={"required": "Select a file", "empty": "The selected file is empty"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["file"]
        field.label, field.help_text = self.label, self.hint
        field.widget.attrs["accept"] = ".xlsx"

    def check(self, upload):
        raise NotImplementedError

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 10MB")
        try:
            self.check(upload)
        except ImportFileError as error:
            raise forms.ValidationError(str(error)) from None
        finally:
            upload.seek(0)
        return upload


class QuarterUploadForm(SpreadsheetUploadForm):
    label = "Upload your filled-in spreadsheet"
    hint = "The template you downloaded from this return, saved as an Excel workbook (XLSX), up to 10MB."

    def __init__(self, *args, return_, **kwargs):
        super().__init__(*args, **kwargs)
        self.return_ = return_

    def check(self, upload):
        check_upload(upload, self.return_)


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
