"""Every roll-up write (start, cell, move, hide, show): one surface, one permission, one self-review rule.

Each write is tried by the personas (rita saves; alice, an officer, gets 404; charlie, no role, 403;
lena, a reviewer without reviews.change_annex, 403; anonymous, sign-in) and by sam, a reviewer who is
also an officer of Birmingham (403, and the service itself refuses him). Then where a save returns to.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from returns.models import Return
from reviews.models import BoroughRollUp, ReviewNotAllowed, RollUpCell, RollUpRow, Visibility
from reviews.services import rollup as services
from reviews.services.review import project_commentary_save
from tests.conftest import assert_redirects_to_login
from tests.reviews.conftest import make_return

from .conftest import base

EDITS = ["start", "cell", "move", "hide", "show"]


@dataclass
class Edit:
    url: str
    data: dict
    get_status: int  # what rita's GET answers: the form (200) or 405 for a POST-only write
    applied: Callable[[], bool]
    anchor: str = ""  # where the roll-up page shows the edit (#cell-<pk>, #row-<pk>)
    annex_anchor: str = ""  # where the annex preview shows it (#<borough>-annual, #<borough>-row-<id>)


def annual_cell(rollup, key="alignment"):
    return RollUpCell.objects.get(rollup=rollup, row__isnull=True, column__key=key)


def rows(rollup):
    return list(RollUpRow.objects.filter(rollup=rollup).order_by("position"))


def make_edit(name, request):
    """One roll-up write, with the roll-up made as it needs (the start needs none yet)."""
    year, birmingham = request.getfixturevalue("reported"), request.getfixturevalue("birmingham")
    if name == "start":

        def started():
            return BoroughRollUp.objects.filter(borough=birmingham, financial_year=year).exists()

        return Edit(f"{base(year)}start/", {}, 405, started)
    rollup = request.getfixturevalue("rollup")
    first, second = rows(rollup)
    if name == "cell":
        cell = annual_cell(rollup)
        return Edit(
            f"{base(year)}cells/{cell.pk}/",
            {"text": "The year aligned to the Plan.", "version": cell.version},
            200,
            lambda: RollUpCell.objects.get(pk=cell.pk).text == "The year aligned to the Plan.",
            f"cell-{cell.pk}",
            "birmingham-annual",
        )
    if name == "move":
        return Edit(
            f"{base(year)}rows/{second.pk}/move/",
            {"direction": "up"},
            405,
            lambda: rows(rollup) == [second, first],
            f"row-{second.pk}",
            f"birmingham-row-{second.pk}",
        )
    if name == "hide":
        return Edit(
            f"{base(year)}rows/{first.pk}/visibility/",
            {"intent": "hide", "reason": "Funded by the Youth Fund.", "version": first.version},
            200,
            lambda: RollUpRow.objects.get(pk=first.pk).hidden,
            f"row-{first.pk}",
            f"birmingham-row-{first.pk}",
        )
    first.hide(reason="Counted in 2025-26.", expected_version=first.version, by=request.getfixturevalue("rita"))
    return Edit(
        f"{base(year)}rows/{first.pk}/visibility/",
        {"intent": "show", "version": first.version},
        200,
        lambda: not RollUpRow.objects.get(pk=first.pk).hidden,
        f"row-{first.pk}",
        f"birmingham-row-{first.pk}",
    )


@pytest.mark.parametrize("name", EDITS)
def test_a_reviewer_makes_each_roll_up_write(client, request, rita, name):
    edit = make_edit(name, request)
    client.force_login(rita)
    assert client.get(edit.url).status_code == edit.get_status
    assert not edit.applied()
    response = client.post(edit.url, edit.data)
    assert response.status_code == 302
    assert edit.applied()


@pytest.mark.parametrize("name", EDITS)
@pytest.mark.parametrize(("persona", "status"), [("alice", 404), ("charlie", 403), ("lena", 403), ("sam", 403)])
def test_others_are_refused_each_roll_up_write_and_nothing_changes(client, request, persona, status, name):
    edit = make_edit(name, request)
    client.force_login(request.getfixturevalue(persona))
    assert client.post(edit.url, edit.data).status_code == status
    if edit.get_status == 200:
        assert client.get(edit.url).status_code == status
    assert not edit.applied()


@pytest.mark.parametrize("name", EDITS)
def test_anonymous_users_are_sent_to_sign_in_from_each_roll_up_write(client, request, name):
    edit = make_edit(name, request)
    assert_redirects_to_login(client.post(edit.url, edit.data), edit.url)
    assert not edit.applied()


def test_every_roll_up_write_service_refuses_an_officer_of_the_borough(rollup, reported, birmingham, sam):
    """The self-review rule holds below the views too: each service raises, and nothing is written."""
    cell = annual_cell(rollup)
    first, second = rows(rollup)
    with pytest.raises(ReviewNotAllowed, match="You are an officer of this partnership"):
        services.rollup_start(borough=birmingham, year=reported, by=sam)
    with pytest.raises(ReviewNotAllowed):
        services.cell_update(cell=cell, text="Own borough's text.", expected_version=cell.version, by=sam)
    with pytest.raises(ReviewNotAllowed):
        services.row_move(row=second, direction="up", by=sam)
    with pytest.raises(ReviewNotAllowed):
        services.row_hide(row=first, reason="Mine.", expected_version=first.version, by=sam)
    first.hide(reason="Counted in 2025-26.", expected_version=first.version, by=None)
    with pytest.raises(ReviewNotAllowed):
        services.row_show(row=first, expected_version=first.version, by=sam)
    cell.refresh_from_db()
    first.refresh_from_db()
    assert (cell.text, cell.version) == ("", 1)
    assert rows(rollup) == [first, second]
    assert (first.hidden, first.hidden_reason) == (True, "Counted in 2025-26.")


def test_the_roll_up_page_offers_edits_only_to_those_who_may_make_them(client, rollup, reported, rita, sam, lena):
    cell = annual_cell(rollup)
    client.force_login(rita)
    page = client.get(base(reported)).text
    assert f'href="{base(reported)}cells/{cell.pk}/"' in page
    assert "/visibility/" in page
    assert "Move down" in page
    for reader in (sam, lena):
        client.force_login(reader)
        response = client.get(base(reported))
        assert response.status_code == 200  # reading stays in the review's scope
        assert "Annual text: Alignment to Police and Crime Plan" in response.text
        for link in ("/cells/", "/visibility/", "/move/", "Move down"):
            assert link not in response.text, (reader, link)


def test_the_start_button_shows_only_to_those_who_may_start(client, reported, rita, sam):
    client.force_login(rita)
    assert "Start the roll-up" in client.get(base(reported)).text
    client.force_login(sam)
    assert "Start the roll-up" not in client.get(base(reported)).text


def test_the_start_and_the_prefill_never_carry_opcc_only_commentary(
    client, reported, periods, birmingham, project, rita
):
    returns = [Return.objects.get(borough=birmingham, period=periods[0]), make_return(birmingham, periods[1])]
    for return_, text, visibility in [
        (returns[0], "Q1 shared: 140 victims supported.", Visibility.SHARED),
        (returns[1], "Q2 internal: doubt the figures.", Visibility.OPCC_ONLY),
    ]:
        project_commentary_save(
            return_=return_,
            project=project,
            text=text,
            rag="green",
            visibility=visibility,
            expected_version=0,
            by=rita,
        )
    client.force_login(rita)
    assert client.post(f"{base(reported)}start/").status_code == 302
    row = RollUpRow.objects.get(rollup__borough=birmingham, project=project)
    performance = RollUpCell.objects.get(row=row, column__key="performance")
    assert performance.text == "Q1: Q1 shared: 140 victims supported."
    # An emptied cell's form starts again from the same draft, still without the OPCC-only text.
    performance.save_text(text="", expected_version=performance.version, by=rita)
    form = client.get(f"{base(reported)}cells/{performance.pk}/").text
    assert "Q1: Q1 shared: 140 victims supported." in form
    assert "Q2 internal" not in form


# Where a save returns: the annex preview when the edit came from it, else the roll-up page.


@pytest.mark.parametrize("name", ["cell", "move", "hide", "show"])
def test_a_save_returns_to_the_roll_up_at_the_edited_cell_or_row(client, request, reported, rita, name):
    edit = make_edit(name, request)
    client.force_login(rita)
    assert client.post(edit.url, edit.data)["Location"] == f"{base(reported)}#{edit.anchor}"


@pytest.mark.parametrize("name", ["cell", "move", "hide", "show"])
def test_from_the_annex_a_save_returns_to_the_preview_at_the_same_row(client, request, reported, rita, name):
    edit = make_edit(name, request)
    client.force_login(rita)
    response = client.post(f"{edit.url}?from=annex", edit.data)
    # The preview shows one borough a page: back to this one's page, at the row.
    assert response["Location"] == f"/annex/{reported.label}/?borough=birmingham#{edit.annex_anchor}"


def test_a_project_row_cell_from_the_annex_returns_to_its_row(client, rollup, reported, rita):
    first = rows(rollup)[0]
    cell = RollUpCell.objects.get(row=first, column__key="community")
    client.force_login(rita)
    url = f"{base(reported)}cells/{cell.pk}/?from=annex"
    page = client.get(url).text
    back = f"/annex/{reported.label}/?borough=birmingham#birmingham-row-{first.pk}"
    assert f'<a href="{back}" class="govuk-back-link">Back to the annex</a>' in page
    assert client.post(url, {"text": "Two road shows.", "version": cell.version})["Location"] == back


@pytest.mark.parametrize("value", ["ANNEX", "annex2", "/annex/", "https://example.com/", ""])
def test_only_the_literal_from_annex_leads_back_to_the_preview(client, rollup, reported, rita, value):
    cell = annual_cell(rollup)
    client.force_login(rita)
    response = client.post(
        f"{base(reported)}cells/{cell.pk}/?from={value}", {"text": "Aligned.", "version": cell.version}
    )
    assert response["Location"] == f"{base(reported)}#cell-{cell.pk}"


def test_a_row_moves_only_up_or_down(client, rollup, reported, rita):
    first, second = rows(rollup)
    client.force_login(rita)
    for direction in ("sideways", ""):
        assert client.post(f"{base(reported)}rows/{first.pk}/move/", {"direction": direction}).status_code == 302
        assert rows(rollup) == [first, second]
    client.post(f"{base(reported)}rows/{first.pk}/move/", {"direction": "up"})  # already first
    assert rows(rollup) == [first, second]
    client.post(f"{base(reported)}rows/{first.pk}/move/", {"direction": "down"})
    assert rows(rollup) == [second, first]


def test_hiding_needs_a_reason_and_showing_is_a_confirmation(client, rollup, reported, rita):
    first = rows(rollup)[0]
    url = f"{base(reported)}rows/{first.pk}/visibility/"
    client.force_login(rita)
    form = client.get(url).text
    assert "Why is this row hidden from the annex?" in form
    refused = client.post(url, {"intent": "hide", "reason": "", "version": first.version})
    assert refused.status_code == 200
    assert "Enter why the row is hidden from the annex" in refused.text
    first.refresh_from_db()
    assert not first.hidden
    client.post(url, {"intent": "hide", "reason": "Funded by the Youth Fund.", "version": first.version})
    first.refresh_from_db()
    assert (first.hidden, first.hidden_reason) == (True, "Funded by the Youth Fund.")
    confirm = client.get(url).text
    assert "It is hidden from the annex because: Funded by the Youth Fund." in confirm
    assert "Show row in the annex" in confirm
    assert "Why is this row hidden" not in confirm


def test_a_cell_or_row_of_another_borough_or_year_is_404(client, rollup, reported, coventry, rita):
    cell = annual_cell(rollup)
    row = rows(rollup)[0]
    client.force_login(rita)
    other_borough = f"/review/roll-up/coventry/{reported.label}/"
    assert client.get(f"{other_borough}cells/{cell.pk}/").status_code == 404
    assert client.post(f"{other_borough}rows/{row.pk}/move/", {"direction": "up"}).status_code == 404
    assert client.get(f"{other_borough}rows/{row.pk}/visibility/").status_code == 404
    assert client.get(f"/review/roll-up/birmingham/1999-00/cells/{cell.pk}/").status_code == 404
