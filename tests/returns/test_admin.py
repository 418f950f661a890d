"""The Django admin lists Plans and their priorities, the returns app's reference data.

The admin is for superusers only (boroughs/admin.py); OPCC admins are sent to its sign-in, which refuses them.
"""

import pytest

from returns.models import FinancialYear, Plan, PlanPriority
from returns.reference import PLAN_2015_16, PRIORITIES_2015_16, ensure_plan
from tests.conftest import make_user


@pytest.fixture
def sam(west_midlands):
    return make_user("sam", is_superuser=True, is_staff=True)


@pytest.fixture
def seeded_plan(db):
    """The 2015-16 Plan that migration returns/0003 seeds, made again here: a transactional test run earlier in the
    session flushes migration data."""
    ensure_plan(Plan, PlanPriority, FinancialYear, name=PLAN_2015_16, priorities=PRIORITIES_2015_16, year_start=2015)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "/admin/returns/planpriority/",
            [f"{len(PRIORITIES_2015_16)} plan priorities", "Domestic abuse and violence"],
        ),
        ("/admin/returns/plan/", ["West Midlands Police and Crime Plan 2015-16"]),
    ],
)
def test_plan_changelists_list_the_seeded_plan(client, sam, adam, seeded_plan, url, shown):
    client.force_login(sam)
    response = client.get(url)
    assert response.status_code == 200
    for text in shown:
        assert text in response.text
    client.force_login(adam)
    assert client.get(url)["Location"] == f"/admin/login/?next={url}"
