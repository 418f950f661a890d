"""The History tabs: who changed what and why, with before and after, and no OPCC-only text for officers."""

import pytest

from returns.models import Risk
from reviews.models import FlagType, Visibility
from reviews.services.review import (
    column_commentary_save,
    flag_raise,
    return_accept,
    return_reopen,
    return_request_changes,
)
from reviews.services.rollup import cell_update, row_hide, row_move
from tests.conftest import assert_redirects_to_login


def url(return_):
    return f"/returns/{return_.pk}/history/"


@pytest.fixture
def reviewed(submitted, columns, rita, alice, client):
    """Changes requested, an officer edit through the web (so the history knows who), comments of both kinds."""
    column_commentary_save(
        return_=submitted,
        column=columns["alignment"],
        text="Few links are made to the Plan.",
        rag="amber",
        visibility=Visibility.SHARED,
        expected_version=None,
        by=rita,
    )
    column_commentary_save(
        return_=submitted,
        column=columns["performance"],
        text="SECRET: possible double counting with the Youth Fund",
        rag="red",
        visibility=Visibility.OPCC_ONLY,
        expected_version=None,
        by=rita,
    )
    return_request_changes(return_=submitted, by=rita, reason="Quantify the outcomes.", sections=["alignment"])
    section = submitted.sections.get(key="alignment")
    client.force_login(alice)
    response = client.post(
        f"/returns/{submitted.pk}/alignment/",
        {
            "statement": "Aligned to the domestic abuse priority: 131 referrals.",
            "completed": "yes",
            "version": section.version,
            "save": "",
        },
    )
    assert response.status_code == 302
    client.logout()
    return submitted


def test_officer_sees_reasons_diffs_and_shared_comments_only(client, reviewed, alice):
    client.force_login(alice)
    response = client.get(url(reviewed))
    assert response.status_code == 200
    html = response.text
    assert "Changes requested" in html
    assert "Quantify the outcomes." in html
    # The field-level diff of the officer's edit, with who made it.
    assert "Alignment statement" in html
    assert "Supports the Plan&#x27;s domestic abuse priority." in html
    assert "Aligned to the domestic abuse priority: 131 referrals." in html
    assert "Alice" in html
    assert "Few links are made to the Plan." in html
    assert "SECRET" not in html
    assert "double counting" not in html


def test_reviewer_sees_everything(client, reviewed, rita):
    client.force_login(rita)
    html = client.get(url(reviewed)).text
    assert "SECRET: possible double counting with the Youth Fund" in html
    assert "Quantify the outcomes." in html


def test_an_opcc_only_comment_made_shared_later_keeps_its_past_private(client, reviewed, columns, rita, alice):
    from reviews.models import ColumnCommentary

    comment = ColumnCommentary.objects.get(borough=reviewed.borough, column=columns["performance"])
    column_commentary_save(
        return_=reviewed,
        column=columns["performance"],
        text="Outcomes now evidenced.",
        rag="green",
        visibility=Visibility.SHARED,
        expected_version=comment.version,
        by=rita,
    )
    client.force_login(alice)
    html = client.get(url(reviewed)).text
    assert "Outcomes now evidenced." in html
    assert "SECRET" not in html


def test_history_records_every_kind_of_part(client, reviewed, alice, rita, adam, columns):
    Risk.objects.create(return_of=reviewed, description="Fixed-term funding", likelihood=4, impact=3)
    flag_raise(
        return_=reviewed,
        flag_type=FlagType.objects.first(),
        column=columns["performance"],
        note="No impact assessment is given",
        visibility=Visibility.SHARED,
        by=rita,
    )
    client.force_login(rita)
    html = client.get(url(reviewed)).text
    assert "Risk: Fixed-term funding" in html
    assert "Evidence flag" in html
    assert "No impact assessment is given" in html
    assert "Section: Alignment to the Police and Crime Plan" in html


def add_and_edit_risks(return_, prefix, count):
    """Each risk is added and then edited, so the page diffs consecutive versions, not only lists new rows."""
    for n in range(count):
        risk = Risk.objects.create(return_of=return_, description=f"{prefix} {n}", likelihood=2, impact=2)
        risk.likelihood, risk.mitigation = 4, f"Mitigation {prefix} {n}"
        risk.save()


