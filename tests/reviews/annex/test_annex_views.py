"""The annex pages: who may see them, editing with optimistic locking, publishing, the diff and downloads."""

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document

from boroughs.models import Borough
from reviews.annex.assembly import assemble
from reviews.models import AnnexVersion, BoroughRollUp, RollUpCell, RollUpRow
from reviews.services.annex import annex_publish
from reviews.services.rollup import rollup_get_or_create, rollup_row_add
from tests.conftest import assert_redirects_to_login, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def cell(annex_2015):
    return RollUpCell.objects.get(row__rollup__borough__name="Walsall", row__position=1, column__key="community")


@pytest.fixture
def row(annex_2015):
    return RollUpRow.objects.get(rollup__borough__name="Walsall", position=2)


@pytest.fixture
def version(annex_2015, rita):
    from datetime import date

    return annex_publish(annex=annex_2015, meeting_date=date(2016, 7, 12), by=rita)


def _walsall(y="2015-16"):
    # The preview's cells and rows are edited on the roll-up, which sends the user back with ?from=annex.
    return f"/review/roll-up/walsall/{y}"


def _urls(cell, row, version):
    y = "2015-16"
    return [
        ("get", "/annex/"),
        ("get", f"/annex/{y}/"),
        ("get", f"/annex/{y}/details/"),
        ("get", f"{_walsall()}/cells/{cell.pk}/?from=annex"),
        ("post", f"{_walsall()}/rows/{row.pk}/move/?from=annex"),
        ("get", f"{_walsall()}/rows/{row.pk}/visibility/?from=annex"),
        ("get", f"/annex/{y}/publish/"),
        ("get", f"/annex/{y}/versions/"),
        ("get", f"/annex/{y}/versions/{version.number}/"),
        ("get", f"/annex/{y}/versions/{version.number}/diff/"),
        ("get", f"/annex/{y}/versions/{version.number}/docx/"),
        ("get", f"/annex/{y}/export/docx/"),
        ("get", f"/annex/{y}/export/csv/"),
    ]


@pytest.mark.parametrize(("persona", "status"), [("alice", 404), ("bob", 404), ("charlie", 403)])
def test_only_opcc_staff_reach_any_annex_url(client, request, persona, status, cell, row, version):
    client.force_login(request.getfixturevalue(persona))
    for method, url in _urls(cell, row, version):
        assert getattr(client, method)(url).status_code == status, url


def test_anonymous_users_are_sent_to_sign_in(client, cell, row, version):
    for method, url in _urls(cell, row, version):
        assert_redirects_to_login(getattr(client, method)(url), url.replace("?", "%3F").replace("=", "%3D"))


@pytest.mark.parametrize("persona", ["rita", "adam"])
def test_reviewers_and_admins_reach_every_annex_page(client, request, persona, cell, row, version):
    client.force_login(request.getfixturevalue(persona))
    for method, url in _urls(cell, row, version):
        response = getattr(client, method)(url)
        assert response.status_code == (302 if method == "post" else 200), url


def test_a_reviewer_without_publish_permission_gets_403_on_publish(client, annex_2015, rita):
    from django.contrib.auth.models import Permission

    limited = make_user("lena", role="OPCC reviewer")
    limited.user_permissions.clear()
    group = limited.groups.get()
    group.permissions.remove(Permission.objects.get(codename="publish_annex"))
    client.force_login(limited)
    assert client.get("/annex/2015-16/").status_code == 200
    assert client.get("/annex/2015-16/publish/").status_code == 403


def test_the_preview_is_laid_out_like_the_document(client, rita, annex_2015, seed_json):
    client.force_login(rita)
    response = client.get("/annex/2015-16/")
    html = response.content.decode()
    assert '<span class="app-annex__label">Annex 1</span> Outcome Reporting for Local Police' in html
    # One borough per page, the contents linking to each (tests/reviews/annex/test_annex_paging.py).
    assert html.count('<table class="app-annex__table">') == 1
    slugs = re.findall(r'<li class="app-annex-contents__item"><a class="govuk-link" href="\?borough=([a-z-]+)"', html)
    pages = "".join(client.get(f"/annex/2015-16/?borough={slug}").content.decode() for slug in slugs)
    headings = re.findall(r'<h2 class="app-annex__borough-heading"[^>]*>([^<]+)</h2>', pages)
    assert headings == [b["name"] for b in seed_json["boroughs"]]
    assert "<strong>Youth violence</strong>" in pages
    assert "<li>Joint enterprise Workshops</li>" in pages
    completeness = re.search(
        r'<div class="[^"]*app-completeness" id="completeness">\s*<h2 class="govuk-heading-s">([^<]+)</h2>', html
    )
    assert completeness.group(1) == "Complete"


