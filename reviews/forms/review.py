"""Forms of the quarterly review. They only validate: reviews.services.review does the saving."""

from django import forms

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
    return forms.ChoiceField(
        label="Who can see this?",
        choices=Visibility.choices,
        initial=Visibility.SHARED,
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


class ReopenForm(GDSForm, forms.Form):
    submit_label = "Reopen return"

    reason = text_field("Reason", REASON_MAX, help_text="Say why the accepted return must change. ")


class ResolveFlagForm(GDSForm, forms.Form):
    submit_label = "Resolve flag"

    resolution = text_field("How was it resolved?", REASON_MAX, required=False, help_text="Optional. ")
