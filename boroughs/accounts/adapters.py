"""allauth's hooks, set in settings as ACCOUNT_ADAPTER and MFA_ADAPTER."""

import time
from urllib.parse import urlsplit

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.urls import reverse

from .mfa import mfa_required


class AccountAdapter(DefaultAccountAdapter):
    @property
    def error_messages(self):
        return {
            **DefaultAccountAdapter.error_messages,
            "username_password_mismatch": "Enter a correct username and password. Passwords are case-sensitive.",
            "too_many_login_attempts": (
                "You have tried to sign in too many times. "
                f"Wait {settings.SIGN_IN_LOCKOUT_MINUTES} minutes, then try again."
            ),
            "enter_current_password": "Enter your current password.",
            "incorrect_password": "The password is not correct.",
            "invalid_password_reset": "The password reset link was used already or is too old.",
            "rate_limited": "You have tried too many times. Wait a few minutes, then try again.",
        }

    def is_open_for_signup(self, request):
        # Accounts are created by an administrator, who gives each person their role.
        return False

    def get_reset_password_from_key_url(self, key):
        # The link's host comes from SITE_URL, never from the request's Host header, which whoever
        # asks for the reset chooses.
        url = urlsplit(super().get_reset_password_from_key_url(key))
        return settings.SITE_URL + url.path + (f"?{url.query}" if url.query else "")

    def send_mail(self, template_prefix, email, context):
        # Subjects are rendered without the request, so without the context processors.
        super().send_mail(template_prefix, email, {"SERVICE_NAME": settings.SERVICE_NAME, **context})

    def is_reauthentication_required(self, *, app, **kwargs):
        # Someone who signed in a moment ago has just proved it is them: they are not asked for their password
        # again to set up two-step verification (which OPCC staff are sent to straight after signing in).
        if self._signed_in_recently():
            return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def _signed_in_recently(self):
        request = context.request
        if request is None or not request.user.is_authenticated:
            return False
        records = get_authentication_records(request, request.user)
        return bool(records) and time.time() - records[-1]["at"] < account_settings.REAUTHENTICATION_TIMEOUT

    def get_password_change_redirect_url(self, request):
        return reverse("your_account")


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": "The code is not correct. Check your authenticator app and enter the code it shows now.",
        "cannot_delete_authenticator": "You cannot turn off two-step verification: OPCC staff must use it.",
    }

    def get_totp_issuer(self):
        return settings.SERVICE_NAME

    def get_totp_label(self, user):
        return user.get_username()

    def can_delete_authenticator(self, authenticator):
        return not mfa_required(authenticator.user)
