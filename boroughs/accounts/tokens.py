"""API tokens: what an analyst's script shows the read-only API (reviews/api/) instead of a session.

A token reads `csp_<prefix>_<secret>`. The prefix is public (the account page lists it, and it finds the row);
the secret is 32 random bytes from `secrets`, and only its SHA-256 is stored. The whole token is shown once, in
the response to the form that made it, and never again: a lost token is revoked and replaced. Comparing
hashes with `hmac.compare_digest` takes the same time wherever two hashes differ.

Creating and revoking are recorded by django-simple-history (who, from the request, and when); using a
token only moves `last_used`, at most once a minute, through `update()` so it adds no history.
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from simple_history.models import HistoricalRecords

SCHEME = "csp"
PREFIX_BYTES = 4  # 8 hex characters: plenty to find a row, too few to matter if seen over a shoulder
SECRET_BYTES = 32
TOUCH_EVERY = timedelta(minutes=1)
NAME_MAX = 100


def may_hold_tokens(user):
    """CSP officers and OPCC staff: the people the API has something to show (both hold view_borough)."""
    return user.is_authenticated and user.is_active and user.has_perm("boroughs.view_borough")


def hash_secret(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def for_user(self, user):
        """A person's own tokens: nobody, OPCC admins included, sees or revokes anyone else's."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def live(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )

    def find(self, token):
        """The live token row `token` names, with its user, or None (malformed, unknown, revoked, expired)."""
        scheme, _, rest = token.partition("_")
        prefix, _, secret = rest.partition("_")
        if scheme != SCHEME or len(prefix) != PREFIX_BYTES * 2 or not secret:
            return None
        row = self.live().select_related("user").filter(prefix=prefix).first()
        if row is None or not hmac.compare_digest(row.secret_hash, hash_secret(secret)):
            return None
        return row


class ApiToken(models.Model):
    """A person's token for the read-only API. It sees exactly what its owner's pages show them."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=NAME_MAX, help_text="What the token is for, e.g. the quarterly dashboard.")
    prefix = models.CharField(max_length=PREFIX_BYTES * 2, unique=True, editable=False)
    secret_hash = models.CharField("SHA-256 of the secret", max_length=64, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    # last_used changes only through update(), so it never adds a history row; it is left out all the same.
    history = HistoricalRecords(excluded_fields=["last_used"])

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = "API token"

    def __str__(self):
        return f"{self.name} ({self.display})"

    @property
    def display(self):
        """What a person sees of a token after it is made: enough to tell their tokens apart."""
        return f"{SCHEME}_{self.prefix}_…"

    @property
    def is_revoked(self):
        return self.revoked_at is not None

    def is_expired(self, now=None):
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())

    def touch(self, now=None):
        """Record a use: at most one write a minute however busy the token is."""
        now = now or timezone.now()
        if self.last_used is None or now - self.last_used >= TOUCH_EVERY:
            ApiToken.objects.filter(pk=self.pk).update(last_used=now)
            self.last_used = now


@transaction.atomic
def issue_token(*, user, name, expires_at=None):
    """A new token for `user`: (the row, the whole token). The caller shows the token once; it is not kept."""
    secret = secrets.token_urlsafe(SECRET_BYTES)
    while True:
        prefix = secrets.token_hex(PREFIX_BYTES)
        if not ApiToken.objects.filter(prefix=prefix).exists():
            break
    token = ApiToken.objects.create(
        user=user, name=name, prefix=prefix, secret_hash=hash_secret(secret), expires_at=expires_at
    )
    return token, f"{SCHEME}_{prefix}_{secret}"


@transaction.atomic
def revoke_token(*, token):
    """Stop a token working, from its next request. False if it was revoked already."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.is_revoked:
        return False
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    return True
