"""Django REST framework's side of API tokens (settings: REST_FRAMEWORK).

`BearerTokenAuthentication` reads `Authorization: Bearer <token>`; it is the API's only authentication, so a
browser's session cookie opens nothing there (and CSRF does not arise). `HoldsARole` then asks for the same
permission the borough pages do, so a token never outlives its owner's role.
"""

from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission

from .tokens import ApiToken, may_hold_tokens

KEYWORD = b"bearer"
REFUSED = "The token is not valid: it may be mistyped, revoked or expired. Make a new one on your account page."


class BearerTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD:
            return None  # no token: anonymous, which the permission refuses with 401
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Send the header as: Authorization: Bearer <token>.")
        try:
            raw = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(REFUSED) from None
        token = ApiToken.objects.find(raw)
        # A deactivated person's tokens stop with their sign-in.
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(REFUSED)
        token.touch()
        return token.user, token

    def authenticate_header(self, request):
        # Makes an unauthenticated request a 401 (with this challenge) rather than a 403.
        return 'Bearer realm="api"'


class HoldsARole(BasePermission):
    """A CSP officer or OPCC staff: anyone else's token (someone whose role was taken away) gets 403."""

    message = "Your account has no role in this service, so its tokens can read nothing."

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated) and may_hold_tokens(request.user)
