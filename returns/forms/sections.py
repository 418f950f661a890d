"""The return's sections: alignment, one page per project, "Have you completed this section?", and submit."""

from django import forms

from boroughs.forms import GDSForm

from ..forecast import LAST_QUARTER
from ..models import NARRATIVE_MAX, PlanPriority, Rag
from ..spend import ZERO, project_spend
from .fields import CompletionMixin, ConfirmField, ReturnFormMixin, TextField, money_field, number_field


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
    spend = money_field("Spend this quarter (£)", noun="the spend")
    confirm_spend = ConfirmField(label="I confirm the spend is right", field="spend")
    expected_spend = money_field(
        "Expected spend for the rest of the year (£)",
        noun="the expected spend",
        help_text="What the project will spend from next quarter to the end of March. With the spend to date it "
        "gives the forecast outturn for the year.",
    )
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
        self.spend_line = project_spend(task)
        line = self.spend_line
        self.fields["spend"].help_text = (
            f"Spent in earlier quarters this year: £{line.before:,.2f} "
            f"of the £{line.allocation:,.2f} allocation for the year."
        )
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
        # Q4 has nothing left to spend: the forecast takes 0 (returns/forecast.py), so the form does not ask.
        self.asks_expected_spend = task.update.return_of.period.quarter != LAST_QUARTER
        if not self.asks_expected_spend:
            del self.fields["expected_spend"]
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
                "confirm_spend",
                "expected_spend",
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
                ("expected_spend", "Enter the expected spend for the rest of the year, or 0 if none"),
            ]:
                if name not in self.fields:
                    continue
                if data.get(name) in (None, "") and name not in self.errors:
                    self.add_error(name, message)
            for row in self.task.indicators:
                name = self.indicator_field(row.indicator)
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, f"Enter the actual for {row.indicator.name}")
        self.check_spend(data.get("spend"))
        return data

    def expected_spend_to_save(self):
        """What to save: as entered, or 0 in Q4 (not asked)."""
        if not self.asks_expected_spend:
            return ZERO
        return self.cleaned_data.get("expected_spend")

    def check_spend(self, spend):
        """Spend beyond the year's allocation is allowed once the officer confirms it is right.

        A spend saved before (and so already confirmed) is not questioned again on every later save.
        """
        if spend is None or spend == self.task.update.spend:
            return
        line = self.spend_line.with_this_quarter(spend)
        if line.over:
            self.warn(
                "confirm_spend",
                f"Spend to date this year would be £{line.to_date:,.2f}, which is £{line.over_by:,.2f} more than "
                f"the £{line.allocation:,.2f} allocation. Check the spend, or confirm it is right",
            )


class SubmitForm(GDSForm, forms.Form):
    submit_label = "Submit return"
    declaration = forms.BooleanField(
        label="I confirm this return is accurate and complete to the best of my knowledge",
        error_messages={"required": "Confirm that this return is accurate before you submit it"},
    )
