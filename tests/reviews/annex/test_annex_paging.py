"""The annex at national scale: one borough per page with a contents list, in the same queries at any size.

The preview and a published version show one borough per page (`?borough=<slug>`, the first by default;
the "Performance summary" appendix on its own page); the PDF stays the whole annex. Pages never read a
published snapshot they do not show.
"""

import re
from datetime import date

import pytest
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext

from boroughs.models import Borough
from returns.models import Project
from reviews.annex.assembly import annex_contents, assemble, assemble_version, snapshot_contents
from reviews.exports import worker_formats
from reviews.exports.pdf import render_html
from reviews.models import Annex, AnnexExport, AnnexVersion, BoroughRollUp, RollUpCell, RollUpRow
from reviews.services.annex import annex_publish
from reviews.services.rollup import rollup_get_or_create, rollup_row_add
from reviews.views.annex import _worker_formats
from tests.conftest import assert_redirects_to_login
from tests.reviews.conftest import make_project

pytestmark = pytest.mark.django_db

PREVIEW = "/annex/2015-16/"
CONTENTS_LINK = re.compile(
    r'<li class="app-annex-contents__item"><a class="govuk-link" href="\?borough=([a-z0-9-]+)"[^>]*>([^<]+)</a>'
    r'(?: <span class="app-annex-contents__counts">([^<]+)</span>)?'
)
BOROUGH_HEADING = re.compile(r'<h2 class="app-annex__borough-heading"[^>]*>([^<]+)</h2>')


def _html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _contents(html):
    return [(slug, name, counts) for slug, name, counts in CONTENTS_LINK.findall(html)]


@pytest.fixture
def annex_2015(annex_2015):
    # An imported annex leaves the appendix out; these pages are tested with it, as a started annex has it.
    Annex.objects.filter(pk=annex_2015.pk).update(include_performance_summary=True)
    annex_2015.refresh_from_db()
    return annex_2015


@pytest.fixture
def version(annex_2015, rita):
    return annex_publish(annex=annex_2015, meeting_date=date(2016, 7, 12), by=rita)


def _article(html):
    article = html[html.index("<article") : html.index("</article>")]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", article)


def test_the_contents_list_every_borough_with_its_counts(client, rita, annex_2015, seed_json):
    walsall_row = RollUpRow.objects.filter(rollup__borough__slug="walsall").order_by("position").first()
    walsall_row.hide(reason="Counted elsewhere.", expected_version=walsall_row.version, by=rita)
    for cell in RollUpCell.objects.filter(rollup__borough__slug="dudley", column__key="community"):
        cell.save_text(text="", expected_version=cell.version, by=rita)
    client.force_login(rita)
    contents = _contents(_html(client, PREVIEW))
    names = [b["name"] for b in seed_json["boroughs"]]
    assert [name for _, name, _ in contents] == [*names, "Performance summary"]
    counts = {name: count for _, name, count in contents}
    assert counts["Birmingham"] == "10 rows"
    assert counts["Walsall"] == "4 rows, 1 hidden, 2 things missing"  # the hidden row's text no longer counts
    assert counts["Dudley"] == "11 rows, 1 thing missing"
    assert counts["Performance summary"] == ""
    # Every entry's link opens that borough's page.
    for slug, name, _ in contents[:-1]:
        assert BOROUGH_HEADING.findall(_html(client, f"{PREVIEW}?borough={slug}")) == [name]


def test_the_second_boroughs_page_shows_its_rows_and_not_the_firsts(client, rita, annex_2015, seed_json):
    client.force_login(rita)
    first, second, third = seed_json["boroughs"][:3]
    html = _html(client, f"{PREVIEW}?borough=coventry")
    assert BOROUGH_HEADING.findall(html) == ["Coventry"]
    assert html.count('<table class="app-annex__table">') == 1
    assert "<title>Coventry: Annex 1 2015-16 (draft)" in html
    assert "DVA perpetrator programme" in html
    assert "Youth violence" not in html  # Birmingham's first project
    assert 'id="birmingham-annual"' not in html
    assert 'id="coventry-annual"' in html
    assert 'aria-current="page">Coventry</a>' in html
    # Previous and next: the GOV.UK pagination component, named by borough.
    pagination = html[html.index('<nav class="govuk-pagination') :]
    assert re.search(r'href="\?borough=birmingham" rel="prev">.*?Birmingham</span>', pagination, re.S)
    assert re.search(r'href="\?borough=dudley" rel="next">.*?Dudley</span>', pagination, re.S)
    assert (first["name"], second["name"], third["name"]) == ("Birmingham", "Coventry", "Dudley")


