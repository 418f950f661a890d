"""An evidence file: the name's extension must agree with what the content is."""

from django import forms

from ..filetypes import sniff
from ..models import SHORT_TEXT_MAX, Evidence, Project
from .fields import ReturnFormMixin, TextField


class EvidenceForm(ReturnFormMixin, forms.Form):
    submit_label = "Upload file"
    later_label = None
    file = forms.FileField(
        label="Upload a file",
        help_text="PDF, Word (DOCX), Excel (XLSX), CSV, PNG or JPEG, up to 10MB.",
        error_messages={"required": "Select a file", "empty": "The selected file is empty"},
    )
    project = forms.ModelChoiceField(
        label="Which project is it about? (optional)", queryset=Project.objects.none(), required=False
    )
    description = TextField(label="Description (optional)", max_length=SHORT_TEXT_MAX, rows=0, required=False)

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        self.fields["project"].empty_label = "The whole return"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > Evidence.MAX_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 10MB")
        claimed = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        claimed = {"jpg": "jpeg", "jpe": "jpeg"}.get(claimed, claimed)
        if claimed not in Evidence.Kind.values:
            raise forms.ValidationError("The selected file must be a PDF, DOCX, XLSX, CSV, PNG or JPEG")
        actual = sniff(upload)
        if actual != claimed:
            found = Evidence.Kind(actual).label if actual else "something else"
            raise forms.ValidationError(
                f"The selected file is named as a {Evidence.Kind(claimed).label} but its content is {found}. "
                "Check you chose the right file"
            )
        self.kind = actual
        return upload