def test_the_completeness_panel_says_what_is_missing(client, rita, annex_2015):
    for cell in RollUpCell.objects.filter(rollup__borough__name="Walsall", column__key="community"):
        cell.save_text(text="", expected_version=cell.version, by=rita)
    client.force_login(rita)
    # Every page gives the total; Walsall's page says what; the contents count it against Walsall.
    html = client.get("/annex/2015-16/").content.decode()
    assert "Not ready for the board: 1 thing missing" in html
    assert "All in other boroughs: the contents below say how many in each." in html
    assert '>Walsall</a> <span class="app-annex-contents__counts">5 rows, 1 thing missing</span>' in html
    html = client.get("/annex/2015-16/?borough=walsall").content.decode()
    assert "Walsall: no annual text for Community engagement" in html
    assert "Not ready for the board: 1 thing missing" in html


def test_script_in_a_cell_is_shown_as_text(client, rita, cell):
    cell.save_text(text="<script>alert(1)</script>\n\n- <b>item</b>", expected_version=cell.version, by=rita)
    client.force_login(rita)
    html = client.get("/annex/2015-16/?borough=walsall").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<li>&lt;b&gt;item&lt;/b&gt;</li>" in html


def test_the_preview_links_each_edit_to_the_roll_up_and_back(client, rita, cell, row):
    client.force_login(rita)
    html = client.get("/annex/2015-16/?borough=walsall").content.decode()
    assert f'href="{_walsall()}/cells/{cell.pk}/?from=annex"' in html
    assert f'action="{_walsall()}/rows/{row.pk}/move/?from=annex"' in html
    assert f'href="{_walsall()}/rows/{row.pk}/visibility/?from=annex"' in html
    # The anchors the roll-up sends the user back to.
    assert f'id="walsall-row-{row.pk}"' in html
    assert 'id="walsall-annual"' in html


def test_editing_a_cell_writes_back_to_the_roll_up(client, rita, cell):
    url = f"{_walsall()}/cells/{cell.pk}/?from=annex"
    client.force_login(rita)
    page = client.get(url)
    assert "Edit Community engagement" in page.content.decode()
    response = client.post(url, {"text": "First para.\r\n\r\n- one\r\n- two  ", "version": cell.version})
    assert response.status_code == 302
    assert response["Location"] == f"/annex/2015-16/?borough=walsall#walsall-row-{cell.row_id}"
    cell.refresh_from_db()
    assert (cell.text, cell.version, cell.updated_by) == ("First para.\n\n- one\n- two", 2, rita)
    html = client.get("/annex/2015-16/?borough=walsall").content.decode()
    assert (
        '<p class="app-annex__para">First para.</p><ul class="app-annex__list"><li>one</li><li>two</li></ul>' in html
    )


def test_a_concurrent_edit_is_a_conflict_not_an_overwrite(client, rita, adam, cell):
    url = f"{_walsall()}/cells/{cell.pk}/?from=annex"
    opened_at = cell.version
    client.force_login(adam)
    client.post(url, {"text": "Adam's text.", "version": opened_at})
    client.force_login(rita)
    response = client.post(url, {"text": "Rita's text.", "version": opened_at})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else saved Community engagement (Drug Intervention Programme) while you were editing" in html
    assert '<td class="govuk-table__cell app-prewrap">Adam&#x27;s text.</td>' in html
    assert '<td class="govuk-table__cell app-prewrap">Rita&#x27;s text.</td>' in html
    back = f"/annex/2015-16/?borough=walsall#walsall-row-{cell.row_id}"
    assert f'<a class="govuk-link" href="{back}">Discard my changes' in html
    cell.refresh_from_db()
    assert cell.text == "Adam's text."
    # Saving again, having seen theirs, is a deliberate replacement; it still returns to the preview.
    assert f'name="version" value="{cell.version}"' in html
    response = client.post(url, {"text": "Rita's text.", "version": cell.version})
    assert response["Location"] == f"/annex/2015-16/?borough=walsall#walsall-row-{cell.row_id}"
    cell.refresh_from_db()
    assert cell.text == "Rita's text."


