"""A borough's projects, their indicators and match funding."""

from django import forms

from ..models import NARRATIVE_MAX, SHORT_TEXT_MAX, Indicator, MatchFunding, Project
from .fields import YES_NO, ItemVersionMixin, ReturnFormMixin, TextField, date_field, money_field, number_field


class ProjectForm(ReturnFormMixin, ItemVersionMixin, forms.ModelForm):
    submit_label = "Save project"
    later_label = None
    name = TextField(label="Project name", max_length=SHORT_TEXT_MAX, rows=0)
    delivery_partner = TextField(label="Delivery partner", max_length=SHORT_TEXT_MAX, rows=0, required=False)
    description = TextField(label="Short description", max_length=NARRATIVE_MAX, rows=4, required=False)
    csf_allocation = money_field(
        "Community Safety Fund allocation for the year (£)", noun="the allocation", required=True
    )
    start_date = date_field("Start date", required=False)
    end_date = date_field("End date", required=False)

    class Meta:
        model = Project
        fields = [
            "name", "delivery_partner", "description", "priorities", "csf_allocation", "start_date", "end_date",
            "status",
        ]  # fmt: skip
        widgets = {"priorities": forms.CheckboxSelectMultiple, "status": forms.RadioSelect}
        labels = {"priorities": "Police and Crime Plan priorities it serves"}

    def __init__(self, *args, borough, priorities, **kwargs):
        super().__init__(*args, **kwargs)
        self.borough = borough
        self.instance.borough = borough
        self.fields["priorities"].queryset = priorities
        self.fields["priorities"].help_text = "Select all that apply."
        self.fields["status"].choices = Project.Status.choices
        self.build_layout()

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The end date must be the same as or after the start date")
        name = data.get("name")
        if (
            name
            and Project.objects.filter(borough=self.borough, name__iexact=name).exclude(pk=self.instance.pk).exists()
        ):
            self.add_error("name", f"{self.borough.name} already has a project called {name}")
        return data


class IndicatorForm(ReturnFormMixin, ItemVersionMixin, forms.ModelForm):
    submit_label = "Save indicator"
    later_label = None
    name = TextField(label="Indicator", max_length=SHORT_TEXT_MAX, rows=0, help_text="For example, referrals engaged.")
    baseline = number_field("Baseline (optional)")
    minimum_target = number_field("Minimum target for the year", required=True)
    aspirational_target = number_field("Aspirational target for the year", required=True)
    higher_is_better = forms.TypedChoiceField(
        label="Is a higher number better?",
        choices=YES_NO,
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether a higher number is better"},
    )

    class Meta:
        model = Indicator
        fields = ["name", "unit", "baseline", "minimum_target", "aspirational_target", "higher_is_better"]
        widgets = {"unit": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        if kwargs.get("instance") and kwargs["instance"].pk:
            kwargs.setdefault("initial", {})["higher_is_better"] = (
                "yes" if kwargs["instance"].higher_is_better else "no"
            )
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = Indicator.Unit.choices

    def clean(self):
        data = super().clean()
        if data.get("unit") == Indicator.Unit.PERCENT:
            for name in ("baseline", "minimum_target", "aspirational_target"):
                if data.get(name) is not None and data[name] > 100:
                    self.add_error(name, f"{self.fields[name].label} must be 100% or less")
        minimum, aspiration = data.get("minimum_target"), data.get("aspirational_target")
        if minimum is not None and aspiration is not None and "higher_is_better" in data:
            if data["higher_is_better"] and aspiration < minimum:
                self.add_error("aspirational_target", "The aspirational target must be at least the minimum target")
            if not data["higher_is_better"] and aspiration > minimum:
                self.add_error(
                    "aspirational_target",
                    "When lower is better, the aspirational target must be at most the minimum target",
                )
        return data


class MatchFundingForm(ReturnFormMixin, ItemVersionMixin, forms.ModelForm):
    later_label = None
    source = TextField(
        label="Source", max_length=SHORT_TEXT_MAX, rows=0, help_text="For example, Birmingham City Council."
    )
    amount = money_field("Amount (£)", noun="the amount", required=True)

    class Meta:
        model = MatchFunding
        fields = ["source", "amount"]

    @property
    def submit_label(self):
        return "Save match funding" if self.instance.pk else "Add match funding"
