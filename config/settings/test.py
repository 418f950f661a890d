"""pytest. DATABASE_URL still chooses the database, so CI runs the same tests on PostgreSQL."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
MAILERS = mailers("django.core.mail.backends.locmem.EmailBackend")  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DEMO_DATA_ALLOWED = True

# Tasks run at once, inside the test, so their effects can be asserted.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
SITE_URL = "http://testserver"
# Tests that need two-step verification required turn it on with the `settings` fixture.
MFA_REQUIRED_FOR_OPCC = False

# A session is renewed at most once a minute (boroughs.middleware.SessionIdleMiddleware). A slow test can span a
# minute, and that one write would land in whichever request came next, making query counts flaky: in tests it
# renews once a day, and the tests of the renewal set the minute back themselves.
SESSION_RENEW_SECONDS = 24 * 60 * 60

# The annex PDF in parts of three boroughs, so the seed's seven make three parts and every test of the PDF goes
# through the join (reviews/exports/pdf/); in this process, except where a test asks for children.
ANNEX_PDF_PART_BOROUGHS = 3
ANNEX_PDF_PROCESSES = 1
