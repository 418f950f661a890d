"""Fixtures for the grid's bulk actions: a quarter of returns in every state, and open flags."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from boroughs.roles import OPCC_REVIEWER
from returns.models import Return
from reviews.models import Flag, FlagType
from tests.conftest import make_user
from tests.reviews.conftest import make_return


@pytest.fixture
def q1(periods):
    return periods[0]


def by_slug(west_midlands, slug):
    return west_midlands.get(slug=slug)


@pytest.fixture
def quarter(west_midlands, q1, alice, bob, rita, columns):
    """Q1 2026-27: two returns to accept (submitted, resubmitted), one with an open flag, a draft, an accepted one."""
    made = {
        "birmingham": make_return(by_slug(west_midlands, "birmingham"), q1, by=alice),
        "coventry": make_return(by_slug(west_midlands, "coventry"), q1, status=Return.Status.RESUBMITTED, by=bob),
        "dudley": make_return(by_slug(west_midlands, "dudley"), q1),
        "sandwell": make_return(by_slug(west_midlands, "sandwell"), q1, status=Return.Status.DRAFT),
        "walsall": make_return(by_slug(west_midlands, "walsall"), q1, status=Return.Status.ACCEPTED),
    }
    raise_flag(made["dudley"], rita, columns["performance"], note="No impact assessment")
    return made


def raise_flag(return_, by, column, note=""):
    return Flag.objects.create(
        borough_id=return_.borough_id,
        period_id=return_.period_id,
        flag_type=FlagType.objects.first(),
        column=column,
        note=note,
        raised_by=by,
    )


@pytest.fixture
def reviewer_of_birmingham(birmingham):
    """An OPCC reviewer who is also an officer of Birmingham: the self-review rule applies."""
    return make_user("vera", role=OPCC_REVIEWER, boroughs=[birmingham])


def count_queries(client, method, url, data=None):
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, data or {})
    assert response.status_code in (200, 302, 409), response.status_code
    return len(queries)