def test_history_queries_do_not_grow_with_the_changes(client, reviewed, rita):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(rita)
    client.get(url(reviewed))
    add_and_edit_risks(reviewed, "Risk", 15)
    with CaptureQueriesContext(connection) as before:
        client.get(url(reviewed))
    add_and_edit_risks(reviewed, "More risk", 15)
    with CaptureQueriesContext(connection) as after:
        response = client.get(url(reviewed))
    assert "More risk 14" in response.text
    assert "Mitigation More risk 14" in response.text
    assert len(after.captured_queries) == len(before.captured_queries)


def test_reopen_is_on_the_timeline_with_its_reason(client, reviewed, alice, rita, adam):
    from returns.services import return_submit

    return_submit(return_=reviewed, by=alice)
    return_accept(return_=reviewed, by=rita)
    return_reopen(return_=reviewed, by=adam, reason="Walsall figures were double counted")
    client.force_login(alice)
    html = client.get(url(reviewed)).text
    assert "Reopened" in html
    assert "Walsall figures were double counted" in html


def test_officer_of_another_borough_gets_404(client, reviewed, bob):
    client.force_login(bob)
    assert client.get(url(reviewed)).status_code == 404


def test_user_without_permission_gets_403(client, reviewed, charlie):
    client.force_login(charlie)
    assert client.get(url(reviewed)).status_code == 403


def test_anonymous_is_sent_to_login(client, reviewed):
    assert_redirects_to_login(client.get(url(reviewed)), url(reviewed))


# The roll-up's history: OPCC only.


@pytest.fixture
def rollup(birmingham, year, project, rita):
    from reviews.services.rollup import rollup_start

    return rollup_start(borough=birmingham, year=year, by=rita)


def rollup_url(year):
    return f"/review/roll-up/birmingham/{year.label}/history/"


def test_rollup_history_shows_cell_edits_moves_and_hidden_reasons(client, rollup, year, rita):
    from reviews.models import RollUpRow
    from reviews.services.rollup import rollup_row_add

    rollup_row_add(rollup=rollup, project=None, texts={"performance": "Second row"}, by=rita)
    cell = rollup.cells.filter(row__isnull=True).first()
    client.force_login(rita)
    client.post(
        f"/review/roll-up/birmingham/{year.label}/cells/{cell.pk}/",
        {"text": "Thematic areas all align to the Plan.", "version": cell.version},
    )
    cell.refresh_from_db()
    cell_update(cell=cell, text="Thematic areas align to the Plan.", expected_version=cell.version, by=rita)
    row = RollUpRow.objects.filter(rollup=rollup).order_by("position").last()
    row_move(row=row, direction="up", by=rita)
    row.refresh_from_db()
    row_hide(row=row, reason="Funded by the Youth Fund, not the CSF", expected_version=row.version, by=rita)

    response = client.get(rollup_url(year))
    assert response.status_code == 200
    html = response.text
    assert "Thematic areas all align to the Plan." in html
    assert "Thematic areas align to the Plan." in html
    assert "Funded by the Youth Fund, not the CSF" in html
    assert "Position" in html
    assert "Hidden" in html


def test_rollup_history_is_404_for_officers_403_without_role_and_login_for_anonymous(
    client, rollup, year, alice, charlie
):
    client.force_login(alice)
    assert client.get(rollup_url(year)).status_code == 404
    client.force_login(charlie)
    assert client.get(rollup_url(year)).status_code == 403
    client.logout()
    assert_redirects_to_login(client.get(rollup_url(year)), rollup_url(year))


def test_rollup_history_queries_do_not_grow(client, rollup, year, rita):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reviews.services.rollup import rollup_row_add

    client.force_login(rita)
    rollup_row_add(rollup=rollup, project=None, texts={"performance": "First"}, by=rita)
    with CaptureQueriesContext(connection) as before:
        client.get(rollup_url(year))
    for n in range(10):
        rollup_row_add(rollup=rollup, project=None, texts={"performance": f"Row {n}"}, by=rita)
    with CaptureQueriesContext(connection) as after:
        response = client.get(rollup_url(year))
    assert "Row 9" in response.text
    assert len(after.captured_queries) == len(before.captured_queries)
