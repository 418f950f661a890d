"""`make bench` only: production's behaviour on a loopback address, with the bench's bare view.

Like production (DEBUG off, the same middleware, templates cached, database sessions), but it serves plain
HTTP on 127.0.0.1, without the HTTPS redirect, secure-only cookies or two-step verification, so wrk and the
test client can sign in as the personas. Never deploy it: its key is public and ROOT_URLCONF adds
`/bench/bare/`, which exists only here.
"""

import warnings

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "bench-only-key-never-use-in-production"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
ROOT_URLCONF = "config.urls_bench"
# The benchmark's throw-away database gets seed_demo and seed_scale.
DEMO_DATA_ALLOWED = True
MFA_REQUIRED_FOR_OPCC = False
# Static files are not what is measured; finders spare a collectstatic into the work tree.
WHITENOISE_USE_FINDERS = True
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MAILERS = mailers("django.core.mail.backends.locmem.EmailBackend")  # noqa: F405
# Exports queued by pages are built at once, in process (the bench calls the PDF task itself anyway).
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
LOGGING = {
    **LOGGING,  # noqa: F405
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {**LOGGING["loggers"], "django.tasks": {"level": "WARNING"}},  # noqa: F405
}

# WhiteNoise warns on every start that STATIC_ROOT (collectstatic's output) does not exist; finders serve here.
warnings.filterwarnings("ignore", message="No directory at")