def test_the_first_page_is_the_default_and_the_introduction_is_only_there(client, rita, annex_2015):
    Annex.objects.filter(pk=annex_2015.pk).update(introduction="For the board's July meeting.")
    client.force_login(rita)
    first = _html(client, PREVIEW)
    assert _article(first) == _article(_html(client, f"{PREVIEW}?borough="))
    assert BOROUGH_HEADING.findall(first) == ["Birmingham"]
    assert "For the board&#x27;s July meeting." in first
    assert 'rel="prev"' not in first
    assert "For the board&#x27;s July meeting." not in _html(client, f"{PREVIEW}?borough=coventry")


def test_the_performance_summary_has_its_own_last_page(client, rita, annex_2015):
    client.force_login(rita)
    summary = _html(client, f"{PREVIEW}?borough=performance-summary")
    assert "Appendix: Performance summary" in summary
    assert BOROUGH_HEADING.findall(summary) == []
    assert 'rel="next"' not in summary
    assert re.search(r'href="\?borough=wolverhampton" rel="prev"', summary)
    assert "Appendix: Performance summary" not in _html(client, f"{PREVIEW}?borough=wolverhampton")
    Annex.objects.filter(pk=annex_2015.pk).update(include_performance_summary=False)
    assert client.get(f"{PREVIEW}?borough=performance-summary").status_code == 404


@pytest.mark.parametrize(
    "junk", ["nowhere", "%3Cscript%3E", "BIRMINGHAM", "birmingham/", "west-midlands-inactive", "0", "%00"]
)
def test_a_borough_not_in_the_annex_is_404_not_500(client, rita, annex_2015, version, junk):
    Borough.objects.create(
        name="Inactive", slug="west-midlands-inactive", partnership_name="P", ons_code="Q99999999", active=False
    )
    client.force_login(rita)
    assert client.get(f"{PREVIEW}?borough={junk}").status_code == 404
    assert client.get(f"{PREVIEW}versions/{version.number}/?borough={junk}").status_code == 404


@pytest.mark.parametrize(("persona", "status"), [("alice", 404), ("bob", 404), ("charlie", 403)])
def test_a_boroughs_page_is_for_opcc_staff_only(client, request, annex_2015, version, persona, status):
    client.force_login(request.getfixturevalue(persona))
    for url in (f"{PREVIEW}?borough=walsall", f"{PREVIEW}versions/1/?borough=walsall"):
        assert client.get(url).status_code == status, url


def test_anonymous_users_are_sent_to_sign_in_from_a_boroughs_page(client, annex_2015, version):
    response = client.get(f"{PREVIEW}?borough=walsall")
    assert_redirects_to_login(response, "/annex/2015-16/%3Fborough%3Dwalsall")


def test_a_published_version_is_paged_the_same_way_from_its_snapshot(client, rita, annex_2015, version, seed_json):
    walsall_cell = RollUpCell.objects.filter(rollup__borough__slug="walsall", row__isnull=False).first()
    walsall_cell.save_text(text="Changed after publishing.", expected_version=walsall_cell.version, by=rita)
    url = f"{PREVIEW}versions/{version.number}/"
    client.force_login(rita)
    first = _html(client, url)
    assert [name for _, name, _ in _contents(first)] == [
        *[b["name"] for b in seed_json["boroughs"]],
        "Performance summary",
    ]
    assert BOROUGH_HEADING.findall(first) == ["Birmingham"]
    assert first.count('<table class="app-annex__table">') == 1
    walsall = _html(client, f"{url}?borough=walsall")
    assert BOROUGH_HEADING.findall(walsall) == ["Walsall"]
    assert "<title>Walsall: Annex 1 2015-16 version 1" in walsall
    assert "Drug Intervention Programme" in walsall
    assert "Youth violence" not in walsall
    assert "Changed after publishing." not in walsall  # the snapshot, not the draft
    assert "Changed after publishing." in _html(client, f"{PREVIEW}?borough=walsall")
    assert re.search(r'href="\?borough=solihull" rel="prev"', walsall)
    assert re.search(r'href="\?borough=wolverhampton" rel="next"', walsall)
    assert "Appendix: Performance summary" in _html(client, f"{url}?borough=performance-summary")
    assert "Appendix: Performance summary" not in walsall


