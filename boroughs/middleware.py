"""Session and caching rules that hold for every page, whichever app serves it."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.shortcuts import resolve_url
from django.utils import timezone
from django.utils.cache import patch_cache_control

# In the session: when the person signed in, in seconds since the epoch.
SIGNED_IN_AT = "signed_in_at"
# In the session: when its expiry was last pushed back (SessionIdleMiddleware), in seconds since the epoch.
RENEWED_AT = "renewed_at"


# Connected when Django loads the middleware, which is before it serves any request, so before any sign-in.
@receiver(user_logged_in, dispatch_uid="boroughs.stamp_sign_in")
def stamp_sign_in(sender, request, user, **kwargs):
    # Signing in again restarts the clock, even when the session itself carries on.
    if request is not None and hasattr(request, "session"):
        now = int(timezone.now().timestamp())
        # Signing in saves the session anyway: it counts as its renewal, so the next page need not write it.
        request.session[SIGNED_IN_AT] = request.session[RENEWED_AT] = now


class NoStoreForSignedInMiddleware:
    """Pages for a signed-in person hold their borough's data: no browser or proxy may keep a copy.

    Otherwise the back button, a shared computer's cache or a proxy could show them after sign-out.
    Anonymous pages (sign-in, accessibility) stay cacheable; static files never reach this far
    (WhiteNoise answers them first), and are skipped if they ever do.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(settings.STATIC_URL):
            patch_cache_control(response, private=True, no_store=True)
        return response


class SessionMaxAgeMiddleware:
    """Signs a person out SESSION_MAX_HOURS after they signed in, however active they are.

    The idle timeout alone would let a page that polls (an export's status) keep a session alive for
    ever. The sign-in time is stamped when they sign in, or on the first request of a session that
    predates this rule.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(timezone.now().timestamp())
            signed_in_at = request.session.setdefault(SIGNED_IN_AT, now)
            ends_at = signed_in_at + int(timedelta(hours=settings.SESSION_MAX_HOURS).total_seconds())
            if now >= ends_at:
                logout(request)
                messages.info(
                    request,
                    f"You have been signed out because you signed in more than {settings.SESSION_MAX_HOURS} hours "
                    "ago. Sign in again to carry on.",
                )
                if request.path == resolve_url(settings.LOGIN_URL):
                    # Already on the way to sign in (session-timeout.js sends the page there, with what was
                    # typed kept for afterwards): carry on there, rather than wrap it in another redirect.
                    return self.get_response(request)
                return redirect_to_login(request.get_full_path())
            # For session-timeout.js, which sends the page to sign in (keeping what was typed) at that moment.
            request.session_seconds_left = ends_at - now
        return self.get_response(request)


class SessionIdleMiddleware:
    """Keeps the idle timeout (SESSION_IDLE_MINUTES after the last request) without a write on every request.

    Saving a database session on every request (SESSION_SAVE_EVERY_REQUEST) costs a write per page. Instead the
    session is saved, and its expiry pushed back, when it was last renewed SESSION_RENEW_SECONDS ago or more: a
    session row is written at most once a minute, and a person idle for the timeout is still signed out by the
    server, within SESSION_RENEW_SECONDS of it. Pages tell session-timeout.js the seconds really left.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(timezone.now().timestamp())
            renewed_at = request.session.get(RENEWED_AT, 0)
            if now - renewed_at >= settings.SESSION_RENEW_SECONDS:
                request.session[RENEWED_AT] = renewed_at = now  # marks the session modified: saved, expiry renewed
            request.session_idle_seconds_left = max(settings.SESSION_COOKIE_AGE - (now - renewed_at), 0)
        return self.get_response(request)


def renew_session(request):
    """Push the session's expiry back now (the keep-alive's whole job), whenever it was last renewed."""
    now = int(timezone.now().timestamp())
    request.session[RENEWED_AT] = now
    request.session_idle_seconds_left = settings.SESSION_COOKIE_AGE
