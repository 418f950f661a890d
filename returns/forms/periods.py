"""An OPCC admin's forms for a period: its dates, a borough's extension, and the reason for closing or reopening."""

from django import forms

from boroughs.models import Borough

from ..models import ReportingPeriod
from .fields import ReturnFormMixin, TextField, date_field


class PeriodForm(ReturnFormMixin, forms.ModelForm):
    submit_label = "Save dates"
    later_label = None
    opens_on = date_field("Opening date", help_text="Officers can start the return from this day.")
    due_on = date_field("Due date", help_text="Returns are overdue after this day.")

    class Meta:
        model = ReportingPeriod
        fields = ["opens_on", "due_on"]

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("due_on") and data["due_on"] < data["opens_on"]:
            self.add_error("due_on", "The due date must be on or after the opening date")
        return data


class ExtensionForm(ReturnFormMixin, forms.Form):
    submit_label = "Grant extension"
    later_label = None
    borough = forms.ModelChoiceField(
        label="Borough", queryset=Borough.objects.active(), error_messages={"required": "Select a borough"}
    )
    due_on = date_field("New due date")
    reason = TextField(label="Reason", max_length=1000, rows=3)

    def __init__(self, *args, period, **kwargs):
        super().__init__(*args, **kwargs)
        self.period = period

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if due_on and due_on <= self.period.due_on:
            raise forms.ValidationError(f"The new due date must be after {self.period.due_on:%-d %B %Y}")
        return due_on


class PeriodReasonForm(ReturnFormMixin, forms.Form):
    """Why an admin closes or reopens a period: shown on the timeline and in the officers' email."""

    later_label = None
    reason = TextField(label="Reason", max_length=1000, rows=3)

    def __init__(self, *args, submit_label, **kwargs):
        self.submit_label = submit_label
        super().__init__(*args, **kwargs)
