"""Forms of the roll-up and the annex. They only check input; reviews.services saves."""

from crispy_forms_gds.layout import Size
from django import forms

from boroughs.forms import GDSForm
from returns.forms.fields import VersionField, date_field

from ..annex.text import normalise

TEXT_HINT = 'Leave a blank line between paragraphs. Start a line with "- " (a hyphen and a space) for a list item.'


class VersionedForm(forms.Form):
    # The version the editor started from; a save against a newer one is a conflict, never an overwrite.
    version = VersionField()


class CellTextForm(GDSForm, VersionedForm):
    submit_label = "Save cell"
    label_size = Size.MEDIUM

    text = forms.CharField(
        required=False,
        max_length=20000,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=TEXT_HINT,
    )

    def __init__(self, *args, label="Text", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = label

    def clean_text(self):
        return normalise(self.cleaned_data["text"])


class RowVisibilityForm(GDSForm, VersionedForm):
    """Hide a row or show it again. Which of the two travels with the form, so a page opened before
    someone else switched the row still does what its button said (or meets the conflict page)."""

    switch = ""

    intent = forms.ChoiceField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["intent"].choices = [(self.switch, self.switch)]
        self.fields["intent"].initial = self.switch


class HideRowForm(RowVisibilityForm):
    submit_label = "Hide row"
    switch = "hide"

    reason = forms.CharField(
        label="Why is this row hidden from the annex?",
        help_text="Reviewers see the reason beside the row. The board does not.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter why the row is hidden from the annex"},
    )


class ShowRowForm(RowVisibilityForm):
    submit_label = "Show row in the annex"
    switch = "show"


ROW_VISIBILITY_FORMS = {form.switch: form for form in (HideRowForm, ShowRowForm)}


class AnnexDetailsForm(GDSForm, VersionedForm):
    submit_label = "Save details"

    label = forms.CharField(label="Label", max_length=50, help_text="For example, Annex 1.")
    title = forms.CharField(label="Title", max_length=300)
    introduction = forms.CharField(
        label="Introduction (optional)",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=TEXT_HINT,
    )
    # Unticked, an HTML form sends nothing: BooleanField reads that as False, which is what the admin chose.
    include_performance_summary = forms.BooleanField(
        label="Include the performance summary appendix",
        required=False,
        help_text="Spend against allocation, the evidence-quality map and RAG by Plan priority, after the "
        "partnerships' tables. A published version keeps the figures it was published with.",
    )

    def clean_introduction(self):
        return normalise(self.cleaned_data["introduction"])


class PublishForm(GDSForm, forms.Form):
    submit_label = "Publish this version"

    meeting_date = date_field("Date of the board meeting", help_text="For example, 12 7 2016")
