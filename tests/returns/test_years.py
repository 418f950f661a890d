"""A financial year's cycle: an OPCC admin opens the next year (periods, Plan, projects continued or closed)
and, once its annex is published, closes it (returns/services/years.py, reviews/services/years.py)."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from boroughs.models import Borough
from returns.models import (
    FinancialYear,
    Plan,
    PlanPriority,
    Project,
    ProjectYear,
    ReportingPeriod,
    Return,
    ReturnLocked,
)
from returns.services import period_reopen, return_start
from returns.services.years import ProjectDecision, YearNotOpenable, year_open
from reviews.models import Annex, AnnexVersion
from reviews.services.rollup import cell_update, rollup_start
from reviews.services.years import YearNotClosable, year_close
from tests.conftest import assert_redirects_to_login
from tests.returns.conftest import complete_everything, make_project

NEXT = "2027-28"


@pytest.fixture
def plan(year):
    plan = Plan.objects.create(name="Police and Crime Plan 2025-29")
    plan.years.add(year)
    PlanPriority.objects.create(plan=plan, name="Domestic abuse and violence")
    return plan


@pytest.fixture
def coventry_project(coventry):
    return make_project(coventry, "Street Pastors")


@pytest.fixture
def retired(birmingham):
    """An officer closed it during the year: never offered for the next."""
    return make_project(birmingham, "Old scheme", status=Project.Status.CLOSED)


def open_form(projects, *, close=(), allocations=None, label=NEXT):
    data = {"year": label}
    for project in projects:
        data[f"project_{project.pk}"] = "close" if project in close else "continue"
        data[f"allocation_{project.pk}"] = (allocations or {}).get(project, "40000")
    return data


def publish_annex(year, by):
    annex = Annex.objects.create(financial_year=year, title=Annex.default_title(year))
    AnnexVersion.objects.create(annex=annex, number=1, meeting_date=date(2027, 6, 1), published_by=by, snapshot={})
    return annex


# Who may look.


@pytest.mark.parametrize("path", ["/years/", "/years/open/"])
@pytest.mark.parametrize("persona", ["alice", "bob", "charlie", "rita"])
def test_years_are_reference_data_403_for_everyone_but_the_admin(client, request, year, path, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(path).status_code == 403
    assert client.post(path, {"year": NEXT}).status_code == 403
    assert not FinancialYear.objects.filter(label=NEXT).exists()


@pytest.mark.parametrize("path", ["/years/", "/years/open/"])
def test_anonymous_is_sent_to_sign_in(client, year, path):
    assert_redirects_to_login(client.get(path), path)


def test_the_years_page_shows_each_years_state_and_offers_the_next(client, adam, year, annex_year_2015):
    client.force_login(adam)
    page = client.get("/years/")
    assert page.status_code == 200
    text = " ".join(strip_tags(page.text).split())
    assert "2026-27 (current)" in text
    assert "History not run in this service" in text  # 2015-16: an imported annex, no periods
    assert 'href="/years/open/" role="button" draggable="false">Open 2027-28</a>' in page.text
    assert reverse("reviews:year_close", args=["2026-27"]) in page.text
    assert reverse("reviews:year_close", args=["2015-16"]) not in page.text


@pytest.fixture
def annex_year_2015(db):
    return FinancialYear.get_or_create_for_start(2015)[0]


# Opening a year.


def test_the_admin_opens_the_next_year_continuing_some_projects(
    client, adam, year, plan, projects, coventry_project, retired
):
    youth, business = projects
    client.force_login(adam)
    page = client.get("/years/open/")
    assert page.status_code == 200
    text = " ".join(strip_tags(page.text).split())
    assert "Open 2027-28" in text
    assert "Q1 (April to June) 30 June 2027 30 July 2027" in text
    assert "2027-28 uses the plan of 2026-27: Police and Crime Plan 2025-29" in text
    for name in ("Youth violence prevention", "Business crime", "Street Pastors"):
        assert name in page.text
    assert "Old scheme" not in page.text  # closed during the year: not offered

    data = open_form(
        [youth, business, coventry_project], close=[business], allocations={youth: "45000", coventry_project: "18000"}
    )
    response = client.post("/years/open/", data, follow=True)
    assert response.redirect_chain == [("/years/", 302)]
    assert "2027-28 is open: 2 projects continued, 1 closed." in response.text

    opened = FinancialYear.objects.get(label=NEXT)
    periods = list(opened.periods.order_by("quarter"))
    assert [(p.quarter, p.opens_on, p.due_on) for p in periods] == [
        (1, date(2027, 6, 30), date(2027, 7, 30)),
        (2, date(2027, 9, 30), date(2027, 10, 30)),
        (3, date(2027, 12, 31), date(2028, 1, 30)),
        (4, date(2028, 3, 31), date(2028, 4, 30)),
    ]
    # Each period's history says who opened it.
    assert periods[0].history.get().history_user == adam
    assert list(PlanPriority.objects.for_year(opened).values_list("name", flat=True)) == [
        "Domestic abuse and violence"
    ]
    funded = {(r.project.name, r.financial_year.label): r.csf_allocation for r in ProjectYear.objects.all()}
    assert funded == {
        ("Youth violence prevention", "2026-27"): Decimal("40000"),
        ("Youth violence prevention", NEXT): Decimal("45000"),
        ("Business crime", "2026-27"): Decimal("40000"),
        ("Street Pastors", "2026-27"): Decimal("40000"),
        ("Street Pastors", NEXT): Decimal("18000"),
    }
    # 2026-27 is still running: the closed project stays active until it ends, for its Q4 return.
    business.refresh_from_db()
    assert business.status == Project.Status.ACTIVE


def test_a_second_click_opens_nothing_more(client, adam, year, projects):
    client.force_login(adam)
    data = open_form(projects)
    client.post("/years/open/", data)
    state = (
        list(ReportingPeriod.objects.values_list("pk", "year__label", "quarter", "opens_on", "due_on")),
        list(ProjectYear.objects.values_list("pk", "project_id", "financial_year_id", "csf_allocation")),
        FinancialYear.objects.count(),
    )
    response = client.post("/years/open/", data, follow=True)
    assert "2027-28 was already open: nothing has changed." in response.text
    assert not FinancialYear.objects.filter(label="2028-29").exists()
    assert state == (
        list(ReportingPeriod.objects.values_list("pk", "year__label", "quarter", "opens_on", "due_on")),
        list(ProjectYear.objects.values_list("pk", "project_id", "financial_year_id", "csf_allocation")),
        FinancialYear.objects.count(),
    )


def test_a_continued_project_needs_its_allocation(client, adam, year, projects):
    youth, _ = projects
    client.force_login(adam)
    data = open_form(projects)
    data[f"allocation_{youth.pk}"] = ""
    response = client.post("/years/open/", data)
    assert response.status_code == 200
    assert "Enter the 2027-28 allocation for Youth violence prevention" in response.text
    assert "<title>Error:" in response.text
    assert not FinancialYear.objects.filter(label=NEXT).exists()


def test_the_service_opens_only_the_next_year_and_not_too_early(year, adam):
    with pytest.raises(YearNotOpenable, match="The next year to open is 2027-28, not 2028-29"):
        year_open(start_year=2028, decisions={}, by=adam)
    with pytest.raises(YearNotOpenable, match="2027-28 can be opened from 1 April 2026"):
        year_open(start_year=2027, decisions={}, by=adam, today=date(2026, 3, 31))
    assert not FinancialYear.objects.filter(label__in=["2027-28", "2028-29"]).exists()


def test_the_first_year_on_an_empty_service_is_the_one_covering_today(db, adam):
    opened = year_open(start_year=2026, decisions={}, by=adam, today=date(2026, 11, 28))
    assert opened.created
    assert opened.year.label == "2026-27"
    assert opened.year.periods.count() == 4
    assert FinancialYear.current(today=date(2026, 11, 28)) == opened.year
    again = year_open(start_year=2026, decisions={}, by=adam, today=date(2026, 11, 28))
    assert not again.created
    assert ReportingPeriod.objects.count() == 4


# What each year's returns carry.


def test_returns_carry_only_the_projects_of_their_year(year, adam, alice, birmingham, projects):
    _, business = projects
    year_open(start_year=2027, decisions={business.pk: ProjectDecision(continues=False)}, by=adam)
    q4 = year.periods.get(quarter=4)
    old = return_start(borough=birmingham, period=q4, by=alice)
    assert sorted(old.project_updates.values_list("project__name", flat=True)) == [
        "Business crime",
        "Youth violence prevention",
    ]
    q1_next = ReportingPeriod.objects.get(year__label=NEXT, quarter=1)
    new = return_start(borough=birmingham, period=q1_next, by=alice)
    assert list(new.project_updates.values_list("project__name", flat=True)) == ["Youth violence prevention"]
    # A project added during the new year (no year recorded) is carried while it is active.
    late = make_project(birmingham, "New in 2027")
    q2_next = ReportingPeriod.objects.get(year__label=NEXT, quarter=2)
    later = return_start(borough=birmingham, period=q2_next, by=alice)
    assert late.name in later.project_updates.values_list("project__name", flat=True)


# Closing a year.


@pytest.mark.parametrize("path", ["/years/2026-27/close/"])
@pytest.mark.parametrize("persona", ["alice", "bob", "charlie", "rita"])
def test_closing_a_year_is_403_for_everyone_but_the_admin(client, request, year, path, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(path).status_code == 403
    assert client.post(path).status_code == 403
    year.refresh_from_db()
    assert not year.is_closed


def test_closing_needs_a_signed_in_admin_and_a_real_year(client, adam, year):
    assert_redirects_to_login(client.get("/years/2026-27/close/"), "/years/2026-27/close/")
    client.force_login(adam)
    assert client.get("/years/2031-32/close/").status_code == 404


def test_a_year_without_a_published_annex_is_not_closed(client, adam, year):
    client.force_login(adam)
    page = client.get("/years/2026-27/close/")
    assert page.status_code == 200
    assert "Publish the 2026-27 annex for the board before you close the year." in page.text
    response = client.post("/years/2026-27/close/")
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "Publish the 2026-27 annex for the board before you close the year." in response.text
    year.refresh_from_db()
    assert not year.is_closed
    Annex.objects.create(financial_year=year, title="Draft only")
    with pytest.raises(YearNotClosable, match="Publish the 2026-27 annex"):
        year_close(year=year, by=adam)


def test_closing_the_year_makes_its_returns_and_roll_ups_read_only(
    client, adam, rita, alice, birmingham, year, projects, draft
):
    youth, business = projects
    accepted = return_start(borough=birmingham, period=year.periods.get(quarter=1), by=alice)
    complete_everything(accepted)
    accepted.status = Return.Status.ACCEPTED
    accepted.save()
    rollup = rollup_start(borough=birmingham, year=year, by=rita)
    cell = rollup.cells.filter(row__isnull=True).first()
    publish_annex(year, adam)
    year_open(start_year=2027, decisions={business.pk: ProjectDecision(continues=False)}, by=adam)
    client.force_login(adam)
    response = client.post("/years/2026-27/close/", follow=True)
    assert response.redirect_chain == [("/years/", 302)]
    assert "2026-27 is closed: its returns and roll-ups can no longer be changed." in response.text

    year.refresh_from_db()
    assert year.is_closed
    assert year.closed_by == adam
    assert all(p.is_closed for p in year.periods.all())
    draft.refresh_from_db()
    assert not draft.is_editable
    with pytest.raises(ReturnLocked):
        draft.ensure_editable()
    # Nobody reopens its returns or periods.
    with pytest.raises(ValidationError, match=re.escape("2026-27 is closed: its returns cannot change.")):
        Return.objects.get(pk=accepted.pk).reopen()
    with pytest.raises(ValidationError, match=re.escape("2026-27 is closed, so its periods cannot be reopened.")):
        period_reopen(period=year.periods.get(quarter=1), by=adam, reason="Late figures")
    # Nor its roll-up: the service refuses, the page is 403.
    with pytest.raises(ValidationError, match=re.escape("2026-27 is closed, so its roll-ups cannot be changed.")):
        cell_update(cell=cell, text="Changed after the board met.", expected_version=cell.version, by=rita)
    client.force_login(rita)
    edit = reverse("reviews:rollup_cell", args=["birmingham", "2026-27", cell.pk])
    assert client.post(edit, {"text": "Changed", "version": cell.version}).status_code == 403
    cell.refresh_from_db()
    assert cell.text == ""
    # Projects not continued into 2027-28 are completed; continued ones keep going.
    business.refresh_from_db()
    youth.refresh_from_db()
    assert (business.status, business.end_date) == (Project.Status.COMPLETED, date(2027, 3, 31))
    assert youth.status == Project.Status.ACTIVE
    # A second close is refused with the reason.
    with pytest.raises(YearNotClosable, match=re.escape("2026-27 is already closed.")):
        year_close(year=year, by=adam)


def test_opening_after_the_previous_year_closed_completes_the_closed_projects_at_once(
    year, adam, projects, birmingham
):
    youth, business = projects
    publish_annex(year, adam)
    year_close(year=year, by=adam)
    year_open(
        start_year=2027,
        decisions={
            business.pk: ProjectDecision(continues=False),
            youth.pk: ProjectDecision(continues=True, allocation=Decimal("52000")),
        },
        by=adam,
    )
    business.refresh_from_db()
    youth.refresh_from_db()
    assert business.status == Project.Status.COMPLETED
    # The old year is over, so the continued project's allocation is now the new year's.
    assert (youth.status, youth.csf_allocation) == (Project.Status.ACTIVE, Decimal("52000"))
    assert youth.history.first().history_change_reason == "2026-27 rolled over into 2027-28"


# Flat in the number of boroughs.


def _boroughs(count):
    """Up to `count` boroughs, each with two projects."""
    Borough.objects.bulk_create(
        Borough(
            name=f"Borough {n:02d}",
            slug=f"borough-{n:02d}",
            partnership_name=f"Borough {n:02d} CSP",
            ons_code=f"E{n:08d}",
        )
        for n in range(Borough.objects.count(), count)
    )
    for borough in Borough.objects.filter(projects__isnull=True):
        make_project(borough, f"{borough.name} youth work")
        make_project(borough, f"{borough.name} domestic abuse")


def _queries_to_open(start_year, adam):
    decisions = {
        p.pk: ProjectDecision(continues=p.pk % 2 == 0, allocation=Decimal("1000")) for p in Project.objects.all()
    }
    with CaptureQueriesContext(connection) as queries:
        opened = year_open(start_year=start_year, decisions=decisions, by=adam, today=date(start_year, 1, 1))
    assert opened.created
    statements = [q["sql"].lstrip().upper() for q in queries.captured_queries]
    statements = [s for s in statements if not s.startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]
    return [s for s in statements if not s.startswith("INSERT")], [s for s in statements if s.startswith("INSERT")]


def test_opening_a_year_costs_the_same_for_7_boroughs_as_for_30(west_midlands, year, plan, adam):
    _boroughs(7)
    reads_7, _ = _queries_to_open(2027, adam)
    _boroughs(30)  # 23 more boroughs, each with two projects
    assert Borough.objects.count() == 30
    reads_30, inserts_30 = _queries_to_open(2028, adam)
    # Apart from the bulk inserts, opening reads and updates in a fixed number of queries.
    assert len(reads_30) == len(reads_7), (reads_7, reads_30)
    assert len(reads_7) <= 12, "\n".join(reads_7)
    assert len(inserts_30) <= 8, inserts_30  # periods, Plan, project years: each one bulk insert (and its history)
    assert ProjectYear.objects.filter(financial_year__label="2028-29").count() == Project.objects.count() // 2


def test_current_is_a_pure_read(db):
    before = FinancialYear.objects.count()  # the Plan migration's 2015-16, never opened
    assert FinancialYear.current() is None
    assert FinancialYear.objects.count() == before
    FinancialYear.get_or_create_for_start(FinancialYear.start_year_for(timezone.localdate()))
    # A year with no periods was never opened: it is not current.
    assert FinancialYear.current() is None
