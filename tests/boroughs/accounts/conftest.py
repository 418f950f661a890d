"""Helpers for the account tests: a superuser, and two-step verification set up the way the service does it."""

import re
import time

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value

from tests.conftest import make_user

LOGIN = "/accounts/login/"
SET_UP = "/accounts/2fa/totp/activate/"
AUTHENTICATE = "/accounts/2fa/authenticate/"
RECOVERY_CODES = "/accounts/2fa/recovery-codes/"


def totp_code(secret):
    """The code an authenticator app shows now (RFC 6238, 30-second steps). Waits out the last moments of a
    step, so the code is still current when the server checks it."""
    left = 30 - time.time() % 30
    if left < 3:
        time.sleep(left + 0.2)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def secret_on_page(html):
    return re.search(r'id="totp-secret"[^>]*>([A-Z2-7]+)<', html).group(1)


def with_totp(user):
    """Two-step verification already on: returns the app's secret and the recovery codes."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    codes = RecoveryCodes.activate(user).generate_codes()
    return secret, codes


@pytest.fixture
def sam(west_midlands):
    """A superuser, made with `createsuperuser`."""
    return make_user("sam", is_superuser=True, is_staff=True)
