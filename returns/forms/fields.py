"""The pieces every returns form shares: text and number fields that explain their limits, the section layout."""

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Div, Field, Layout, Size
from django import forms

from boroughs.forms import GDSForm

from ..models import Indicator

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


class RealDateField(DateInputField):
    """The GOV.UK date input. An impossible date (31 2 2026) is explained in words, not in Python's."""

    def compress(self, data_list):
        try:
            return super().compress(data_list)
        except forms.ValidationError:
            raise forms.ValidationError(self.error_messages["not_a_date"], code="not_a_date") from None


def date_field(label, *, required=True, **kwargs):
    field = RealDateField(label=label, required=required, require_all_fields=False, **kwargs)
    field.error_messages["required"] = f"Enter the {label.lower()}"
    field.error_messages["not_a_date"] = f"{label} must be a real date"
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
    """A section's version and its "Have you completed this section?" question."""

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


class ItemVersionMixin(forms.Form):
    """The version a log entry's edit started from (boroughs.locking); a new entry has none yet."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
