"""One entry of the risk register or an engagement log."""

from django import forms

from boroughs.forms import GDSForm

from ..models import NARRATIVE_MAX, SHORT_TEXT_MAX, CommunityEngagement, OpccEngagement, Risk
from .fields import (
    YES_NO,
    ConfirmField,
    ItemVersionMixin,
    ReturnFormMixin,
    TextField,
    VersionField,
    count_field,
    date_field,
)


class RiskForm(ReturnFormMixin, ItemVersionMixin, forms.ModelForm):
    submit_label = "Save risk"
    later_label = None
    LIKELIHOOD = [
        (1, "1 – rare"),
        (2, "2 – unlikely"),
        (3, "3 – possible"),
        (4, "4 – likely"),
        (5, "5 – almost certain"),
    ]
    IMPACT = [(1, "1 – negligible"), (2, "2 – minor"), (3, "3 – moderate"), (4, "4 – major"), (5, "5 – severe")]

    description = TextField(label="Risk", max_length=1000, rows=3)
    likelihood = forms.TypedChoiceField(
        label="Likelihood", choices=LIKELIHOOD, coerce=int, widget=forms.RadioSelect,
        error_messages={"required": "Select how likely the risk is"},
    )  # fmt: skip
    impact = forms.TypedChoiceField(
        label="Impact", choices=IMPACT, coerce=int, widget=forms.RadioSelect,
        error_messages={"required": "Select how big the impact would be"},
    )  # fmt: skip
    mitigation = TextField(label="Mitigation", max_length=NARRATIVE_MAX, rows=3)
    owner = TextField(label="Owner", max_length=SHORT_TEXT_MAX, rows=0, help_text="The person or body managing it.")

    class Meta:
        model = Risk
        fields = ["description", "project", "likelihood", "impact", "mitigation", "owner", "status"]
        widgets = {"status": forms.RadioSelect}

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        self.fields["project"].empty_label = "The whole partnership"
        self.fields["project"].label = "Project (optional)"
        self.build_layout()


class InQuarterMixin:
    """An engagement dated outside the return's quarter is more often a slip (last year, the wrong month)
    than news from another quarter: the officer confirms it. A date saved before is not questioned again."""

    field_order = ["date", "confirm_date"]

    def clean(self):
        data = super().clean()
        day, period = data.get("date"), self.instance.return_of.period
        if day and day != self.instance.date and not period.start_date <= day <= period.end_date:
            self.warn(
                "confirm_date",
                f"{day:%-d %B %Y} is not in this return’s quarter, {period.start_date:%-d %B %Y} to "
                f"{period.end_date:%-d %B %Y}. Check the date, or confirm it is right",
            )
        return data


class CommunityEngagementForm(InQuarterMixin, ReturnFormMixin, ItemVersionMixin, forms.ModelForm):
    submit_label = "Save activity"
    later_label = None
    date = date_field("Date of the activity", help_text="For example, 27 3 2026")
    confirm_date = ConfirmField(label="I confirm the date is right", field="date")
    title = TextField(label="Title", max_length=SHORT_TEXT_MAX, rows=0)
    description = TextField(label="Description", max_length=NARRATIVE_MAX, rows=4)
    people_reached = count_field(
        "Number of people reached",
        noun="the number of people reached",
        max_value=10_000_000,
        error_messages={
            "min_value": "The number of people reached cannot be negative",
            "max_value": "The number of people reached must be 10,000,000 or fewer",
        },
    )
    partners = TextField(label="Partners involved (optional)", max_length=500, rows=0, required=False)

    class Meta:
        model = CommunityEngagement
        fields = ["date", "title", "description", "people_reached", "partners"]


class OpccEngagementForm(InQuarterMixin, ReturnFormMixin, ItemVersionMixin, forms.ModelForm):
    submit_label = "Save event"
    later_label = None
    date = date_field("Date of the event", help_text="For example, 27 3 2026")
    confirm_date = ConfirmField(label="I confirm the date is right", field="date")
    what = TextField(label="What happened", max_length=1000, rows=3)
    logo_used = forms.TypedChoiceField(
        label="Was the PCC logo used?",
        choices=YES_NO,
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the PCC logo was used"},
    )

    class Meta:
        model = OpccEngagement
        fields = ["date", "what", "pcc_involvement", "logo_used"]
        widgets = {"pcc_involvement": forms.RadioSelect}
        labels = {"pcc_involvement": "Did the PCC or Deputy PCC attend?"}
        error_messages = {"pcc_involvement": {"required": "Select whether the PCC or Deputy PCC attended"}}

    def __init__(self, *args, **kwargs):
        if kwargs.get("instance") and kwargs["instance"].pk:
            kwargs.setdefault("initial", {})["logo_used"] = "yes" if kwargs["instance"].logo_used else "no"
        super().__init__(*args, **kwargs)
        self.fields["pcc_involvement"].choices = OpccEngagement.Pcc.choices


class RemoveItemForm(GDSForm, forms.Form):
    """The removal's confirmation names the version the user was shown: an entry changed since is shown again."""

    version = VersionField()
