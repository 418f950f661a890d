"""People fixtures: accounts in mixed states (active, invited, deactivated, with and without two-step verification,
a superuser), and the invitation email's link."""

import re

import pytest
from django.contrib.auth.models import Group, Permission

from boroughs.models import Membership
from boroughs.roles import CSP_OFFICER, OPCC_REVIEWER
from tests.boroughs.accounts.conftest import with_totp
from tests.conftest import make_user

PEOPLE = "/people/"
INVITE = "/people/invite/"


def person_url(person, action=""):
    return f"/people/{person.pk}/{action}"


def invitation_link(message):
    """The set-password link in an invitation email (path only), checking both parts carry it."""
    path = re.search(r"http://testserver(/people/welcome/\S+/\S+/)", message.body).group(1)
    assert f'href="http://testserver{path}"' in message.alternatives[0][0]
    return path


def invite_data(**changes):
    return {
        "first_name": "Dee",
        "last_name": "Dudley",
        "email": "Dee.Dudley@Dudley.gov.uk",
        "username": "",
        "role": "officer",
        "boroughs": [],
        **changes,
    }


@pytest.fixture
def dudley(west_midlands):
    return west_midlands.get(slug="dudley")


@pytest.fixture
def sam(west_midlands):
    """A superuser, made with `createsuperuser`."""
    return make_user("sam", is_superuser=True, is_staff=True)


@pytest.fixture
def olive(west_midlands, birmingham, dudley):
    """An officer of two boroughs with two-step verification on, signed in before."""
    user = make_user("olive", role=CSP_OFFICER, boroughs=[birmingham, dudley], last_name="Oakes")
    Membership.objects.filter(user=user, borough=birmingham).update(job_title="Partnership manager")
    with_totp(user)
    return user


@pytest.fixture
def ivan(west_midlands):
    """Invited as a reviewer, has not chosen a password yet."""
    user = make_user("ivan", role=OPCC_REVIEWER)
    user.set_unusable_password()
    user.save()
    return user


@pytest.fixture
def dora(birmingham):
    """A deactivated officer."""
    return make_user("dora", role=CSP_OFFICER, boroughs=[birmingham], is_active=False)


@pytest.fixture
def everything_group(db):
    """A group no People form may hand out: it holds every permission there is."""
    group = Group.objects.create(name="Everything")
    group.permissions.set(Permission.objects.all())
    return group
