"""Shared personas and helpers.

The personas, as in every test file:
- alice: CSP officer of Birmingham
- bob: CSP officer of Coventry (another borough: gets 404 on Birmingham's things)
- charlie: signed in, linked to Birmingham, but holds no role (gets 403)
- rita: OPCC reviewer
- adam: OPCC admin
Anonymous users are redirected to the login page.
"""

import os

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from boroughs.models import Borough, Membership
from boroughs.reference import ensure_west_midlands
from boroughs.roles import CSP_OFFICER, OPCC_ADMIN, OPCC_REVIEWER, give_role

PASSWORD = "correct-horse-battery"


def pytest_sessionstart(session):
    # CI's PostgreSQL run sets REQUIRE_POSTGRES=1: a lost DATABASE_URL must fail the run, not pass it on SQLite.
    if os.environ.get("REQUIRE_POSTGRES") == "1" and connection.vendor != "postgresql":
        raise pytest.UsageError(
            "REQUIRE_POSTGRES=1 but the tests would run on "
            f"{connection.vendor} ({connection.settings_dict['ENGINE']}): set DATABASE_URL=postgres://…"
        )


def make_user(username, *, role=None, boroughs=(), **extra):
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.org", first_name=username.title(), **extra
    )
    if role:
        give_role(user, role)
    for borough in boroughs:
        Membership.objects.create(user=user, borough=borough)
    return user


@pytest.fixture
def west_midlands(db):
    # Transactional (browser) tests flush the database, data migrations included.
    ensure_west_midlands(Borough)
    return Borough.objects.all()


@pytest.fixture
def birmingham(west_midlands):
    return west_midlands.get(slug="birmingham")


@pytest.fixture
def coventry(west_midlands):
    return west_midlands.get(slug="coventry")


@pytest.fixture
def alice(birmingham):
    return make_user("alice", role=CSP_OFFICER, boroughs=[birmingham])


@pytest.fixture
def bob(coventry):
    return make_user("bob", role=CSP_OFFICER, boroughs=[coventry])


@pytest.fixture
def charlie(birmingham):
    return make_user("charlie", boroughs=[birmingham])


@pytest.fixture
def rita(west_midlands):
    return make_user("rita", role=OPCC_REVIEWER)


@pytest.fixture
def adam(west_midlands):
    user = make_user("adam", role=OPCC_ADMIN, is_staff=True)
    give_role(user, OPCC_REVIEWER)
    return user


def login_url(next_path):
    return f"/accounts/login/?next={next_path}"


def assert_redirects_to_login(response, path):
    assert response.status_code == 302
    assert response["Location"] == login_url(path)
