"""Forms for returns and projects. They only validate: services do the saving."""

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Div, Field, Layout, Size
from django import forms

from boroughs.forms import GDSForm
from boroughs.models import Borough

from .filetypes import sniff
from .models import (
    NARRATIVE_MAX,
    SHORT_TEXT_MAX,
    CommunityEngagement,
    Evidence,
    Indicator,
    MatchFunding,
    OpccEngagement,
    PlanPriority,
    Project,
    Rag,
    ReportingPeriod,
    Risk,
)

YES_NO = [("yes", "Yes"), ("no", "No")]
COMPLETED_CHOICES = [("yes", "Yes, I’ve completed this section"), ("no", "No, I’ll come back to it later")]


class TextField(forms.CharField):
    """A text field that states its limit and reports an over-long paste instead of cutting it short."""

    def __init__(self, *, max_length, label, rows=5, **kwargs):
        self.rows = rows
        kwargs.setdefault("help_text", f"You can enter up to {max_length:,} characters.")
        super().__init__(
            max_length=max_length,
            label=label,
            widget=forms.Textarea if rows else forms.TextInput,
            error_messages={
                "max_length": f"{label} must be {max_length:,} characters or fewer. "
                "You entered %(show_value)s characters.",
                "required": f"Enter {label.lower()}",
                **kwargs.pop("error_messages", {}),
            },
            **kwargs,
        )

    def widget_attrs(self, widget):
        # A maxlength attribute would make the browser silently cut a long paste: the server says so instead.
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


def number_field(label, *, unit=Indicator.Unit.COUNT, required=False, allow_negative=False, **kwargs):
    """A decimal entered as text (the GOV.UK way), with messages that say what is wrong."""
    lower = label[0].lower() + label[1:]
    field = forms.DecimalField(
        label=label,
        required=required,
        max_digits=12,
        decimal_places=2,
        min_value=None if allow_negative else 0,
        max_value=100 if unit == Indicator.Unit.PERCENT else None,
        widget=forms.TextInput(
            attrs={"inputmode": "decimal", "spellcheck": "false", "class": "govuk-input--width-10"}
        ),
        error_messages={
            "invalid": f"Enter {lower} as a number, like 12 or 12.5",
            "required": f"Enter {lower}",
            "min_value": f"{label} cannot be negative",
            "max_value": f"{label} must be 100%% or less",
            "max_digits": f"{label} must be less than 10,000,000,000",
            "max_whole_digits": f"{label} must be less than 10,000,000,000",
            "max_decimal_places": f"{label} can have at most 2 decimal places",
        },
        **kwargs,
    )
    field.widget.attrs.pop("step", None)
    return field


def date_field(label, *, required=True, **kwargs):
    field = DateInputField(label=label, required=required, require_all_fields=False, **kwargs)
    field.error_messages["required"] = f"Enter the {label.lower()}"
    return field


class ReturnFormMixin(GDSForm):
    """Lays out text areas with a character count, and gives sections their two buttons.

    `finishing` is False when the user pressed "Save and come back later": then the completion
    question need not be answered.
    """

    submit_label = "Save and continue"
    later_label = "Save and come back later"
    label_size = Size.SMALL

    def __init__(self, *args, finishing=True, **kwargs):
        self.finishing = finishing
        super().__init__(*args, **kwargs)
        self.build_layout()

    def build_layout(self):
        self.helper = FormHelper(self)
        self.helper.label_size = self.label_size
        self.helper.legend_size = self.label_size
        items = []
        for name, field in self.fields.items():
            if isinstance(field, TextField) and field.rows:
                items.append(Field.textarea(name, rows=field.rows, max_characters=field.max_length))
            elif name == "completed":
                items.append(Field.radios(name, legend_size=Size.MEDIUM))
            else:
                items.append(Field(name))
        # Prefixed so two forms on one page never share a button id.
        buttons = [Button(self.add_prefix("save"), self.submit_label)]
        if self.later_label:
            buttons.append(Button.secondary(self.add_prefix("later"), self.later_label))
        self.helper.layout = Layout(*items, Div(*buttons, css_class="govuk-button-group"))


class CompletionMixin(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    completed = forms.ChoiceField(
        label="Have you completed this section?",
        choices=COMPLETED_CHOICES,
        widget=forms.RadioSelect,
        required=False,
    )

    def clean_completed(self):
        value = self.cleaned_data.get("completed")
        if self.finishing and not value:
            raise forms.ValidationError("Select whether you have completed this section")
        return value == "yes"


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


class RiskForm(ReturnFormMixin, forms.ModelForm):
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
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Risk
        fields = ["description", "project", "likelihood", "impact", "mitigation", "owner", "status"]
        widgets = {"status": forms.RadioSelect}

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        self.fields["project"].empty_label = "The whole partnership"
        self.fields["project"].label = "Project (optional)"
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        self.build_layout()


class CommunityEngagementForm(ReturnFormMixin, forms.ModelForm):
    submit_label = "Save activity"
    later_label = None
    date = date_field("Date of the activity", help_text="For example, 27 3 2026")
    title = TextField(label="Title", max_length=SHORT_TEXT_MAX, rows=0)
    description = TextField(label="Description", max_length=NARRATIVE_MAX, rows=4)
    people_reached = forms.IntegerField(
        label="Number of people reached",
        min_value=0,
        max_value=10_000_000,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-10"}),
        error_messages={
            "invalid": "Enter the number of people reached as a whole number, like 120",
            "required": "Enter the number of people reached",
            "min_value": "The number of people reached cannot be negative",
            "max_value": "The number of people reached must be 10,000,000 or fewer",
        },
    )
    partners = TextField(label="Partners involved (optional)", max_length=500, rows=0, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = CommunityEngagement
        fields = ["date", "title", "description", "people_reached", "partners"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version


class OpccEngagementForm(ReturnFormMixin, forms.ModelForm):
    submit_label = "Save event"
    later_label = None
    date = date_field("Date of the event", help_text="For example, 27 3 2026")
    what = TextField(label="What happened", max_length=1000, rows=3)
    logo_used = forms.TypedChoiceField(
        label="Was the PCC logo used?",
        choices=YES_NO,
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the PCC logo was used"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

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
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version


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


class SubmitForm(GDSForm, forms.Form):
    submit_label = "Submit return"
    declaration = forms.BooleanField(
        label="I confirm this return is accurate and complete to the best of my knowledge",
        error_messages={"required": "Confirm that this return is accurate before you submit it"},
    )


class ProjectForm(ReturnFormMixin, forms.ModelForm):
    submit_label = "Save project"
    later_label = None
    name = TextField(label="Project name", max_length=SHORT_TEXT_MAX, rows=0)
    delivery_partner = TextField(label="Delivery partner", max_length=SHORT_TEXT_MAX, rows=0, required=False)
    description = TextField(label="Short description", max_length=NARRATIVE_MAX, rows=4, required=False)
    csf_allocation = number_field("Community Safety Fund allocation for the year (£)", required=True)
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

    def validate_unique(self):
        # clean() above reports the duplicate name in words the officer understands.
        pass


class IndicatorForm(ReturnFormMixin, forms.ModelForm):
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


class MatchFundingForm(ReturnFormMixin, forms.ModelForm):
    submit_label = "Add match funding"
    later_label = None
    source = TextField(
        label="Source", max_length=SHORT_TEXT_MAX, rows=0, help_text="For example, Birmingham City Council."
    )
    amount = number_field("Amount (£)", required=True)

    class Meta:
        model = MatchFunding
        fields = ["source", "amount"]


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