def test_rows_move_up_and_down(client, rita, annex_2015):
    rows = list(RollUpRow.objects.filter(rollup__borough__name="Walsall").order_by("position"))
    client.force_login(rita)

    def move(row, direction):
        return client.post(f"{_walsall()}/rows/{row.pk}/move/?from=annex", {"direction": direction})

    response = move(rows[1], "up")
    assert response["Location"] == f"/annex/2015-16/?borough=walsall#walsall-row-{rows[1].pk}"
    order = list(RollUpRow.objects.filter(rollup__borough__name="Walsall").order_by("position"))
    assert [r.pk for r in order] == [rows[1].pk, rows[0].pk, *[r.pk for r in rows[2:]]]
    move(rows[1], "up")  # already first: nothing happens
    move(rows[1], "down")
    assert [r.pk for r in RollUpRow.objects.filter(rollup__borough__name="Walsall").order_by("position")] == [
        r.pk for r in rows
    ]
    assert client.get(f"{_walsall()}/rows/{rows[1].pk}/move/").status_code == 405


def test_a_hidden_row_leaves_the_annex_with_its_reason(client, rita, row, annex_2015):
    url = f"{_walsall()}/rows/{row.pk}/visibility/?from=annex"
    client.force_login(rita)
    response = client.post(url, {"intent": "hide", "reason": "", "version": row.version})
    assert "Enter why the row is hidden from the annex" in response.content.decode()
    response = client.post(url, {"intent": "hide", "reason": "Counted in 2014-15.", "version": row.version})
    assert response["Location"] == f"/annex/2015-16/?borough=walsall#walsall-row-{row.pk}"
    row.refresh_from_db()
    assert row.hidden
    assert row.hidden_reason == "Counted in 2014-15."
    walsall = next(s for s in assemble(annex_2015).boroughs if s.name == "Walsall")
    assert row.pk not in [r.row_id for r in walsall.printed_rows]
    assert "Counted in 2014-15." in client.get("/annex/2015-16/?borough=walsall").content.decode()
    client.post(url, {"intent": "show", "version": row.version})
    row.refresh_from_db()
    assert not row.hidden


def test_editing_the_annex_details_with_its_conflict(client, rita, adam, annex_2015):
    url = "/annex/2015-16/details/"
    client.force_login(rita)
    form = client.get(url).content.decode()
    assert 'value="Annex 1"' in form
    opened_at = annex_2015.version
    data = {"label": "Annex 1", "introduction": "For the board.\r\n\r\n- one", "version": opened_at}
    response = client.post(url, {**data, "title": "Community safety 2015-16"})
    assert response["Location"] == "/annex/2015-16/"
    annex_2015.refresh_from_db()
    assert (annex_2015.title, annex_2015.introduction, annex_2015.version) == (
        "Community safety 2015-16",
        "For the board.\n\n- one",
        opened_at + 1,
    )
    # Adam saves from the page he opened before Rita's save: a conflict, not an overwrite.
    client.force_login(adam)
    conflict = client.post(url, {**data, "title": "Adam's title"})
    assert conflict.status_code == 409
    html = conflict.content.decode()
    assert "Saved by someone else" in html
    assert '<td class="govuk-table__cell app-prewrap">Community safety 2015-16</td>' in html
    assert '<td class="govuk-table__cell app-prewrap">Adam&#x27;s title</td>' in html
    assert f'name="version" value="{opened_at + 1}"' in html
    annex_2015.refresh_from_db()
    assert annex_2015.title == "Community safety 2015-16"
    assert client.post(url, {**data, "title": "Adam's title", "version": opened_at + 1}).status_code == 302
    annex_2015.refresh_from_db()
    assert annex_2015.title == "Adam's title"


