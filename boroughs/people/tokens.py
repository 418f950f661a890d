"""The set-password link of an invitation: Django's password-reset token, with its own salt and lifetime.

The token signs the account's password hash, so it stops working once the password is set (or a new invitation
gives the account a new unusable password), and its timestamp makes it expire after INVITATION_DAYS, longer than
a password reset's PASSWORD_RESET_TIMEOUT. Links are built from SITE_URL, never from the request's Host header.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode

INVITATION_DAYS = 7

VALID = "valid"
EXPIRED = "expired"
INVALID = "invalid"


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "boroughs.people.tokens.InvitationTokenGenerator"

    def status(self, user, token):
        """VALID, EXPIRED (signed by us for this account as it is now, but too old) or INVALID (used, replaced,
        tampered with, or never ours)."""
        if not (user and token):
            return INVALID
        try:
            ts_b36, _ = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return INVALID
        for secret in [self.secret, *self.secret_fallbacks]:
            if constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token):
                break
        else:
            return INVALID
        if self._num_seconds(self._now()) - ts > INVITATION_DAYS * 24 * 60 * 60:
            return EXPIRED
        return VALID

    def check_token(self, user, token):
        return self.status(user, token) == VALID


invitation_tokens = InvitationTokenGenerator()


def invitation_url(user):
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse("people:welcome", kwargs={"uidb64": uidb64, "token": invitation_tokens.make_token(user)})
    return settings.SITE_URL + path


def invitation_expires_at():
    return timezone.now() + timedelta(days=INVITATION_DAYS)
