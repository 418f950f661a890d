"""GOV.UK-styled forms. Every form in the service mixes in GDSForm."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Size
from django import forms

from .text import normalise_newlines, validate_clean_text


def posted(request):
    """The form data, or None for GET. (`request.POST or None` would treat an empty POST as a GET.)"""
    return request.POST if request.method == "POST" else None


def require_clean_text(field):
    """Give a text field (any CharField: ModelForm text, email, slug, password…) the one clean-text rule.

    The field's CRLF becomes LF before validation, then control characters are refused with a message
    naming them. Fields are copied per form instance, so this changes only the form being cleaned.
    """
    if not isinstance(field, forms.CharField) or getattr(field, "requires_clean_text", False):
        return
    to_python = field.to_python
    field.to_python = lambda value: normalise_newlines(to_python(value))
    field.validators.append(validate_clean_text)
    field.requires_clean_text = True


class GDSForm:
    """Holds the crispy-forms-gds helper and the submit button, so templates just `{% crispy form %}`.

    It also applies the clean-text rule (boroughs.text) to every text field, so no form, officers' or
    reviewers', can let a control character into the database and from there break an export.
    """

    submit_label = "Continue"
    label_size = Size.SMALL

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.label_size = self.label_size
        self.helper.legend_size = self.label_size
        # The Design System wants the error summary above the page heading, outside the <form>:
        # templates render it with {% error_summary form %}.
        self.helper.layout.append(Button("submit", self.submit_label))

    def full_clean(self):
        # Here rather than in __init__: a subclass (or allauth) may add fields after GDSForm.__init__ runs,
        # and every field that exists when the form is cleaned must follow the rule.
        for field in self.fields.values():
            require_clean_text(field)
        super().full_clean()
