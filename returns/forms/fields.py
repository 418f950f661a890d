"""The pieces every returns form shares: text, number, date and version fields that explain their limits,
the confirm-a-warning pattern, and the section layout. Reviews' forms use the date and version fields too."""

import re
from decimal import Decimal, InvalidOperation

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Div, Field, Layout, Size
from django import forms
from django.utils.html import format_html

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


# --- Numbers as people type them -------------------------------------------------------------------------


class TextInput(forms.TextInput):
    """A text input with an optional GOV.UK prefix ("£") shown before it.

    Named TextInput on purpose: crispy-forms-gds picks the `govuk-input` class, and the red error border,
    by the widget's class name. The prefix is hidden from screen readers (as the Design System does), so
    the label must still say the unit: "Spend this quarter (£)".
    """

    def __init__(self, attrs=None, *, prefix=""):
        super().__init__(attrs)
        self.prefix = prefix

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        if not self.prefix:
            return html
        return format_html(
            '<div class="govuk-input__wrapper"><div class="govuk-input__prefix" aria-hidden="true">{}</div>{}</div>',
            self.prefix,
            html,
        )


# Digits with or without thousands separators ("18,750" or "18750", never "1,87,50"), a point and decimals.
_NUMBER = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|-?\.\d+")
# Longer than any number the database holds, with room for "£ " and separators: refused before parsing.
_LONGEST = 40


class NumberField(forms.DecimalField):
    """A number entered as text (the GOV.UK way) and read the way people type it.

    Surrounding spaces and thousands separators are allowed, and each kind allows its own symbol
    ("£1,000", "62.5%"). The value is a Decimal, never a float. A form opened again shows the value with
    thousands separators; input that is wrong is shown back exactly as typed, beside a message saying
    what is accepted. Subclasses set the kind: `symbol_before`/`symbol_after`, `places`, `example`.
    """

    symbol_before = ""
    symbol_after = ""
    places = 2
    example = "as a number, like 1,200 or 12.5"

    def __init__(
        self, *, label, noun=None, required=False, allow_negative=False, max_value=None, error_messages=None, **kwargs
    ):
        noun = noun or label[0].lower() + label[1:]
        limit = Decimal(10) ** 10
        messages = {
            "invalid": f"Enter {noun} {self.example}",
            "required": f"Enter {noun}",
            "min_value": f"{label} cannot be negative",
            "max_value": f"{label} must be %(limit_value)s or less",
            "max_digits": f"{label} must be less than {limit:,}",
            "max_whole_digits": f"{label} must be less than {limit:,}",
            "max_decimal_places": f"{label} can have at most {self.places} decimal places"
            if self.places
            else f"Enter {noun} {self.example}",
        }
        super().__init__(
            label=label,
            required=required,
            max_digits=10 + self.places,
            decimal_places=self.places,
            min_value=None if allow_negative else 0,
            max_value=max_value,
            widget=TextInput(
                attrs={
                    "inputmode": "decimal" if self.places or allow_negative else "numeric",
                    "spellcheck": "false",
                    "autocomplete": "off",
                    "class": "govuk-input--width-10",
                },
                prefix=self.symbol_before,
            ),
            error_messages={**messages, **(error_messages or {})},
            **kwargs,
        )

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
            return Decimal(value)
        text = str(value).replace("\u00a0", " ").strip()
        if self.symbol_before and text.startswith(self.symbol_before):
            text = text.removeprefix(self.symbol_before).lstrip()
        if self.symbol_after and text.endswith(self.symbol_after):
            text = text.removesuffix(self.symbol_after).rstrip()
        if len(text) > _LONGEST or not _NUMBER.fullmatch(text):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            number = Decimal(text.replace(",", ""))
        except InvalidOperation:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        # "12.0" is a whole number and "5.500" is £5.50: drop zeros that add nothing. (Past Decimal's
        # precision there is nothing to drop; the digit limit then explains what is wrong.)
        try:
            exact = number.quantize(Decimal(1).scaleb(-self.places))
        except InvalidOperation:
            return number
        return exact if exact == number else number

    def prepare_value(self, value):
        """What the input shows: a saved or valid value formatted, anything else exactly as typed."""
        if isinstance(value, str):
            try:
                value = self.clean(value)
            except forms.ValidationError:
                return value
        if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
            return self.display(Decimal(value))
        return value

    def display(self, value):
        if value == value.to_integral_value():
            return f"{value:,.0f}"
        return f"{value.normalize():,f}"


class MoneyField(NumberField):
    """Pounds and pence, shown with a "£" prefix: "£1,000", "1,200.50" and "£ 40,000.00" are all fine."""

    symbol_before = "£"
    example = "in pounds, like 1,250.50"

    def display(self, value):
        return f"{value:,.2f}"


class WholeNumberField(NumberField):
    """A count: "1,200" or " 12 ". `as_int` gives an int (for an integer column), otherwise a Decimal."""

    places = 0
    example = "as a whole number, like 1,200"

    def __init__(self, *, as_int=False, **kwargs):
        self.as_int = as_int
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        return int(value) if self.as_int and value is not None else value


class PercentField(NumberField):
    symbol_after = "%"
    example = "as a percentage, like 62.5"

    def __init__(self, *, label, **kwargs):
        kwargs.setdefault("error_messages", {}).setdefault("max_value", f"{label} must be 100%% or less")
        super().__init__(label=label, max_value=100, **kwargs)


class HoursField(NumberField):
    example = "as a number of hours, like 1,200 or 7.5"


FIELD_FOR_UNIT = {
    Indicator.Unit.COUNT: WholeNumberField,
    Indicator.Unit.PERCENT: PercentField,
    Indicator.Unit.POUNDS: MoneyField,
    Indicator.Unit.HOURS: HoursField,
}


