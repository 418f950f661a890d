"""The return's sections: alignment, one page per project, "Have you completed this section?", and submit."""

from django import forms

from boroughs.forms import GDSForm

from ..models import NARRATIVE_MAX, PlanPriority, Rag
from .fields import CompletionMixin, ReturnFormMixin, TextField, number_field


class SectionCompleteForm(ReturnFormMixin, CompletionMixin):
    pass


class AlignmentForm(ReturnFormMixin, CompletionMixin):
    statement = TextField(
        label="How the partnership’s work aligns to the Police and Crime Plan",
        max_length=NARRATIVE_MAX,
        required=False,
        rows=8,
    )
    priorities = forms.ModelMultipleChoiceField(
        label="Which Plan priorities does this quarter’s work address?",
        queryset=PlanPriority.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Select all that apply.",
    )
    field_order = ["statement", "priorities", "completed", "version"]

    def __init__(self, *args, priorities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priorities"].queryset = priorities
        if not priorities.exists():
            del self.fields["priorities"]
            self.build_layout()

    def clean(self):
        data = super().clean()
        if data.get("completed"):
            if not data.get("statement"):
                self.add_error("statement", "Enter how the partnership’s work aligns to the Police and Crime Plan")
            if "priorities" in self.fields and not data.get("priorities"):
                self.add_error("priorities", "Select at least one Plan priority")
        return data


class ProjectUpdateForm(ReturnFormMixin, CompletionMixin):
    activity = TextField(label="Activity this quarter", max_length=NARRATIVE_MAX, required=False)
    outcomes = TextField(label="Outcomes achieved", max_length=NARRATIVE_MAX, required=False)
    spend = number_field("Spend this quarter (£)")
    rag_override = forms.ChoiceField(
        label="Your RAG rating",
        choices=[("", "Use the calculated rating"), *Rag.choices],
        widget=forms.RadioSelect,
        required=False,
    )
    rag_reason = TextField(label="Reason for your rating", max_length=1000, required=False, rows=3)

    def __init__(self, *args, task, **kwargs):
        super().__init__(*args, **kwargs)
        self.task = task
        for row in task.indicators:
            indicator = row.indicator
            hints = [
                f"Last quarter: {row.shown(row.last_quarter) or 'not reported'}.",
                f"Year to date before this quarter: {row.shown(row.ytd_before) or 'nothing reported'}.",
                f"Targets: minimum {indicator.format_value(indicator.minimum_target)}, "
                f"aspirational {indicator.format_value(indicator.aspirational_target)}"
                f"{'' if indicator.higher_is_better else ' (lower is better)'}.",
            ]
            self.fields[self.indicator_field(indicator)] = number_field(
                f"{indicator.name} ({indicator.get_unit_display().lower()})",
                unit=indicator.unit,
                help_text=" ".join(hints),
            )
        computed = task.computed_rag
        self.fields["rag_override"].help_text = (
            f"Calculated from the indicators: {Rag(computed).label}." if computed else "Not yet calculated."
        )
        self.order_fields(
            [
                "activity",
                "outcomes",
                *[self.indicator_field(r.indicator) for r in task.indicators],
                "spend",
                "rag_override",
                "rag_reason",
                "completed",
                "version",
            ]
        )
        self.build_layout()

    @staticmethod
    def indicator_field(indicator):
        return f"indicator_{indicator.pk}"

    def actuals(self):
        return {
            row.indicator: self.cleaned_data.get(self.indicator_field(row.indicator)) for row in self.task.indicators
        }

    def clean(self):
        data = super().clean()
        if data.get("rag_override") and not data.get("rag_reason"):
            self.add_error("rag_reason", "Enter why you rated the project differently from the calculated rating")
        if data.get("completed"):
            for name, message in [
                ("activity", "Enter the activity this quarter"),
                ("outcomes", "Enter the outcomes achieved"),
                ("spend", "Enter the spend this quarter, or 0 if nothing was spent"),
            ]:
                if data.get(name) in (None, "") and name not in self.errors:
                    self.add_error(name, message)
            for row in self.task.indicators:
                name = self.indicator_field(row.indicator)
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, f"Enter the actual for {row.indicator.name}")
        return data


class SubmitForm(GDSForm, forms.Form):
    submit_label = "Submit return"
    declaration = forms.BooleanField(
        label="I confirm this return is accurate and complete to the best of my knowledge",
        error_messages={"required": "Confirm that this return is accurate before you submit it"},
    )
