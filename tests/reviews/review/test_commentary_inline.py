"""Commentary written on the review page itself, beside the part of the return it is about (issue 15).

Each card holds its own form (prefixed with the card's id), posting to the commentary's URL: without
JavaScript the save comes back to the card with a confirmation there; with it (X-Requested-With: fetch)
the server answers with the card as JSON. Visibility is a required choice with no default.
"""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from boroughs.roles import OPCC_REVIEWER
from reviews.models import ColumnCommentary, Flag, FlagType, ProjectCommentary, Visibility
from reviews.services import review as services
from tests.conftest import make_user
from tests.reviews.conftest import make_project, make_return

FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


def card_post(card, version=0, **fields):
    data = {f"{card}-{name}": value for name, value in fields.items()}
    return {**data, "version": version}


def radio_checked(html, name):
    """The values of the checked radios called `name` in a page."""
    pattern = rf'<input\s+type="radio"\s+name="{re.escape(name)}"[^>]*?value="([^"]*)"\s+checked'
    return re.findall(pattern, html)


def test_every_card_of_the_review_page_has_its_own_form(client, rita, submitted, columns, project):
    client.force_login(rita)
    page = client.get(f"/review/returns/{submitted.pk}/").text
    for key in columns:
        assert f'action="/review/returns/{submitted.pk}/columns/{key}/"' in page
        assert f'name="column-{key}-text"' in page
    assert f'action="/review/returns/{submitted.pk}/projects/{project.pk}/"' in page
    assert f'name="project-{project.pk}-visibility"' in page
    # Unique ids however many forms: the Nu checker in the browser tests would refuse duplicates.
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    # Visibility is a deliberate choice: nothing is checked on an empty card.
    assert radio_checked(page, "column-alignment-visibility") == []
    assert 'src="/static/js/review-inline.js"' in page
    assert "data-review-announce" in page


def test_saved_visibility_shows_for_existing_commentary(client, rita, submitted, columns):
    services.column_commentary_save(
        return_=submitted, column=columns["innovation"], text="Novel.", rag="", visibility="opcc",
        expected_version=0, by=rita,
    )  # fmt: skip
    client.force_login(rita)
    page = client.get(f"/review/returns/{submitted.pk}/").text
    assert radio_checked(page, "column-innovation-visibility") == ["opcc"]
    assert radio_checked(page, "column-alignment-visibility") == []
    # The commentary's own page too: the saved value, never a default.
    own = client.get(f"/review/returns/{submitted.pk}/columns/innovation/").text
    assert radio_checked(own, "visibility") == ["opcc"]
    assert radio_checked(client.get(f"/review/returns/{submitted.pk}/columns/alignment/").text, "visibility") == []


def test_flag_form_has_no_default_visibility(client, rita, submitted, columns):
    client.force_login(rita)
    page = client.get(f"/review/returns/{submitted.pk}/flags/add/").text
    assert radio_checked(page, "visibility") == []


def test_officers_and_own_borough_reviewers_get_no_forms(client, alice, submitted, columns, birmingham):
    client.force_login(alice)
    assert "data-review-inline" not in client.get(f"/returns/{submitted.pk}/").text
    both = make_user("rory", role=OPCC_REVIEWER, boroughs=[birmingham])
    client.force_login(both)
    page = client.get(f"/review/returns/{submitted.pk}/").text
    assert "You can read its return but not review it." in page
    assert "data-review-inline" not in page


def test_draft_return_has_no_forms(client, rita, birmingham, periods, project, alice):
    draft = make_return(birmingham, periods[1], status="draft", by=alice)
    client.force_login(rita)
    assert "data-review-inline" not in client.get(f"/review/returns/{draft.pk}/").text


def test_save_without_javascript_returns_to_the_card_with_a_confirmation(client, rita, submitted, columns):
    client.force_login(rita)
    url = f"/review/returns/{submitted.pk}/columns/performance/"
    response = client.post(url, card_post("column-performance", text="Strong delivery.", rag="green",
                                          visibility="shared"))  # fmt: skip
    assert response.status_code == 302
    assert response["Location"] == f"/review/returns/{submitted.pk}/#column-performance"
    saved = ColumnCommentary.objects.get()
    assert (saved.text, saved.rag, saved.visibility, saved.updated_by) == ("Strong delivery.", "green", "shared", rita)
    page = client.get(response["Location"]).text
    card = page.split('id="column-performance-commentary"')[1].split('id="column-innovation"')[0]
    assert "Commentary on Performance: Impact and Risk Assessment saved" in card
    assert 'role="alert"' in card
    # Once only: the next visit shows no confirmation.
    assert "saved</p>" not in client.get(response["Location"]).text


