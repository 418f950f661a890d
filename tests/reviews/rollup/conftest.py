"""Fixtures for the roll-up: a Birmingham year with two reported projects, and two limited reviewers.

- sam: an OPCC reviewer who is also an officer of Birmingham (the self-review rule refuses him)
- lena: an OPCC reviewer without reviews.change_annex (403 on every roll-up write)
"""

import pytest
from django.contrib.auth.models import Permission

from boroughs.roles import OPCC_REVIEWER, ROLE_PERMISSIONS
from reviews.services.rollup import rollup_start
from tests.conftest import make_user
from tests.reviews.conftest import make_project, make_return


@pytest.fixture
def reported(birmingham, periods, project, alice):
    """The year, in which Birmingham reported on two projects (so the roll-up starts with two rows)."""
    make_project(birmingham, "Business crime")
    make_return(birmingham, periods[0], by=alice)
    return periods[0].year


@pytest.fixture
def rollup(reported, birmingham, rita):
    return rollup_start(borough=birmingham, year=reported, by=rita)


@pytest.fixture
def sam(birmingham):
    return make_user("sam", role=OPCC_REVIEWER, boroughs=[birmingham])


@pytest.fixture
def lena(west_midlands):
    """Everything a reviewer holds but reviews.change_annex, given directly (the role's group is shared)."""
    user = make_user("lena")
    for label in ROLE_PERMISSIONS[OPCC_REVIEWER]:
        if label != "reviews.change_annex":
            app_label, codename = label.split(".")
            user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return user


def base(year):
    return f"/review/roll-up/birmingham/{year.label}/"
