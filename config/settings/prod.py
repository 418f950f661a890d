"""Production. Refuses to start without the secrets and hosts it needs."""

from .base import *  # noqa: F403
from .env import env_bool, env_int, env_list, env_required

DEBUG = False
SECRET_KEY = env_required("SECRET_KEY")
ALLOWED_HOSTS = [host.strip() for host in env_required("ALLOWED_HOSTS").split(",") if host.strip()]
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Links in emails point here, e.g. https://csp-returns.example.org
SITE_URL = env_required("SITE_URL").rstrip("/")

# TLS ends at the proxy in front of gunicorn, which must set X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Joining the browsers' preload list binds every subdomain of the domain to HTTPS and takes months to undo,
# so it is the organisation's decision, not a default. Without it Django's reminder (W021) is only noise.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True

# OPCC reviewers, OPCC admins and superusers must sign in with a second factor (MFA_REQUIRED=false turns it off).
MFA_REQUIRED_FOR_OPCC = env_bool("MFA_REQUIRED", True)
# gunicorn sits behind one proxy (see SECURE_PROXY_SSL_HEADER): the sign-in throttles count each client's
# address from X-Forwarded-For, not the proxy's.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1)

# Demo accounts share one known password: never in production.
DEMO_DATA_ALLOWED = False
