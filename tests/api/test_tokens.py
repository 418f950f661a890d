"""Tokens: hashed at rest; refused once revoked, expired or their owner deactivated; a write a minute at most."""

import hashlib
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.throttling import UserRateThrottle

from boroughs.accounts.tokens import ApiToken, issue_token, revoke_token
from tests.api.conftest import bearer


def get(client, whole, path="returns/"):
    return client.get(f"/api/{path}", headers=bearer(whole))


def test_the_database_never_holds_the_secret(alice):
    token, whole = issue_token(user=alice, name="Dashboard")
    scheme, prefix, secret = whole.split("_", 2)
    assert (scheme, prefix) == ("csp", token.prefix)
    assert len(secret) >= 43  # 32 random bytes
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM boroughs_apitoken")
        stored = repr(cursor.fetchall())
        cursor.execute("SELECT * FROM boroughs_historicalapitoken")
        stored += repr(cursor.fetchall())
    assert secret not in stored
    assert whole not in stored


def test_a_token_works_until_it_is_revoked_then_401_at_once(client, world, alice):
    token, whole = issue_token(user=alice, name="Dashboard")
    assert get(client, whole).status_code == 200
    assert revoke_token(token=token) is True
    response = get(client, whole)
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]
    assert revoke_token(token=token) is False  # revoking twice changes nothing


def test_an_expired_token_is_refused(client, world, alice):
    _token, whole = issue_token(user=alice, name="Dashboard", expires_at=timezone.now() - timedelta(seconds=1))
    assert get(client, whole).status_code == 401


def test_a_deactivated_persons_token_is_refused(client, world, alice):
    _token, whole = issue_token(user=alice, name="Dashboard")
    alice.is_active = False
    alice.save()
    assert get(client, whole).status_code == 401


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "Bearer a b",
        "Bearer csp_00000000_wrong",
        "Bearer nonsense",
        "Bearer csp__x",
        "Token csp_00000000_x",  # another scheme is no token at all
        "Bearer cspé_x",
    ],
)
def test_a_malformed_or_unknown_token_is_a_401(client, world, alice, header):
    issue_token(user=alice, name="Dashboard")
    response = client.get("/api/returns/", headers={"Authorization": header})
    assert response.status_code == 401
    assert "results" not in response.json()


def test_the_right_prefix_with_the_wrong_secret_is_refused(client, world, alice):
    token, whole = issue_token(user=alice, name="Dashboard")
    assert get(client, f"csp_{token.prefix}_{'x' * 43}").status_code == 401
    assert get(client, whole).status_code == 200


def test_last_used_is_written_at_most_once_a_minute(client, world, alice):
    token, whole = issue_token(user=alice, name="Dashboard")
    assert token.last_used is None
    get(client, whole)
    first = ApiToken.objects.get(pk=token.pk).last_used
    assert first is not None
    get(client, whole)
    assert ApiToken.objects.get(pk=token.pk).last_used == first
    ApiToken.objects.filter(pk=token.pk).update(last_used=first - timedelta(minutes=2))
    get(client, whole)
    assert ApiToken.objects.get(pk=token.pk).last_used > first - timedelta(minutes=2)
    # Uses add no history: only making the token is recorded.
    assert token.history.count() == 1


def test_a_token_sees_only_its_owners_scope_whoever_made_it(client, world, alice, bob):
    _token, whole = issue_token(user=bob, name="Dashboard")
    assert {r["borough"] for r in get(client, whole).json()["results"]} == {"coventry"}


def test_each_person_is_throttled(client, world, alice, bob, monkeypatch):
    # 120 a minute in settings; 3 here, so the test need not make 121 requests.
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "3/min"})
    _token, whole = issue_token(user=alice, name="Dashboard")
    assert [get(client, whole).status_code for _ in range(3)] == [200, 200, 200]
    refused = get(client, whole)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    # Counted per person, not per token: a second token of alice's shares her allowance; bob has his own.
    assert get(client, issue_token(user=alice, name="Second")[1]).status_code == 429
    assert get(client, issue_token(user=bob, name="Bob's")[1]).status_code == 200
