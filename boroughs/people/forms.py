"""The People pages' forms. They only validate; services.py makes the changes.

None of them has a field for superuser, staff, groups or permissions, and the services read nothing else: a
tampered POST carrying those names changes nothing (tests/boroughs/people/test_no_escalation.py).
"""

import re

from allauth.account import forms as account_forms
from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db.models import Q

from boroughs.accounts.forms import AccountForm
from boroughs.forms import GDSForm
from boroughs.models import Borough

from .permissions import NO_ROLE, OFFICER, ROLE_HINTS, ROLES

REASON_MAX = 1000


def suggest_username(email):
    """The start of the email address, as a username nobody has yet: jo.bloggs, then jo.bloggs2, …"""
    local = email.split("@")[0].lower()
    base = re.sub(r"[^\w.+-]", "", local, flags=re.ASCII)[:140] or "user"
    taken = {
        name.lower()
        for name in get_user_model().objects.filter(username__istartswith=base).values_list("username", flat=True)
    }
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}{number}"
    return candidate


class NoMaxLengthMixin:
    """The limit is checked on the server, with a message: a maxlength attribute would make the browser cut a
    long paste short without saying so."""

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


class TextField(NoMaxLengthMixin, forms.CharField):
    pass


class EmailField(NoMaxLengthMixin, forms.EmailField):
    pass


def reason_field(label="Reason", *, required=True, help_text=""):
    return TextField(
        label=label,
        required=required,
        max_length=REASON_MAX,
        help_text=help_text or f"Shown in their history. You can enter up to {REASON_MAX:,} characters.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter the reason",
            "max_length": f"The reason must be {REASON_MAX:,} characters or fewer",
        },
    )


class RoleFields(GDSForm, forms.Form):
    """One of the three roles, and the boroughs of an officer.

    The boroughs are not a conditional reveal under "CSP officer": GOV.UK Frontend marks such radios
    aria-expanded, which axe-core rejects on a radio. So an OPCC role with boroughs ticked is an error to fix.
    """

    role = forms.ChoiceField(
        label="Role",
        widget=forms.RadioSelect,
        choices=[Choice(key, name, hint=ROLE_HINTS[key]) for key, name in ROLES.items()],
        error_messages={"required": "Select a role", "invalid_choice": "Select a role"},
    )
    boroughs = forms.ModelMultipleChoiceField(
        label="Boroughs",
        required=False,
        queryset=Borough.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="CSP officers only: select every borough they file returns for.",
        error_messages={
            "invalid_choice": "Select boroughs from the list",
            "invalid_pk_value": "Select boroughs from the list",
        },
    )

    def __init__(self, *args, current_boroughs=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Active boroughs, and any inactive one the person still belongs to (so keeping it is possible).
        self.fields["boroughs"].queryset = Borough.objects.filter(
            Q(active=True) | Q(pk__in=[borough.pk for borough in current_boroughs])
        )

    def clean(self):
        data = super().clean()
        role, boroughs = data.get("role"), data.get("boroughs")
        if role == OFFICER and not boroughs and "boroughs" not in self.errors:
            self.add_error("boroughs", "Select the boroughs this officer files returns for")
        elif role and role != OFFICER and boroughs:
            # OPCC staff see every borough; an officer's membership would also bar them from reviewing it.
            self.add_error("boroughs", "Only CSP officers have boroughs: clear the boroughs, or choose CSP officer")
        return data

    def role_layout(self):
        return [Field.radios("role"), Field.checkboxes("boroughs", small=True)]


class InviteForm(RoleFields):
    submit_label = "Send invitation"

    first_name = TextField(
        label="First name",
        max_length=150,
        error_messages={
            "required": "Enter their first name",
            "max_length": "The first name must be 150 characters or fewer",
        },
    )
    last_name = TextField(
        label="Last name",
        max_length=150,
        error_messages={
            "required": "Enter their last name",
            "max_length": "The last name must be 150 characters or fewer",
        },
    )
    email = EmailField(
        label="Email address",
        max_length=254,
        help_text="The invitation, with a link to set their password, goes to this address.",
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
            "max_length": "The email address must be 254 characters or fewer",
        },
    )
    username = TextField(
        label="Username (optional)",
        required=False,
        max_length=150,
        help_text="They sign in with this. Leave it blank to use the start of their email address.",
        error_messages={"max_length": "The username must be 150 characters or fewer"},
    )

    field_order = ["first_name", "last_name", "email", "username", "role", "boroughs"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
        self.fields["last_name"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
        self.fields["email"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "off", "spellcheck": "false", "autocapitalize": "none"}
        )
        self.helper.layout = Layout(
            Field.text("first_name"),
            Field.text("last_name"),
            Field.text("email"),
            Field.text("username", field_width=20),
            *self.role_layout(),
            Button("submit", self.submit_label),
        )

    def clean_email(self):
        email = self.cleaned_data["email"]
        local, _, domain = email.rpartition("@")
        email = f"{local}@{domain.lower()}"
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("Someone already has an account with this email address")
        return email

    def clean_username(self):
        username = self.cleaned_data["username"].strip().lower()
        if not username:
            return ""
        try:
            UnicodeUsernameValidator()(username)
        except forms.ValidationError:
            raise forms.ValidationError(
                "A username can only have letters, numbers and the characters . @ + - _"
            ) from None
        # Sign-in matches usernames whatever their case, so two that differ only in case would clash.
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("Someone already has this username: choose another")
        return username

    def clean(self):
        data = super().clean()
        if not data.get("username") and data.get("email") and "username" not in self.errors:
            data["username"] = suggest_username(data["email"])
        return data


class RoleForm(RoleFields):
    submit_label = "Save role and boroughs"

    reason = reason_field("Reason (optional)", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            *self.role_layout(), Field.textarea("reason", rows=3), Button("submit", self.submit_label)
        )


class ReasonForm(GDSForm, forms.Form):
    """Why an admin deactivates or reactivates an account, or resets someone's two-step verification."""

    reason = reason_field()

    def __init__(self, *args, submit_label, warning=False, **kwargs):
        self.submit_label = submit_label
        super().__init__(*args, **kwargs)
        if warning:
            self.helper.layout[-1] = Button.warning("submit", self.submit_label)


class ConfirmForm(GDSForm, forms.Form):
    """No questions: the button is the answer (sending a new invitation)."""

    def __init__(self, *args, submit_label, **kwargs):
        self.submit_label = submit_label
        super().__init__(*args, **kwargs)


class PeopleFilterForm(forms.Form):
    """The list's filters, from the query string. Junk in them is a 404, as elsewhere in the service."""

    role = forms.ChoiceField(
        label="Role", required=False, choices=[("", "Any role"), *ROLES.items(), (NO_ROLE, "No role")]
    )
    borough = forms.ModelChoiceField(
        label="Borough",
        required=False,
        queryset=Borough.objects.all(),
        to_field_name="slug",
        empty_label="Any borough",
    )


class InvitationPasswordForm(AccountForm, account_forms.ResetPasswordKeyForm):
    """The invited person's new password, checked by allauth against the password rules (AUTH_PASSWORD_VALIDATORS).
    The view saves it through services.accept_invitation, not through this form's save()."""

    submit_label = "Set password"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password1"].label = "Password"
        self.fields["password2"].label = "Confirm password"