def test_cells_carry_their_column_heading_for_narrow_screens_but_the_pdf_does_not(client, rita, annex_2015, version):
    client.force_login(rita)
    preview = _html(client, f"{PREVIEW}?borough=walsall")
    walsall_rows = RollUpRow.objects.filter(rollup__borough__slug="walsall").count()
    label = '<span class="app-annex__cell-label">Community engagement</span>'
    assert preview.count(label) == walsall_rows + 1  # the annual row too
    assert preview.count('<span class="app-annex__cell-label">Row</span>') == walsall_rows + 1
    published = _html(client, f"{PREVIEW}versions/1/?borough=walsall")
    assert published.count(label) == walsall_rows  # printed rows: the annual row has no text in 2015-16
    pdf_html = render_html(assemble(annex_2015))
    assert "app-annex__cell-label" not in pdf_html
    assert "app-annex-contents" not in pdf_html
    assert "govuk-pagination" not in pdf_html


def test_the_pdf_is_still_the_whole_annex(annex_2015, seed_json):
    html = render_html(assemble(annex_2015))
    assert BOROUGH_HEADING.findall(html) == [b["name"] for b in seed_json["boroughs"]]
    assert html.count('<table class="app-annex__table">') == 7
    assert "Appendix: Performance summary" in html


def test_the_contents_count_what_is_missing_as_the_assembled_annex_finds_it(client, rita, annex_2015):
    """The contents' counts agree with completeness(), borough by borough, with mixed states."""
    dudley = list(RollUpRow.objects.filter(rollup__borough__slug="dudley").order_by("position", "pk"))
    no_project = next(row for row in dudley if row.project_id is None)
    for cell in no_project.cells.all():  # whitespace is no text
        RollUpCell.objects.filter(pk=cell.pk).update(text="  \n\t")
    for cell in dudley[3].cells.all():
        cell.save_text(text="", expected_version=cell.version, by=rita)
    hidden = RollUpRow.objects.filter(rollup__borough__slug="coventry").order_by("position").first()
    for cell in hidden.cells.all():  # a hidden row's emptiness does not count, nor its text
        cell.save_text(text="", expected_version=cell.version, by=rita)
    hidden.hide(reason="Duplicate", expected_version=hidden.version, by=rita)
    for cell in RollUpCell.objects.filter(rollup__borough__slug="sandwell", column__key="marketing"):
        cell.save_text(text="\n", expected_version=cell.version, by=rita)
    BoroughRollUp.objects.get(borough__slug="wolverhampton").delete()  # an active borough with no roll-up

    contents = annex_contents(annex_2015)
    problems = assemble(annex_2015).completeness()
    assert contents.missing_boroughs == ("Wolverhampton",)
    for entry in contents.boroughs:
        assert entry.problems == sum(1 for p in problems if p.startswith(f"{entry.name}: ")), entry.name
    assert contents.problem_count == len(problems)
    assert {e.name: e.problems for e in contents.boroughs}["Dudley"] >= 2
    assert {e.name: e.problems for e in contents.boroughs}["Sandwell"] == 1

    # The panel: the total, what is missing on this page's borough and everywhere's missing roll-ups.
    client.force_login(rita)
    html = _html(client, f"{PREVIEW}?borough=sandwell")
    assert f"Not ready for the board: {len(problems)} things missing" in html
    assert "<li>Sandwell: no annual text for Marketing or engagement with OPCC on projects</li>" in html
    assert "<li>Wolverhampton: no roll-up for 2015-16</li>" in html
    assert f"And {len(problems) - 2} more in other boroughs" in html
    assert "Dudley: " not in html
    dudley_page = _html(client, f"{PREVIEW}?borough=dudley")
    assert "has no text in any column</li>" in dudley_page


