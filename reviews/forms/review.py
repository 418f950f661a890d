"""Forms of the quarterly review. They only validate: reviews.services.review does the saving."""

from crispy_forms_gds.layout import HTML, Button, Div, Field, Layout
from django import forms
from django.utils.html import format_html

from boroughs.forms import GDSForm
from returns.forms.fields import VersionField
from returns.models import Rag

from ..models import REASON_MAX, REVIEW_TEXT_MAX, FlagType, Visibility

MARKDOWN_HINT = "Leave a blank line between paragraphs. Start a line with “- ” for a bulleted list. "

RAG_CHOICES = [("", "No rating"), *Rag.choices]

# The parts of a return a reason can point at; the officer sees the reason on each of them.
SECTION_CHOICES = [
    ("alignment", "Alignment to the Police and Crime Plan"),
    ("projects", "Projects"),
    ("risks", "Risks"),
    ("community", "Community engagement"),
    ("opcc", "Engagement with the OPCC and marketing"),
    ("evidence", "Evidence"),
]


def text_field(label, max_length, *, required=True, help_text=""):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=f"{help_text}You can enter up to {max_length:,} characters.",
        error_messages={
            "required": f"Enter {label[0].lower()}{label[1:]}",
            "max_length": f"{label} must be {max_length:,} characters or fewer",
        },
    )


def visibility_field():
    # No initial value: sharing text with the partnership (or hiding it) must be a deliberate choice.
    return forms.ChoiceField(
        label="Who can see this?",
        choices=Visibility.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who can see this"},
    )


class CommentaryForm(GDSForm, forms.Form):
    submit_label = "Save commentary"

    text = text_field("Commentary", REVIEW_TEXT_MAX, help_text=MARKDOWN_HINT)
    rag = forms.ChoiceField(label="Reviewer RAG rating", choices=RAG_CHOICES, required=False, widget=forms.RadioSelect)
    visibility = visibility_field()
    # 0 for a first version: a second reviewer creating one at the same time is then a conflict too.
    version = VersionField(min_value=0)

    @classmethod
    def in_card(cls, data=None, *, card, subject, action, initial=None):
        """The form inside a card of the review page, posting to `action` (the commentary's own URL).

        The card's id is the prefix, so the ids of many forms on one page never collide; `version`
        keeps its plain name (and gets its own id), because the shared conflict page re-bases the
        user's input on the saved version by that name.
        """
        form = cls(data, prefix=card, initial=initial or {"version": 0})
        form.fields["version"].widget.attrs["id"] = f"{card}-version"
        form.helper.form_action = action
        form.helper.attrs = {"novalidate": "", "data-review-inline": ""}
        save = format_html('Save commentary<span class="govuk-visually-hidden"> on {}</span>', subject)
        form.helper.layout = Layout(
            Field.textarea("text", rows=4),
            Field.radios("rag", small=True),
            Field.radios("visibility", small=True),
            "version",
            Button("save", save, css_id=f"{card}-save"),
        )
        return form

    def add_prefix(self, field_name):
        return field_name if field_name == "version" else super().add_prefix(field_name)


class FlagForm(GDSForm, forms.Form):
    submit_label = "Raise flag"

    target = forms.ChoiceField(
        label="What is the flag about?", error_messages={"required": "Select what the flag is about"}
    )
    flag_type = forms.ModelChoiceField(
        label="Problem",
        queryset=FlagType.objects.active(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Select the problem"},
    )
    note = text_field("Note", REVIEW_TEXT_MAX, required=False, help_text=MARKDOWN_HINT)
    visibility = visibility_field()

    def __init__(self, *args, columns, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = {f"column-{c.pk}": ("column", c) for c in columns}
        self.targets |= {f"project-{p.pk}": ("project", p) for p in projects}
        self.fields["target"].choices = [
            ("", "Choose a column or project"),
            *[(f"column-{c.pk}", f"Column: {c.heading}") for c in columns],
            *[(f"project-{p.pk}", f"Project: {p.name}") for p in projects],
        ]

    def clean_target(self):
        value = self.cleaned_data["target"]
        if value not in self.targets:
            raise forms.ValidationError("Select what the flag is about")
        return self.targets[value]


class RequestChangesForm(GDSForm, forms.Form):
    submit_label = "Send back to the partnership"

    reason = text_field("Reason", REASON_MAX, help_text="Say what the partnership needs to change. ")
    sections = forms.MultipleChoiceField(
        label="Which sections need changes?",
        choices=SECTION_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The reason is shown at the top of the return and on each section you select.",
    )


class AcceptForm(GDSForm, forms.Form):
    submit_label = "Accept return"

    reason = text_field("Note for the record", REASON_MAX, required=False, help_text="Optional. ")


CONFIRM_OPEN_FLAGS = "accept-with-open-flags"


class AcceptWithFlagsForm(AcceptForm):
    """The accept form of the confirmation page: it also carries the open flags the reviewer was shown.

    Posting it is the explicit confirmation; the service refuses if a flag not in `flags_seen` is open now.
    Both fields are hidden, so odd values are never an error to show: they confirm nothing, and the page
    is shown again with the list as it is.
    """

    submit_label = "Accept with these flags open"

    # Plain fields, not CharFields: hidden, read leniently by confirmed_ids, so even a control character in
    # them (which the clean-text rule would refuse with a message next to a field no one can see) confirms nothing.
    confirm = forms.Field(required=False, widget=forms.HiddenInput)
    flags_seen = forms.Field(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, flags=(), back_url="", **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.update(confirm=CONFIRM_OPEN_FLAGS, flags_seen=" ".join(str(f.pk) for f in flags))
        # GOV.UK's confirmation: the button, then the way back, side by side.
        button = self.helper.layout.fields.pop()
        back = format_html('<a class="govuk-link" href="{}">Go back</a>', back_url)
        self.helper.layout.append(Div(button, HTML(back), css_class="govuk-button-group"))

    @classmethod
    def shown_again(cls, data, *, flags, back_url):
        """The page again after a refused confirmation: the note as typed, the flags as they are now."""
        data = data.copy()
        data["flags_seen"] = " ".join(str(f.pk) for f in flags)
        data["confirm"] = CONFIRM_OPEN_FLAGS
        return cls(data, flags=flags, back_url=back_url)

    @property
    def confirmed_ids(self):
        """The flag ids the reviewer confirmed, or None when this POST confirmed nothing."""
        if self.cleaned_data.get("confirm") != CONFIRM_OPEN_FLAGS:
            return None
        ids = str(self.cleaned_data.get("flags_seen") or "").split()
        return {int(i) for i in ids if i.isascii() and i.isdigit() and len(i) <= 18}


class ReopenForm(GDSForm, forms.Form):
    submit_label = "Reopen return"

    reason = text_field("Reason", REASON_MAX, help_text="Say why the accepted return must change. ")


class ResolveFlagForm(GDSForm, forms.Form):
    submit_label = "Resolve flag"

    resolution = text_field("How was it resolved?", REASON_MAX, required=False, help_text="Optional. ")