def test_project_card_saves_too(client, rita, submitted, project):
    client.force_login(rita)
    card = f"project-{project.pk}"
    response = client.post(
        f"/review/returns/{submitted.pk}/projects/{project.pk}/",
        card_post(card, text="On track.", rag="amber", visibility="opcc"),
    )
    assert response["Location"] == f"/review/returns/{submitted.pk}/#{card}"
    saved = ProjectCommentary.objects.get()
    assert (saved.text, saved.rag, saved.visibility) == ("On track.", "amber", "opcc")


def test_the_commentary_page_returns_to_the_card_too(client, rita, submitted, columns):
    client.force_login(rita)
    response = client.post(
        f"/review/returns/{submitted.pk}/columns/alignment/",
        {"text": "Aligned.", "rag": "", "visibility": "shared", "version": 0},
    )
    assert response["Location"] == f"/review/returns/{submitted.pk}/#column-alignment"
    assert "Commentary on Alignment to Police and Crime Plan saved" in client.get(response["Location"]).text


def test_missing_visibility_without_javascript_keeps_the_text_and_says_why(client, rita, submitted, columns):
    client.force_login(rita)
    response = client.post(
        f"/review/returns/{submitted.pk}/columns/marketing/",
        card_post("column-marketing", text="Typed text.", rag="red"),
    )
    assert response.status_code == 200
    html = response.text
    assert "Select who can see this" in html
    assert "govuk-error-summary" in html
    assert "Typed text.</textarea>" in html
    assert radio_checked(html, "column-marketing-rag") == ["red"]
    assert not ColumnCommentary.objects.exists()
    # The refused form posts back to the same place, and saving it then returns to the card.
    response = client.post(
        f"/review/returns/{submitted.pk}/columns/marketing/",
        card_post("column-marketing", text="Typed text.", rag="red", visibility="opcc"),
    )
    assert response["Location"].endswith("#column-marketing")


def test_fetch_save_answers_with_the_card(client, rita, submitted, columns):
    client.force_login(rita)
    url = f"/review/returns/{submitted.pk}/columns/community/"
    response = client.post(url, card_post("column-community", text="Good reach.", visibility="shared"), **FETCH)
    assert response.status_code == 200
    data = response.json()
    assert data["ok"] is True
    assert data["message"] == f"Commentary on {columns['community'].heading} saved"
    assert "Good reach." in data["html"]
    assert 'id="column-community-commentary"' in data["html"]
    # The card comes back on the new version, so the next save from it is not a conflict.
    assert 'name="version" value="1"' in data["html"]
    assert 'role="region"' in data["html"]  # not an alert: the script announces it in the live region
    assert radio_checked(data["html"], "column-community-visibility") == ["shared"]
    # No redirect and no confirmation left over for a later page load.
    assert "saved</p>" not in client.get(f"/review/returns/{submitted.pk}/").text
    second = client.post(
        url, card_post("column-community", version=1, text="Good reach, again.", visibility="opcc"), **FETCH
    )
    assert second.json()["ok"] is True
    assert ColumnCommentary.objects.get().visibility == Visibility.OPCC_ONLY


def test_fetch_refused_answers_with_messages_next_to_the_fields(client, rita, submitted, columns):
    client.force_login(rita)
    response = client.post(
        f"/review/returns/{submitted.pk}/columns/innovation/",
        card_post("column-innovation", text="Kept as typed.", rag="amber"),
        **FETCH,
    )
    assert response.status_code == 400
    data = response.json()
    assert data["ok"] is False
    assert "Select who can see this" in data["html"]
    assert "Kept as typed.</textarea>" in data["html"]
    assert radio_checked(data["html"], "column-innovation-rag") == ["amber"]
    assert not ColumnCommentary.objects.exists()


