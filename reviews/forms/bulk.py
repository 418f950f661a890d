"""Forms of the grid's bulk actions. They only validate: reviews.services.bulk does the work.

Step 1 picks (GOV.UK checkboxes or radios); step 2, the confirmation, posts back what it listed as
"id:status" tokens in hidden fields, read here into {id: status} for the service to check again.
"""

import re

from django import forms

from boroughs.forms import GDSForm

from ..models import REASON_MAX
from .review import text_field

TOKEN = re.compile(r"(\d{1,18}):([a-z_]{1,30})")
UNREADABLE = "The selection could not be read. Choose again."


class AcceptSelectForm(GDSForm, forms.Form):
    submit_label = "Continue"

    returns = forms.TypedMultipleChoiceField(
        label="Returns to accept",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text="Submitted and resubmitted returns with no open flags.",
        error_messages={
            "required": "Select at least one return to accept",
            "invalid_choice": "Select returns from the list",
        },
    )
    reason = text_field("Note for the record", REASON_MAX, required=False, help_text="Optional. Kept on each return. ")

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["returns"].choices = [(c.obj.pk, c.label) for c in candidates if c.eligible]


class RemindSelectForm(GDSForm, forms.Form):
    submit_label = "Continue"

    period = forms.TypedChoiceField(
        label="Which quarter’s overdue partnerships should be reminded?",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a quarter", "invalid_choice": "Select a quarter from the list"},
    )

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [
            (period.pk, f"{period.short_label}: {len(rows)} partnership{'s' if len(rows) != 1 else ''} overdue")
            for period, rows in periods
        ]


class ResolveSelectForm(GDSForm, forms.Form):
    submit_label = "Continue"

    flags = forms.TypedMultipleChoiceField(
        label="Flags to resolve",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select at least one flag to resolve",
            "invalid_choice": "Select flags from the list",
        },
    )
    resolution = text_field(
        "How the flags were resolved", REASON_MAX, help_text="One note, recorded on every flag you select. "
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["flags"].choices = [(c.obj.pk, c.label) for c in candidates if c.eligible]


class ConfirmForm(GDSForm, forms.Form):
    """The confirmation's hidden fields. The template writes them; `seen` is {id: status} once valid."""

    confirm = forms.CharField(widget=forms.HiddenInput, max_length=10)
    item = forms.Field(widget=forms.MultipleHiddenInput, required=False)

    def clean_item(self):
        tokens = self.cleaned_data.get("item") or []
        if not isinstance(tokens, list) or not tokens or len(tokens) > 10_000:
            raise forms.ValidationError(UNREADABLE)
        seen = {}
        for token in tokens:
            match = TOKEN.fullmatch(str(token))
            if not match:
                raise forms.ValidationError(UNREADABLE)
            seen[int(match[1])] = match[2]
        return seen

    @property
    def seen(self):
        return self.cleaned_data["item"]


class AcceptConfirmForm(ConfirmForm):
    reason = forms.CharField(widget=forms.HiddenInput, max_length=REASON_MAX, required=False)


class RemindConfirmForm(ConfirmForm):
    period = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**62)


class ResolveConfirmForm(ConfirmForm):
    resolution = forms.CharField(widget=forms.HiddenInput, max_length=REASON_MAX)