def test_publishing_freezes_a_version_that_later_edits_do_not_change(client, rita, cell, annex_2015):
    client.force_login(rita)
    response = client.post(
        "/annex/2015-16/publish/", {"meeting_date_0": "12", "meeting_date_1": "7", "meeting_date_2": "2016"}
    )
    version = AnnexVersion.objects.get()
    assert response["Location"] == "/annex/2015-16/versions/1/"
    assert (version.number, str(version.meeting_date), version.published_by) == (1, "2016-07-12", rita)
    published_docx = client.get("/annex/2015-16/versions/1/docx/")
    assert published_docx["Content-Disposition"] == 'attachment; filename="annex-1-2015-16-v1.docx"'

    cell.save_text(text="Changed after the board meeting.", expected_version=cell.version, by=rita)
    again = client.get("/annex/2015-16/versions/1/docx/")
    assert _docx_text(again.content) == _docx_text(published_docx.content)
    assert "Changed after the board meeting." not in _docx_text(again.content)
    assert "Changed after the board meeting." in _docx_text(client.get("/annex/2015-16/export/docx/").content)

    with pytest.raises(Exception, match="cannot be changed"):
        version.save()
    response = client.post(
        "/annex/2015-16/publish/", {"meeting_date_0": "20", "meeting_date_1": "9", "meeting_date_2": "2016"}
    )
    assert response["Location"] == "/annex/2015-16/versions/2/"


def test_the_diff_shows_each_changed_cell(client, rita, cell, row, version):
    cell.save_text(text="Two service user focus groups were held.", expected_version=cell.version, by=rita)
    row.hide(reason="Duplicate", expected_version=row.version, by=rita)
    client.force_login(rita)
    html = client.get(f"/annex/2015-16/versions/{version.number}/diff/").content.decode()
    assert "2 changes" in html
    assert "Drug Intervention Programme: Community engagement" in html
    assert '<ins class="app-diff__added">' in html
    assert "Hidden" in html
    assert "Duplicate" in html


def test_downloads_have_annex_file_names(client, rita, annex_2015):
    client.force_login(rita)
    # The PDF is prepared on the worker (tests/reviews/test_annex_exports.py); the rest download at once.
    for fmt, kind in [("docx", "wordprocessingml"), ("xlsx", "spreadsheetml"), ("csv", "csv")]:
        response = client.get(f"/annex/2015-16/export/{fmt}/")
        assert kind in response["Content-Type"]
        assert response["Content-Disposition"] == f'attachment; filename="annex-1-2015-16.{fmt}"'
    assert client.get("/annex/2015-16/export/exe/").status_code == 404


def _docx_text(content):
    document = Document(io.BytesIO(content))
    return "\n".join(p.text for t in document.tables for r in t.rows for c in r.cells for p in c.paragraphs)


def _make_boroughs(count, year, *, start=0):
    for n in range(start, start + count):
        borough = Borough.objects.create(
            name=f"Borough {n:03d}", slug=f"borough-{n:03d}", partnership_name="P", ons_code=f"Q{n:08d}"
        )
        rollup, _ = rollup_get_or_create(borough=borough, year=year)
        for _ in range(3):
            rollup_row_add(
                rollup=rollup, texts={"performance": "Outcomes not quantified.", "innovation": "A project."}
            )


def _preview_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/annex/2015-16/").status_code == 200
    return len(queries)


def test_the_preview_issues_the_same_queries_for_7_boroughs_as_for_70(client, rita, annex_2015):
    client.force_login(rita)
    BoroughRollUp.objects.exclude(borough__name__in=["Birmingham", "Coventry"]).delete()
    _make_boroughs(5, annex_2015.financial_year)
    assert BoroughRollUp.objects.count() == 7
    seven = _preview_queries(client)
    _make_boroughs(63, annex_2015.financial_year, start=5)
    assert BoroughRollUp.objects.count() == 70
    assert _preview_queries(client) == seven
    assert seven <= 15
