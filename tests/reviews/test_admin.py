"""The Django admin lists the review's reference data: annex columns and flag types.

The admin is for superusers only (boroughs/admin.py); OPCC admins are sent to its sign-in, which refuses them.
"""

import pytest

from tests.conftest import make_user


@pytest.fixture
def sam(west_midlands):
    return make_user("sam", is_superuser=True, is_staff=True)


@pytest.mark.parametrize(
    ("url", "rows"),
    [
        ("/admin/reviews/annexcolumn/", ["Alignment to Police and Crime Plan", "Community engagement"]),
        ("/admin/reviews/flagtype/", ["Outcomes not quantified"]),
    ],
)
def test_each_changelist_lists_the_reference_data(client, sam, adam, year, url, rows):
    client.force_login(sam)
    response = client.get(url)
    assert response.status_code == 200
    for row in rows:
        assert row in response.text
    client.force_login(adam)
    assert client.get(url)["Location"] == f"/admin/login/?next={url}"


def test_annex_columns_filter_by_year(client, sam, year):
    client.force_login(sam)
    response = client.get(f"/admin/reviews/annexcolumn/?financial_year__id__exact={year.pk}")
    assert response.status_code == 200
    assert "5 annex columns" in response.text
