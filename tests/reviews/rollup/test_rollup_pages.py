"""The annual roll-up page: prefilled annual text, reordering and hiding rows.

Every write's personas and return paths: test_rollup_edit.py; conflicts: test_conflict_pages.py.
"""

import pytest

from reviews.models import RollUpCell, RollUpRow, Visibility
from reviews.services.review import column_commentary_save
from reviews.services.rollup import rollup_start
from tests.reviews.conftest import make_project, make_return


@pytest.fixture
def rollup(birmingham, year, project, rita):
    make_project(birmingham, "Business crime")
    return rollup_start(borough=birmingham, year=year, by=rita)


def base(year):
    return f"/review/roll-up/birmingham/{year.label}/"


def annual_cell(rollup, columns, key):
    return RollUpCell.objects.get(rollup=rollup, row__isnull=True, column=columns[key])


def test_the_annual_text_is_prefilled_from_the_quarters_shared_commentary(
    client, rollup, year, periods, columns, birmingham, rita
):
    for period, text in [(periods[0], "Q1: strong links to the Plan."), (periods[1], "Q2: links weakened.")]:
        return_ = make_return(birmingham, period)
        column_commentary_save(
            return_=return_,
            column=columns["alignment"],
            text=text,
            rag="green",
            visibility=Visibility.SHARED,
            expected_version=None,
            by=rita,
        )
    column_commentary_save(
        return_=make_return(birmingham, periods[2]),
        column=columns["alignment"],
        text="Q3 internal: not for the annex",
        rag="red",
        visibility=Visibility.OPCC_ONLY,
        expected_version=None,
        by=rita,
    )
    client.force_login(rita)
    page = client.get(base(year))
    assert page.status_code == 200
    assert "Q1: strong links to the Plan." in page.text  # the quarters side by side
    cell = annual_cell(rollup, columns, "alignment")
    form = client.get(f"{base(year)}cells/{cell.pk}/").text
    assert "Q1: strong links to the Plan." in form
    assert "Q2: links weakened." in form
    assert "Q3 internal" not in form


def test_rows_move_and_hide_with_a_reason(client, rollup, year, rita, project):
    from reviews.services.rollup import rollup_row_add

    rollup_row_add(rollup=rollup, project=project, texts={"performance": "Advocates supported 140 victims."}, by=rita)
    rollup_row_add(rollup=rollup, project=None, texts={"performance": "Local Delivery Groups"}, by=rita)
    first, second = RollUpRow.objects.filter(rollup=rollup).order_by("position")
    client.force_login(rita)
    client.post(f"{base(year)}rows/{second.pk}/move/", {"direction": "up"})
    assert list(RollUpRow.objects.filter(rollup=rollup).order_by("position")) == [second, first]

    url = f"{base(year)}rows/{first.pk}/visibility/"
    refused = client.post(url, {"intent": "hide", "reason": "", "version": first.version})
    assert "govuk-error-summary" in refused.text
    client.post(url, {"intent": "hide", "reason": "Funded by the Youth Fund, not the CSF", "version": first.version})
    first.refresh_from_db()
    assert first.hidden
    assert first.hidden_reason == "Funded by the Youth Fund, not the CSF"
    page = client.get(base(year)).text
    assert "Hidden from the annex: Funded by the Youth Fund, not the CSF" in page
    client.post(url, {"intent": "show", "version": first.version})
    first.refresh_from_db()
    assert not first.hidden


def test_officers_get_404_on_roll_up_writes(client, rollup, year, alice, columns):
    cell = annual_cell(rollup, columns, "performance")
    client.force_login(alice)
    assert client.post(f"{base(year)}cells/{cell.pk}/", {"text": "x", "version": cell.version}).status_code == 404
    cell.refresh_from_db()
    assert cell.text == ""


def test_the_page_costs_the_same_however_many_reviewers_wrote_its_commentary(
    client, rollup, year, periods, columns, birmingham, rita
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from boroughs.roles import OPCC_REVIEWER
    from tests.conftest import make_user

    returns = [make_return(birmingham, period) for period in periods]
    client.force_login(rita)

    def write(column_keys, authors):
        for key, author in zip(column_keys, authors, strict=True):
            for return_ in returns:
                column_commentary_save(
                    return_=return_, column=columns[key], text=f"{key} by {author}", rag="green",
                    visibility=Visibility.SHARED, expected_version=None, by=author,
                )  # fmt: skip

    write(["alignment"], [rita])
    client.get(base(year))  # the first request of a session also writes the session
    with CaptureQueriesContext(connection) as one_author:
        assert client.get(base(year)).status_code == 200
    others = [make_user(f"reviewer{n}", role=OPCC_REVIEWER) for n in range(4)]
    write(["performance", "innovation", "community", "marketing"], others)
    with CaptureQueriesContext(connection) as five_authors:
        response = client.get(base(year))
    assert "Reviewer3" in response.text  # each comment names its author
    assert len(five_authors) == len(one_author)