def test_the_contents_are_read_as_plain_rows_not_model_instances(annex_2015):
    """The contents list every borough on every page: at 300 boroughs a BoroughRollUp and a Borough instance each
    cost a fifth of the preview, for four numbers and two names."""
    built = []

    def count(sender, **kwargs):
        built.append(sender)

    for model in (BoroughRollUp, Borough):
        post_init.connect(count, sender=model)
    try:
        contents = annex_contents(annex_2015)
    finally:
        for model in (BoroughRollUp, Borough):
            post_init.disconnect(count, sender=model)
    assert len(contents.boroughs) == BoroughRollUp.objects.filter(financial_year=annex_2015.financial_year).count()
    first = contents.boroughs[0]
    assert (first.key, first.name) == ("birmingham", "Birmingham")
    assert first.rollup_id == BoroughRollUp.objects.get(borough__slug="birmingham").pk
    assert built == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the partial indexes are PostgreSQL's (SQLite scans)")
def test_the_contents_find_written_cells_through_their_partial_indexes(annex_2015):
    """At 307 boroughs the contents' query read every cell's text (35 ms); the written cells' partial indexes answer
    it alone (16 ms). Their condition must be in the SQL itself: a prepared statement's generic plan cannot use a
    partial index whose condition depends on a parameter."""
    seen = []

    def keep(execute, sql, params, many, context):
        seen.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        annex_contents(annex_2015)
    sql, params = next((sql, params) for sql, params in seen if "reviews_rollupcell" in sql)
    assert "~ '\\S'" in sql
    assert "\\S" not in [str(param) for param in params]
    with connection.cursor() as cursor:
        # A test's handful of rows would be read whole; at scale the planner picks the indexes (see the migration).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(line for (line,) in cursor.fetchall())
    assert "Index Only Scan using reviews_rollupcell_written_row" in plan, plan
    assert "Index Only Scan using reviews_rollupcell_written_rollup" in plan, plan


def test_assembly_reads_rows_and_cells_as_plain_values_keeping_each_rows_details(annex_2015, birmingham):
    """A national annex has some 4,000 rows and 20,000 cells: an instance of each cost five times their reading.
    Mixed rows: one with an active project, one with a closed project, hidden with its reason, one whose project
    was deleted (its row stays, nameless)."""
    rollup = BoroughRollUp.objects.get(financial_year=annex_2015.financial_year, borough=birmingham)
    first, second, third = RollUpRow.objects.filter(rollup=rollup).order_by("position", "pk")[:3]
    active, closed, gone = (make_project(birmingham, name=name) for name in ("Advocacy", "Street pastors", "Gone"))
    Project.objects.filter(pk=closed.pk).update(status=Project.Status.CLOSED, delivery_partner="Ascension Trust")
    RollUpRow.objects.filter(pk=first.pk).update(project=active)
    RollUpRow.objects.filter(pk=second.pk).update(project=closed, hidden=True, hidden_reason="Not CSF funded.")
    RollUpRow.objects.filter(pk=third.pk).update(project=gone)
    gone.delete()
    built = []

    def count(sender, **kwargs):
        built.append(sender)

    for model in (RollUpRow, RollUpCell, Project):
        post_init.connect(count, sender=model)
    try:
        assembled = assemble(annex_2015, with_summary=False)
    finally:
        for model in (RollUpRow, RollUpCell, Project):
            post_init.disconnect(count, sender=model)
    assert built == []
    rows = {row.row_id: row for row in next(s for s in assembled.boroughs if s.slug == "birmingham").rows}
    shown = [
        (row.project_name, row.delivery_partner, row.project_status, row.hidden, row.hidden_reason, row.position)
        for row in (rows[first.pk], rows[second.pk], rows[third.pk])
    ]
    assert shown == [
        ("Advocacy", "", "Active", False, "", 1),
        ("Street pastors", "Ascension Trust", "Closed", True, "Not CSF funded.", 2),
        ("", "", "", False, "", 3),
    ]
    # Each cell's text, id and version as saved.
    saved = RollUpCell.objects.filter(row=first).select_related("column").first()
    cell = next(cell for cell in rows[first.pk].cells if cell.column.key == saved.column.key)
    assert (cell.text, cell.cell_id, cell.version) == (saved.text, saved.pk, saved.version)


def _add_boroughs(count, year, *, start):
    """Boroughs of mixed states: rows with and without text, hidden rows, a row without a project."""
    for n in range(start, start + count):
        borough = Borough.objects.create(
            name=f"Borough {n:03d}", slug=f"borough-{n:03d}", partnership_name="P", ons_code=f"Q{n:08d}"
        )
        rollup, _ = rollup_get_or_create(borough=borough, year=year)
        for index in range(3):
            texts = {"performance": "Outcomes not quantified.", "innovation": "A project."} if index != 1 else {}
            row = rollup_row_add(rollup=rollup, texts=texts)
            if n % 2 and index == 2:
                RollUpRow.objects.filter(pk=row.pk).update(hidden=True, hidden_reason="Not CSF funded.")


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return [query["sql"] for query in queries.captured_queries]


