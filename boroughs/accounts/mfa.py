"""Who must sign in with a second factor, and the middleware that holds them to it."""

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse


def must_use_mfa(user):
    """OPCC staff see every borough's returns, and superusers can change anything: their accounts need more
    than a password. (Officers may turn two-step verification on for themselves.)"""
    return user.is_active and (user.is_superuser or user.has_perm("boroughs.view_all_boroughs"))


def mfa_required(user):
    """Whether this person must use two-step verification here (MFA_REQUIRED_FOR_OPCC turns the rule on)."""
    return settings.MFA_REQUIRED_FOR_OPCC and must_use_mfa(user)


def needs_mfa_setup(user):
    return mfa_required(user) and not is_mfa_enabled(user, [Authenticator.Type.TOTP])


class RequireMFAMiddleware:
    """Sends someone who must use two-step verification, and has not set it up, to the set-up page.

    Until they set it up they may only reach that page, confirm their password for it, keep the session
    alive and sign out.
    """

    EXEMPT_URL_NAMES = ["mfa_activate_totp", "account_reauthenticate", "account_logout", "keep_alive"]

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and needs_mfa_setup(user):
            request.mfa_setup_required = True
            if not self._exempt(request.path):
                return redirect("mfa_activate_totp")
        return self.get_response(request)

    def _exempt(self, path):
        if path.startswith((settings.STATIC_URL, settings.MEDIA_URL)):
            return True
        return path in {reverse(name) for name in self.EXEMPT_URL_NAMES}
