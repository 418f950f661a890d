"""Starting the live year's annex (reviews/services/annex.py::annex_start): the annex, its columns and every
borough's roll-up, pre-filled from the year's shared commentary; OPCC-only text never enters it."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from docx import Document

from boroughs.models import Borough
from returns.models import FinancialYear
from reviews.annex.assembly import assemble
from reviews.exports import export
from reviews.models import (
    Annex,
    AnnexColumn,
    AnnexVersion,
    BoroughRollUp,
    ColumnCommentary,
    ProjectCommentary,
    RollUpCell,
    RollUpRow,
    Visibility,
)
from reviews.services.annex import annex_start
from reviews.services.rollup import cell_update, rollup_start
from reviews.services.years import year_close
from tests.conftest import assert_redirects_to_login, make_user
from tests.reviews.conftest import make_project, make_return

pytestmark = pytest.mark.django_db

START = "/annex/2026-27/start/"
OPCC_ONLY = "Check this against the victims grant before it goes anywhere."


def comment(column, return_, text, *, by, visibility=Visibility.SHARED):
    return ColumnCommentary.objects.create(
        borough=return_.borough, period=return_.period, column=column, text=text, visibility=visibility, updated_by=by
    )


def assess(project, return_, text, *, by, visibility=Visibility.SHARED):
    return ProjectCommentary.objects.create(
        borough=return_.borough,
        period=return_.period,
        project=project,
        text=text,
        visibility=visibility,
        updated_by=by,
    )


@pytest.fixture
def reviewed(birmingham, coventry, periods, columns, project, alice, bob, rita):
    """Birmingham's Q1 and Q2 and Coventry's Q1, with shared and OPCC-only commentary."""
    q1 = make_return(birmingham, periods[0], by=alice)
    q2 = make_return(birmingham, periods[1], by=alice)
    street = make_project(coventry, "Street Pastors")
    cov = make_return(coventry, periods[0], by=bob)
    comment(columns["alignment"], q2, "Links to the Plan are now explicit.", by=rita)
    comment(columns["alignment"], q1, "Few links to the Plan.", by=rita)
    comment(columns["marketing"], q1, OPCC_ONLY, by=rita, visibility=Visibility.OPCC_ONLY)
    comment(columns["community"], cov, "Good reach through road shows.", by=rita)
    assess(project, q1, "Referrals on track.", by=rita)
    assess(project, q2, OPCC_ONLY, by=rita, visibility=Visibility.OPCC_ONLY)
    assess(street, cov, "Volunteer hours above target.", by=rita)
    return {"project": project, "street": street}


def _annual(borough_name, key):
    return RollUpCell.objects.get(
        rollup__borough__name=borough_name, rollup__financial_year__label="2026-27", row__isnull=True, column__key=key
    )


def _state():
    models = [Annex, AnnexColumn, BoroughRollUp, RollUpRow, RollUpCell]
    return {
        model.__name__: [model_to_dict(o) | {"pk": o.pk} for o in model.objects.order_by("pk")] for model in models
    }


# Who may start it.


def test_a_reviewer_starts_the_annex_from_the_list(client, rita, year, reviewed):
    client.force_login(rita)
    listing = client.get("/annex/")
    assert listing.status_code == 200
    assert "Start the 2026-27 annex" in listing.text
    assert f'action="{START}"' in listing.text
    response = client.post(START, follow=True)
    assert response.redirect_chain == [("/annex/2026-27/", 302)]
    assert "Started the 2026-27 annex: a roll-up for every partnership" in response.text
    for borough in Borough.objects.active():
        assert borough.name in response.text  # the preview has all seven
    assert "Start the 2026-27 annex" not in client.get("/annex/").text


@pytest.mark.parametrize(("persona", "status"), [("alice", 404), ("bob", 404), ("charlie", 403)])
def test_officers_and_people_without_a_role_cannot_start_it(client, request, year, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.post(START).status_code == status
    assert not Annex.objects.exists()
    assert not BoroughRollUp.objects.exists()


def test_a_reviewer_without_the_edit_permission_gets_403(client, year, west_midlands):
    from django.contrib.auth.models import Permission

    viewer = make_user("vera")
    viewer.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_borough", "view_all_boroughs", "view_annex"])
    )
    client.force_login(viewer)
    assert "Start the 2026-27 annex" not in client.get("/annex/").text
    assert client.post(START).status_code == 403
    assert not Annex.objects.exists()


def test_anonymous_is_sent_to_sign_in_and_get_is_not_allowed(client, rita, year):
    assert_redirects_to_login(client.post(START), START)
    client.force_login(rita)
    assert client.get(START).status_code == 405
    assert client.post("/annex/2031-32/start/").status_code == 404
    assert not Annex.objects.exists()


# What starting writes.


def test_starting_prefills_every_roll_up_from_the_shared_commentary_only(year, reviewed, rita, columns):
    started = annex_start(year=year, by=rita)
    assert started.created
    annex = started.annex
    assert annex.title == Annex.default_title(year)
    assert [c.key for c in AnnexColumn.objects.for_year(year)] == list(columns)
    assert set(BoroughRollUp.objects.filter(financial_year=year).values_list("borough__name", flat=True)) == set(
        Borough.objects.active().values_list("name", flat=True)
    )
    # Quarter by quarter, in quarter order.
    assert (
        _annual("Birmingham", "alignment").text
        == "Q1: Few links to the Plan.\n\nQ2: Links to the Plan are now explicit."
    )
    assert _annual("Coventry", "community").text == "Q1: Good reach through road shows."
    assert _annual("Birmingham", "marketing").text == ""
    assert _annual("Dudley", "alignment").text == ""
    # One row per project reported on, with its description and its shared assessments.
    row = RollUpRow.objects.get(rollup__borough__name="Birmingham", project=reviewed["project"])
    texts = {cell.column.key: cell.text for cell in row.cells.select_related("column")}
    assert texts == {
        "alignment": "",
        "performance": "Q1: Referrals on track.",
        "innovation": "Advocates for victims.",
        "community": "",
        "marketing": "",
    }
    assert RollUpRow.objects.get(rollup__borough__name="Coventry").project == reviewed["street"]
    # OPCC-only text is nowhere in the annex.
    assert not RollUpCell.objects.filter(text__contains="victims grant").exists()
    assert RollUpCell.objects.get(pk=_annual("Birmingham", "alignment").pk).history.get().history_user == rita


def test_starting_again_changes_nothing(client, rita, year, reviewed):
    annex_start(year=year, by=rita)
    before = _state()
    again = annex_start(year=year, by=rita)
    assert (again.created, again.rollups, again.rows) == (False, 0, 0)
    assert _state() == before
    client.force_login(rita)
    response = client.post(START, follow=True)
    assert "The 2026-27 annex had already been started: nothing has changed." in response.text
    assert _state() == before


def test_a_roll_up_started_earlier_keeps_what_people_wrote_and_gains_the_draft(year, reviewed, rita, adam):
    rollup = rollup_start(borough=Borough.objects.get(slug="birmingham"), year=year, by=rita)
    marketing = rollup.cells.get(row__isnull=True, column__key="marketing")
    cell_update(cell=marketing, text="Written by a person.", expected_version=marketing.version, by=rita)
    annex_start(year=year, by=adam)
    assert _annual("Birmingham", "marketing").text == "Written by a person."
    # Empty since the roll-up was started, never written in: it gets the quarters' shared commentary.
    assert _annual("Birmingham", "alignment").text.startswith("Q1: Few links to the Plan.")
    assert RollUpRow.objects.filter(rollup=rollup).count() == 1  # the project row is not added twice


def test_a_reviewer_who_is_an_officer_of_a_borough_may_still_start_the_annex(year, reviewed, birmingham):
    # Starting is an annex-level action: the self-review rule guards the text they then write.
    both = make_user("olivia", boroughs=[birmingham])
    from boroughs.roles import OPCC_REVIEWER, give_role

    give_role(both, OPCC_REVIEWER)
    annex_start(year=year, by=both)
    assert BoroughRollUp.objects.filter(financial_year=year, borough=birmingham).exists()


def test_a_closed_year_is_not_started(client, year, rita, adam):
    annex = Annex.objects.create(financial_year=year, title="2026-27")
    AnnexVersion.objects.create(annex=annex, number=1, meeting_date=date(2027, 6, 1), published_by=adam, snapshot={})
    year_close(year=year, by=adam)
    client.force_login(rita)
    response = client.post(START, follow=True)
    assert "2026-27 is closed, so its roll-ups cannot be changed." in response.text
    assert not BoroughRollUp.objects.exists()


# Flat in the number of boroughs.


def _more_boroughs(count, periods, rita):
    """Up to `count` active boroughs, each with a reviewed project and shared commentary."""
    columns = {c.key: c for c in AnnexColumn.objects.for_year(periods[0].year)}
    Borough.objects.bulk_create(
        Borough(
            name=f"Borough {n:02d}",
            slug=f"borough-{n:02d}",
            partnership_name=f"Borough {n:02d} CSP",
            ons_code=f"E{n:08d}",
        )
        for n in range(Borough.objects.count(), count)
    )
    for borough in Borough.objects.filter(returns__isnull=True):
        project = make_project(borough, f"{borough.name} advocacy")
        return_ = make_return(borough, periods[0], by=rita)
        comment(columns["alignment"], return_, f"{borough.name} aligns.", by=rita)
        assess(project, return_, f"{borough.name} on track.", by=rita)


def _queries_to_start(year, rita):
    with CaptureQueriesContext(connection) as queries:
        annex_start(year=year, by=rita)
    statements = [q["sql"].lstrip().upper() for q in queries.captured_queries]
    statements = [s for s in statements if not s.startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]
    return [s for s in statements if not s.startswith("INSERT")], [s for s in statements if s.startswith("INSERT")]


def test_starting_costs_the_same_for_7_boroughs_as_for_30(year, periods, rita, west_midlands):
    _more_boroughs(7, periods, rita)
    reads_7, _ = _queries_to_start(year, rita)
    assert BoroughRollUp.objects.count() == 7

    # The same start for another year with 30 boroughs: a fresh year, so both starts do the same work.
    next_year, _ = FinancialYear.get_or_create_for_start(2027)
    next_periods = next_year.ensure_periods()
    AnnexColumn.ensure_for_year(next_year)
    _more_boroughs(30, next_periods, rita)
    for borough in Borough.objects.filter(returns__period__year=year).distinct():
        project = borough.projects.first()
        return_ = make_return(borough, next_periods[0], by=rita)
        comment(AnnexColumn.objects.get(financial_year=next_year, key="alignment"), return_, "Aligns.", by=rita)
        assess(project, return_, "On track.", by=rita)
    reads_30, _ = _queries_to_start(next_year, rita)
    assert BoroughRollUp.objects.filter(financial_year=next_year).count() == 30
    assert RollUpRow.objects.filter(rollup__financial_year=next_year).count() == 30
    # Apart from the bulk inserts, the same number of reads and updates.
    assert len(reads_30) == len(reads_7), (reads_7, reads_30)
    assert len(reads_7) <= 16, reads_7


# The demo: after `make run`, the live year's annex can be started, previewed and downloaded.


def test_the_demo_offers_the_live_years_annex_and_it_has_every_borough(client, settings):
    settings.DEMO_DATA_ALLOWED = True
    call_command("seed_demo", "--quiet-logins")
    from django.contrib.auth import get_user_model

    reviewer = get_user_model().objects.get(username="reviewer")
    client.force_login(reviewer)
    listing = client.get("/annex/")
    assert "Start the 2026-27 annex" in listing.text
    preview = client.post(START, follow=True)
    assert preview.redirect_chain == [("/annex/2026-27/", 302)]
    names = list(Borough.objects.active().order_by("name").values_list("name", flat=True))
    assert len(names) == 7
    for name in names:
        assert name in preview.text
    # The demo's shared Q1 commentary is in the annex; its OPCC-only note is not.
    assert "Clear links to the Plan's priorities" in " ".join(RollUpCell.objects.values_list("text", flat=True))
    assert not RollUpCell.objects.filter(text__contains="victims grant").exists()

    # With its appendix's chart images the DOCX is prepared on the worker: the link leads to the Prepare button,
    # and the worker's exporter makes the document.
    assert client.get("/annex/2026-27/export/docx/")["Location"] == "/annex/2026-27/#downloads"
    annex = Annex.objects.get(financial_year__label="2026-27")
    document = Document(io.BytesIO(export(assemble(annex), "docx")[0]))
    assert len(document.tables) == 7 + 4  # a table per borough, then the performance summary appendix's four
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [*names, "Appendix: Performance summary"]
    birmingham = document.tables[headings.index("Birmingham")]
    text = " ".join(cell.text for row in birmingham.rows for cell in row.cells)
    assert "Clear links to the Plan's priorities" in text