PAGES = [PREVIEW, f"{PREVIEW}?borough=birmingham", f"{PREVIEW}?borough=performance-summary", f"{PREVIEW}versions/"]


def test_the_pages_issue_the_same_queries_for_3_boroughs_as_for_30(client, rita, annex_2015):
    year = annex_2015.financial_year
    BoroughRollUp.objects.exclude(borough__slug__in=["birmingham", "coventry"]).delete()
    _add_boroughs(1, year, start=0)
    small = annex_publish(annex=annex_2015, meeting_date=date(2016, 7, 12), by=rita)
    client.force_login(rita)
    client.get(PREVIEW)  # the session's first write is not a page's cost
    assert BoroughRollUp.objects.count() == 3
    at_3 = {url: len(_queries(client, url)) for url in [*PAGES, f"{PREVIEW}versions/{small.number}/"]}

    _add_boroughs(27, year, start=1)
    large = annex_publish(annex=annex_2015, meeting_date=date(2016, 9, 20), by=rita)
    assert BoroughRollUp.objects.count() == 30
    at_30 = {url: len(_queries(client, url)) for url in [*PAGES, f"{PREVIEW}versions/{large.number}/"]}
    assert list(at_30.values()) == list(at_3.values())
    assert at_3[PREVIEW] <= 15


def test_only_a_versions_own_pages_read_its_snapshot(client, rita, annex_2015, version):
    AnnexExport.objects.create(annex=annex_2015, version=version, format="pdf", requested_by=rita)
    AnnexExport.objects.create(annex=annex_2015, version=None, format="pdf", requested_by=rita)
    client.force_login(rita)
    client.get(PREVIEW)
    for url in (PREVIEW, f"{PREVIEW}versions/", "/annex/"):
        sql = " ".join(_queries(client, url))
        assert "reviews_annexversion" in sql or url == "/annex/", url
        assert "snapshot" not in sql, url
    sql = " ".join(_queries(client, f"{PREVIEW}versions/1/"))
    assert '"reviews_annexversion"."snapshot"' in sql
    # The export's status names the version without reading its snapshot either.
    assert "Version 1" in _html(client, f"{PREVIEW}versions/")
    assert AnnexVersion.objects.metadata().get().get_deferred_fields() == {"snapshot"}


@pytest.mark.parametrize("summary", [True, False])
@pytest.mark.parametrize("max_rows", [30, 10_000])
def test_the_pages_offer_the_downloads_the_whole_annex_would(settings, rita, annex_2015, summary, max_rows):
    """The pages decide which formats are prepared on the worker from the contents, without assembling."""
    settings.EXPORT_INLINE_MAX_ROWS = max_rows
    Annex.objects.filter(pk=annex_2015.pk).update(include_performance_summary=summary)
    annex_2015.refresh_from_db()
    row = RollUpRow.objects.filter(rollup__borough__slug="walsall").first()
    row.hide(reason="Counted elsewhere.", expected_version=row.version, by=rita)
    contents, assembled = annex_contents(annex_2015), assemble(annex_2015)
    assert contents.row_count == assembled.row_count
    assert _worker_formats(contents) == worker_formats(assembled)
    version = annex_publish(annex=annex_2015, meeting_date=date(2016, 7, 12), by=rita)
    published = snapshot_contents(version.snapshot)
    assert published.row_count == assembled.row_count
    assert _worker_formats(published) == worker_formats(assemble_version(version))


def test_an_annex_with_no_boroughs_yet_still_shows(client, rita, annex_2015):
    BoroughRollUp.objects.all().delete()
    client.force_login(rita)
    html = _html(client, PREVIEW)  # with the appendix, it is the first page
    assert "Appendix: Performance summary" in html
    assert "Not ready for the board: 7 things missing" in html
    Annex.objects.filter(pk=annex_2015.pk).update(include_performance_summary=False)
    html = _html(client, PREVIEW)
    assert BOROUGH_HEADING.findall(html) == []
    assert "Contents: 0 boroughs" in html
    assert client.get(f"{PREVIEW}?borough=birmingham").status_code == 404
