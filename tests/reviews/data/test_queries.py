"""The year's rows are read in a fixed number of queries, however many projects it has."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from returns.models import IndicatorActual, ProjectUpdate, Return
from reviews.data import build
from tests.reviews.conftest import make_project, make_return

pytestmark = pytest.mark.django_db


def _year_with(count, birmingham, periods, alice):
    for n in range(count):
        make_project(birmingham, name=f"Project {count}-{n}")
    for period in periods[:2]:
        make_return(birmingham, period, status=Return.Status.SUBMITTED, by=alice)
    for update in ProjectUpdate.objects.select_related("project"):
        for indicator in update.project.indicators.all():
            IndicatorActual.objects.create(update=update, indicator=indicator, value=5)
    return periods[0].year


@pytest.mark.parametrize("fmt", ["xlsx", "zip"])
def test_query_count_is_flat_for_2_and_20_projects(fmt, year, periods, birmingham, alice, rita):
    rita.get_all_permissions()  # cached on the user, as in a request, so both builds start alike
    counts = []
    # The second year has 22 projects: the first round's 2 are still active and carried into its returns.
    for count in (2, 20):
        Return.objects.all().delete()
        _year_with(count, birmingham, periods, alice)
        with CaptureQueriesContext(connection) as queries:
            build(year, rita, fmt)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 15