def money_field(label, *, noun, required=False, **kwargs):
    """An amount of money: `noun` completes "Enter … in pounds, like 1,250.50" ("the spend")."""
    return MoneyField(label=label, noun=noun, required=required, **kwargs)


def count_field(label, *, noun, required=True, **kwargs):
    """A number of things (people reached): whole, stored as an int."""
    return WholeNumberField(label=label, noun=noun, required=required, as_int=True, **kwargs)


def number_field(label, *, unit=None, noun=None, required=False, **kwargs):
    """A number in an indicator's unit (money, count, percentage, hours), or any number when `unit` is None
    (a target, whose unit is chosen on the same form)."""
    return FIELD_FOR_UNIT.get(unit, NumberField)(label=label, noun=noun, required=required, **kwargs)


# --- Dates and versions ----------------------------------------------------------------------------------


class RealDateField(DateInputField):
    """The GOV.UK date input. An impossible date (31 2 2026) is explained in words, not in Python's, and a
    year outside 1900–2100 is refused before Python sees it (a year of thirty 9s would overflow)."""

    YEARS = (1900, 2100)

    def compress(self, data_list):
        day, month, year = data_list
        if not (day and month and year):
            return None
        first, last = self.YEARS
        # The sub-fields only let digits through; a long run of them is no year, and no int() of it is tried.
        digits = year.lstrip("0")
        if len(digits) > 4 or not first <= int(digits or 0) <= last:
            message = self.error_messages["year_range"]
            # On the year box, so the error summary links to it and only it gets the red border.
            self.fields[2].widget.errors = [*getattr(self.fields[2].widget, "errors", []), message]
            raise forms.ValidationError(message, code="year_range")
        try:
            return super().compress(data_list)
        except (forms.ValidationError, OverflowError):
            raise forms.ValidationError(self.error_messages["not_a_date"], code="not_a_date") from None


def date_field(label, *, required=True, **kwargs):
    field = RealDateField(label=label, required=required, require_all_fields=False, **kwargs)
    first, last = RealDateField.YEARS
    field.error_messages["required"] = f"Enter the {label.lower()}"
    field.error_messages["not_a_date"] = f"{label} must be a real date"
    field.error_messages["year_range"] = f"Year must be between {first} and {last}"
    return field


MAX_VERSION = 2**31 - 1
# No saved row has version 0 (boroughs.locking.Versioned starts at 1), so saving against it is a conflict.
STALE_VERSION = 0


class VersionField(forms.IntegerField):
    """The version an edit started from (boroughs.locking), carried in a hidden input.

    Only the page writes it, so a value that cannot be one we issued (text, negative, beyond 2^31 – a
    tampered post) is no mistake the user could correct on a hidden input: it counts as out of date,
    and the save meets the ordinary conflict page with everything typed kept. Never an integer overflow
    in the database, never an error message nobody can see.
    """

    widget = forms.HiddenInput

    def __init__(self, *, required=True, min_value=1, **kwargs):
        super().__init__(required=required, min_value=min_value, max_value=MAX_VERSION, **kwargs)

    def clean(self, value):
        try:
            return super().clean(value)
        except forms.ValidationError:
            return STALE_VERSION


# --- Warnings the user confirms ---------------------------------------------------------------------------


class ConfirmField(forms.BooleanField):
    """A tick box that confirms a warning. It appears (right after `field`) only once the warning has."""

    def __init__(self, *, label, field):
        self.confirms = field
        super().__init__(label=label, required=False)


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
        self.warned = set()
        super().__init__(*args, **kwargs)
        self.build_layout()

    def warn(self, confirm, message):
        """A warning, not a rule: unless the box `confirm` is ticked, `message` stops the save, shown beside
        the field it is about, and the box appears so that saving again with it ticked goes through."""
        self.warned.add(confirm)
        if not self.cleaned_data.get(confirm):
            self.add_error(self.fields[confirm].confirms, message)
        self.build_layout()

    def _shows(self, name, field):
        if not isinstance(field, ConfirmField):
            return True
        # Once ticked it stays on the page (another answer may still need correcting).
        ticked = self.is_bound and field.widget.value_from_datadict(self.data, {}, self.add_prefix(name))
        return name in self.warned or ticked

    def build_layout(self):
        self.helper = FormHelper(self)
        self.helper.label_size = self.label_size
        self.helper.legend_size = self.label_size
        items = []
        for name, field in self.fields.items():
            if not self._shows(name, field):
                continue
            if isinstance(field, TextField) and field.rows:
                if field.help_text == f"You can enter up to {field.max_length:,} characters.":
                    # The character count's own message states the limit: the hint would say it twice without
                    # JavaScript. crispy-forms-gds needs the attribute to exist to add that message's id to it.
                    field.help_text = ""
                    field.widget.attrs.setdefault("aria-describedby", "")
                items.append(Field.textarea(name, rows=field.rows, max_characters=field.max_length))
            elif name == "completed":
                items.append(Field.radios(name, legend_size=Size.MEDIUM))
            elif isinstance(field, ConfirmField):
                items.append(Field.checkbox(name, small=True))
            else:
                items.append(Field(name))
        # Prefixed so two forms on one page never share a button id.
        buttons = [Button(self.add_prefix("save"), self.submit_label)]
        if self.later_label:
            buttons.append(Button.secondary(self.add_prefix("later"), self.later_label))
        self.helper.layout = Layout(*items, Div(*buttons, css_class="govuk-button-group"))


class CompletionMixin(forms.Form):
    """A section's version and its "Have you completed this section?" question."""

    version = VersionField()
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

    version = VersionField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
