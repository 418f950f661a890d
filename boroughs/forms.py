"""GOV.UK-styled forms. Every form in the service mixes in GDSForm."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Size
from django import forms
from django.contrib.auth import forms as auth_forms


def posted(request):
    """The form data, or None for GET. (`request.POST or None` would treat an empty POST as a GET.)"""
    return request.POST if request.method == "POST" else None


def rebased(form_class, data, *, current, message, **kwargs):
    """After an edit conflict: the user's input kept, on top of `current`'s version, so saving again is deliberate."""
    data = data.copy()
    data["version"] = current.version
    form = form_class(data, **kwargs)
    form.is_valid()
    form.add_error(None, message)
    return form


class GDSForm:
    """Holds the crispy-forms-gds helper and the submit button, so templates just `{% crispy form %}`."""

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


class LoginForm(GDSForm, auth_forms.AuthenticationForm):
    submit_label = "Sign in"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Username"
        self.fields["username"].widget.attrs["autocomplete"] = "username"
        self.fields["username"].widget.attrs["spellcheck"] = "false"
        self.error_messages["invalid_login"] = "Enter a correct username and password. Both are case-sensitive."


class PasswordChangeForm(GDSForm, auth_forms.PasswordChangeForm):
    submit_label = "Change password"


class PasswordResetForm(GDSForm, auth_forms.PasswordResetForm):
    submit_label = "Send reset link"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget = forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"})


class SetPasswordForm(GDSForm, auth_forms.SetPasswordForm):
    submit_label = "Set new password"


class NotificationPreferencesForm(GDSForm, forms.Form):
    submit_label = "Save preferences"

    kinds = forms.MultipleChoiceField(
        label="Which emails do you want?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply. Emails about changes requested on your return are always sent.",
    )

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kinds"].choices = [(kind.value, kind.label) for kind in kinds]
