"""One conflict page (boroughs/conflicts.py) for every versioned edit of the review: roll-up cell text,
hiding and showing a row, the annex's details, column and project commentary.

In each, adam saves first and rita then saves from the version she had opened: she gets a 409 page
with adam's saved value and her own side by side, her input kept in a form carrying adam's version,
and saving that form again replaces adam's value deliberately.
"""

import re
from html import unescape

import pytest

from reviews.models import Annex, ColumnCommentary, ProjectCommentary, RollUpCell, RollUpRow

from .conftest import base


def field_value(html, name):
    """What the page's form holds for a field: a textarea's text, or an input's value."""
    textarea = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', html, re.S)
    if textarea:
        return unescape(textarea.group(1)).strip("\n")
    return unescape(re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', html).group(1))


def cells_of(html):
    """The comparison table: {label: (theirs, mine)}."""
    rows = re.findall(
        r'<th scope="row" class="govuk-table__header">(.*?)(?:<br>.*?)?</th>\s*'
        r'<td class="govuk-table__cell app-prewrap">(.*?)</td>\s*<td class="govuk-table__cell app-prewrap">(.*?)</td>',
        html,
        re.S,
    )
    return {unescape(label): (unescape(theirs), unescape(mine)) for label, theirs, mine in rows}


def assert_conflict_page(response, *, saved_by, heading):
    assert response.status_code == 409
    html = response.text
    assert f"Someone else saved {heading} while you were editing" in html
    assert f"Saved by {saved_by}</th>" in html
    assert "Discard my changes and keep theirs" in html
    return html


def test_a_cell_conflict_shows_both_texts_and_saves_mine_deliberately(client, rollup, rita, adam):
    cell = RollUpCell.objects.get(rollup=rollup, row__isnull=True, column__key="performance")
    url = f"{base(rollup.financial_year)}cells/{cell.pk}/"
    opened = cell.version
    client.force_login(adam)
    assert client.post(url, {"text": "Adam's annual text.", "version": opened}).status_code == 302
    client.force_login(rita)
    html = assert_conflict_page(
        client.post(url, {"text": "Rita's annual text.", "version": opened}),
        saved_by="Adam",
        heading="Performance: Impact and Risk Assessment (annual text)",
    )
    assert cells_of(html) == {
        "Performance: Impact and Risk Assessment": ("Adam's annual text.", "Rita's annual text.")
    }
    cell.refresh_from_db()
    assert (cell.text, cell.version) == ("Adam's annual text.", opened + 1)
    assert field_value(html, "text") == "Rita's annual text."
    assert field_value(html, "version") == str(cell.version)

    assert (
        client.post(url, {"text": field_value(html, "text"), "version": field_value(html, "version")}).status_code
        == 302
    )
    cell.refresh_from_db()
    assert (cell.text, cell.updated_by) == ("Rita's annual text.", rita)


def test_a_hide_conflict_shows_both_reasons_and_hides_with_mine(client, rollup, rita, adam):
    row = RollUpRow.objects.filter(rollup=rollup).order_by("position").first()
    url = f"{base(rollup.financial_year)}rows/{row.pk}/visibility/"
    opened = row.version
    client.force_login(adam)
    client.post(url, {"intent": "hide", "reason": "Adam's reason.", "version": opened})
    client.force_login(rita)
    html = assert_conflict_page(
        client.post(url, {"intent": "hide", "reason": "Rita's reason.", "version": opened}),
        saved_by="Adam",
        heading=f"whether {row.title} is in the annex",
    )
    assert cells_of(html) == {
        "In the annex": ("Hidden", "Hidden"),
        "Why is this row hidden from the annex?": ("Adam's reason.", "Rita's reason."),
    }
    row.refresh_from_db()
    assert row.hidden_reason == "Adam's reason."
    assert field_value(html, "reason") == "Rita's reason."
    assert field_value(html, "intent") == "hide"
    assert field_value(html, "version") == str(row.version)

    client.post(
        url, {"intent": "hide", "reason": field_value(html, "reason"), "version": field_value(html, "version")}
    )
    row.refresh_from_db()
    assert (row.hidden, row.hidden_reason, row.updated_by) == (True, "Rita's reason.", rita)


def test_a_stale_show_is_a_conflict_not_silently_ignored(client, rollup, rita, adam):
    """Before, a stale "show" left the row hidden and said nothing."""
    row = RollUpRow.objects.filter(rollup=rollup).order_by("position").first()
    row.hide(reason="Counted in 2025-26.", expected_version=row.version, by=adam)
    url = f"{base(rollup.financial_year)}rows/{row.pk}/visibility/"
    opened = row.version
    # Adam shows it and hides it again for another reason while Rita's confirmation page is open.
    row.show(expected_version=row.version, by=adam)
    row.hide(reason="Double counted with the Youth Fund.", expected_version=row.version, by=adam)
    client.force_login(rita)
    html = assert_conflict_page(
        client.post(url, {"intent": "show", "version": opened}),
        saved_by="Adam",
        heading=f"whether {row.title} is in the annex",
    )
    assert cells_of(html) == {
        "In the annex": ("Hidden", "Shown"),
        "Why it is hidden": ("Double counted with the Youth Fund.", "Not given"),
    }
    row.refresh_from_db()
    assert (row.hidden, row.hidden_reason) == (True, "Double counted with the Youth Fund.")
    assert field_value(html, "intent") == "show"
    assert field_value(html, "version") == str(row.version)
    assert "Show row in the annex" in html

    assert client.post(url, {"intent": "show", "version": field_value(html, "version")}).status_code == 302
    row.refresh_from_db()
    assert (row.hidden, row.hidden_reason, row.updated_by) == (False, "", rita)


@pytest.fixture
def annex(year):
    return Annex.objects.create(financial_year=year, title="Outcome Reporting 2026-27")


def test_an_annex_details_conflict_names_no_one_and_saves_mine_deliberately(client, annex, rita, adam):
    """An annex records no updated_by: the page says "someone else" rather than failing."""
    url = f"/annex/{annex.financial_year.label}/details/"
    data = {"label": "Annex 1", "introduction": "", "version": annex.version}
    client.force_login(adam)
    assert client.post(url, {**data, "title": "Adam's title"}).status_code == 302
    client.force_login(rita)
    html = assert_conflict_page(
        client.post(url, {**data, "title": "Rita's title"}), saved_by="someone else", heading="the annex’s details"
    )
    assert cells_of(html)["Title"] == ("Adam's title", "Rita's title")
    annex.refresh_from_db()
    assert annex.title == "Adam's title"
    assert field_value(html, "title") == "Rita's title"
    assert field_value(html, "version") == str(annex.version)

    client.post(url, {**data, "title": field_value(html, "title"), "version": field_value(html, "version")})
    annex.refresh_from_db()
    assert (annex.title, annex.version) == ("Rita's title", 3)


@pytest.mark.parametrize("kind", ["column", "project"])
def test_a_commentary_conflict_shows_both_and_saves_mine_deliberately(client, submitted, project, rita, adam, kind):
    if kind == "column":
        url, model, subject = (
            f"/review/returns/{submitted.pk}/columns/alignment/",
            ColumnCommentary,
            "Alignment to Police and Crime Plan",
        )
    else:
        url, model, subject = f"/review/returns/{submitted.pk}/projects/{project.pk}/", ProjectCommentary, project.name
    client.force_login(adam)
    assert (
        client.post(url, {"text": "Adam's view.", "rag": "green", "visibility": "shared", "version": 0}).status_code
        == 302
    )
    client.force_login(rita)
    html = assert_conflict_page(
        client.post(url, {"text": "Rita's view.", "rag": "red", "visibility": "opcc", "version": 0}),
        saved_by="Adam",
        heading=f"the commentary on {subject}",
    )
    assert "Birmingham · " in html  # under the return's header
    assert cells_of(html) == {
        "Commentary": ("Adam's view.", "Rita's view."),
        "Reviewer RAG rating": ("Green", "Red"),
        "Who can see this?": ("Shared with the partnership", "OPCC only"),
    }
    saved = model.objects.get()
    assert (saved.text, saved.version, saved.updated_by) == ("Adam's view.", 1, adam)
    assert field_value(html, "text") == "Rita's view."
    assert field_value(html, "version") == "1"

    again = {
        "text": field_value(html, "text"),
        "rag": "red",
        "visibility": "opcc",
        "version": field_value(html, "version"),
    }
    assert client.post(url, again).status_code == 302
    saved.refresh_from_db()
    assert (saved.text, saved.rag, saved.visibility, saved.updated_by) == ("Rita's view.", "red", "opcc", rita)
