"""allauth's forms through GDSForm (settings: ACCOUNT_FORMS, MFA_FORMS), and the service's own account forms.

allauth keeps its validation and its field names; these classes only give the fields GOV.UK labels and hints.
"""

from allauth.account import forms as account_forms
from allauth.mfa.base import forms as mfa_base_forms
from allauth.mfa.recovery_codes import forms as recovery_forms
from allauth.mfa.totp import forms as totp_forms
from crispy_forms_gds.layout import Button
from django import forms

from boroughs.forms import GDSForm


class AccountForm(GDSForm):
    """GOV.UK labels and hints say what a field wants, so allauth's placeholders go."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.pop("placeholder", None)


class CodeForm(AccountForm):
    """A one-time code: digits typed or pasted from an authenticator app (or a recovery code)."""

    code_label = "Code"
    code_hint = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        code = self.fields["code"]
        code.label = self.code_label
        code.help_text = self.code_hint
        code.widget.attrs.update({"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"})


class LoginForm(AccountForm, account_forms.LoginForm):
    submit_label = "Sign in"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = "Username"
        login.widget.attrs.update({"autocomplete": "username", "spellcheck": "false", "autocapitalize": "none"})
        # The page links to the reset itself, below the button.
        self.fields["password"].help_text = ""


class ReauthenticateForm(AccountForm, account_forms.ReauthenticateForm):
    submit_label = "Continue"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = ""


class ChangePasswordForm(AccountForm, account_forms.ChangePasswordForm):
    submit_label = "Change password"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["oldpassword"].label = "Current password"
        self.fields["oldpassword"].help_text = ""
        self.fields["password1"].label = "New password"
        self.fields["password2"].label = "Confirm new password"


class SetPasswordForm(AccountForm, account_forms.SetPasswordForm):
    submit_label = "Set password"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password2"].label = "Confirm password"


class ResetPasswordForm(AccountForm, account_forms.ResetPasswordForm):
    submit_label = "Send reset link"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        email.label = "Email address"
        email.widget.attrs.update({"autocomplete": "email", "spellcheck": "false"})


class ResetPasswordKeyForm(AccountForm, account_forms.ResetPasswordKeyForm):
    submit_label = "Set new password"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password1"].label = "New password"
        self.fields["password2"].label = "Confirm new password"


class AuthenticateForm(CodeForm, mfa_base_forms.AuthenticateForm):
    submit_label = "Continue"
    code_hint = "The 6-digit code from your authenticator app, or one of your recovery codes."


class MFAReauthenticateForm(CodeForm, mfa_base_forms.ReauthenticateForm):
    submit_label = "Continue"
    code_hint = "The 6-digit code from your authenticator app, or one of your recovery codes."


class ActivateTOTPForm(CodeForm, totp_forms.ActivateTOTPForm):
    submit_label = "Turn on two-step verification"
    code_label = "Code from your authenticator app"
    code_hint = "The app shows a 6-digit code that changes every 30 seconds."


class DeactivateTOTPForm(AccountForm, totp_forms.DeactivateTOTPForm):
    submit_label = "Turn off two-step verification"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout[-1] = Button.warning("submit", self.submit_label)


class GenerateRecoveryCodesForm(AccountForm, recovery_forms.GenerateRecoveryCodesForm):
    submit_label = "Make new recovery codes"


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