def test_fetch_conflict_asks_the_script_to_post_normally_and_the_conflict_page_keeps_both(
    client, rita, adam, submitted, columns
):
    url = f"/review/returns/{submitted.pk}/columns/alignment/"
    services.column_commentary_save(
        return_=submitted, column=columns["alignment"], text="Adam's view", rag="", visibility="shared",
        expected_version=0, by=adam,
    )  # fmt: skip
    client.force_login(rita)
    mine = card_post("column-alignment", version=0, text="Rita's view", rag="red", visibility="opcc")
    response = client.post(url, mine, **FETCH)
    assert response.status_code == 409
    assert response.json() == {"ok": False, "conflict": True}
    # The script then posts the same form the ordinary way: the shared conflict page.
    response = client.post(url, mine)
    assert response.status_code == 409
    assert "Someone else saved the commentary on Alignment to Police and Crime Plan" in response.text
    assert "Rita&#x27;s view</textarea>" in response.text
    assert 'name="version" value="1"' in response.text
    assert ColumnCommentary.objects.get().text == "Adam's view"
    # Saving from the conflict page (same prefixed names, the saved version) replaces theirs deliberately.
    response = client.post(url, {**mine, "version": 1})
    assert response["Location"].endswith("#column-alignment")
    assert ColumnCommentary.objects.get().text == "Rita's view"


def test_fetch_refused_by_the_rules_shows_the_reason_in_the_card(client, rita, submitted, columns):
    services.return_accept(return_=submitted, by=rita)
    client.force_login(rita)
    submitted.status = "draft"
    submitted.save(update_fields=["status"])
    response = client.post(
        f"/review/returns/{submitted.pk}/columns/alignment/",
        card_post("column-alignment", text="Too early.", visibility="shared"),
        **FETCH,
    )
    assert response.status_code == 400
    assert "This return has not been submitted yet." in response.json()["html"]
    assert not ColumnCommentary.objects.exists()


def _review_page_queries(client, return_):
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(f"/review/returns/{return_.pk}/").text
    return len(ctx.captured_queries), page


def _comment_everything(return_, columns, by):
    for column in columns.values():
        ColumnCommentary.objects.filter(column=column).exists() or services.column_commentary_save(
            return_=return_, column=column, text="Seen.", rag="", visibility="opcc", expected_version=0, by=by
        )
    for update in return_.project_updates.select_related("project"):
        if not ProjectCommentary.objects.filter(project=update.project).exists():
            services.project_commentary_save(
                return_=return_, project=update.project, text=f"Note on {update.project.name}", rag="green",
                visibility="shared", expected_version=0, by=by,
            )  # fmt: skip


def test_review_page_queries_do_not_grow_with_projects_and_commentary(
    client, rita, alice, birmingham, periods, columns
):
    make_project(birmingham, name="Project 0")
    one = make_return(birmingham, periods[0], by=alice)
    _comment_everything(one, columns, rita)
    for n in range(1, 9):
        make_project(birmingham, name=f"Project {n}")
    nine = make_return(birmingham, periods[1], by=alice)
    _comment_everything(nine, columns, rita)
    client.force_login(rita)
    client.get(f"/review/returns/{one.pk}/")  # the session's first write is not the page's
    few, page_one = _review_page_queries(client, one)
    many, page_nine = _review_page_queries(client, nine)
    assert page_one.count("data-review-inline") == 1 + len(columns)
    assert page_nine.count("data-review-inline") == 9 + len(columns)
    assert "Note on Project 8" in page_nine
    assert many == few


def test_a_flag_is_raised_from_the_review_page(client, rita, submitted, columns, project):
    client.force_login(rita)
    page = client.get(f"/review/returns/{submitted.pk}/").text
    assert f'action="/review/returns/{submitted.pk}/flags/add/"' in page
    assert f'value="column-{columns["performance"].pk}"' in page
    assert f'value="project-{project.pk}"' in page
    assert radio_checked(page, "visibility") == []
    flag_type = FlagType.objects.active().first()
    fields = {"target": f"column-{columns['performance'].pk}", "flag_type": flag_type.pk, "note": "Give figures."}
    # No visibility chosen: the flag's own page, the message beside the field, the note kept.
    refused = client.post(f"/review/returns/{submitted.pk}/flags/add/", fields)
    assert refused.status_code == 200
    assert "Select who can see this" in refused.text
    assert "Give figures.</textarea>" in refused.text
    assert not Flag.objects.exists()
    response = client.post(f"/review/returns/{submitted.pk}/flags/add/", {**fields, "visibility": "opcc"})
    assert response["Location"] == f"/review/returns/{submitted.pk}/#flags"
    flag = Flag.objects.get()
    assert (flag.column, flag.note, flag.visibility, flag.raised_by) == (
        columns["performance"],
        "Give figures.",
        "opcc",
        rita,
    )
