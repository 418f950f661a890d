"""Issue 15 in the browser: the officer's dashboard and accepting with care, with axe-core on every page.

The `page` fixture fails the test on any axe-core violation or HTML error.
"""

import re

import pytest
from playwright.sync_api import expect

from boroughs.roles import CSP_OFFICER
from returns.models import Return
from tests.conftest import PASSWORD, make_user

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def periods(west_midlands):
    from returns.models import FinancialYear
    from reviews.models import AnnexColumn, FlagType
    from reviews.reference import ensure_flag_types

    year, _ = FinancialYear.get_or_create_for_start(2026)
    periods = year.ensure_periods()
    AnnexColumn.ensure_for_year(year)
    ensure_flag_types(FlagType)
    return periods


def test_an_officer_of_two_boroughs_sees_and_starts_their_returns(page, live_server, west_midlands, periods):
    make_user(
        "multi", role=CSP_OFFICER, boroughs=[west_midlands.get(slug="dudley"), west_midlands.get(slug="sandwell")]
    )
    sign_in(page, live_server, "multi", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your partnerships")
    table = page.get_by_role("table", name="Current returns")
    # One row per borough (earlier quarters still to hand in, if any, are listed under it).
    expect(table.get_by_role("rowheader")).to_have_text([re.compile("Dudley"), re.compile("Sandwell")])
    # Whatever today is, the latest opened quarter (or the next to open) is shown with its label.
    if page.get_by_role("button", name="Start the Sandwell").count():
        page.get_by_role("button", name="Start the Sandwell").click()
        page.wait_for_load_state()
        assert Return.objects.filter(borough__slug="sandwell").exists()


def test_a_reviewer_accepts_with_an_open_flag_only_once_confirmed(page, live_server, alice, rita, birmingham, periods):
    from reviews.models import AnnexColumn, FlagType
    from reviews.services.review import flag_raise
    from tests.reviews.conftest import make_project, make_return

    make_project(birmingham)
    return_ = make_return(birmingham, periods[0], by=alice)
    flag_raise(
        return_=return_,
        flag_type=FlagType.objects.get(key="outcomes-not-quantified"),
        column=AnnexColumn.objects.get(financial_year=periods[0].year, key="performance"),
        note="Internal: give the number of victims supported.",
        visibility="opcc",
        by=rita,
    )
    sign_in(page, live_server, "rita", PASSWORD)
    page.goto(f"{live_server.url}/review/returns/{return_.pk}/accept/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Accept with 1 open flag?")
    expect(page.get_by_role("table", name="Open flags")).to_contain_text("OPCC only")
    page.get_by_role("link", name="Go back").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review the return")
    assert Return.objects.get(pk=return_.pk).status == Return.Status.SUBMITTED
    page.goto(f"{live_server.url}/review/returns/{return_.pk}/accept/")
    page.get_by_label("Note for the record").fill("Accepted; the flag stays open.")
    page.get_by_role("button", name="Accept with these flags open").click()
    expect(page.locator("#timeline")).to_contain_text("Accepted")
    assert Return.objects.get(pk=return_.pk).status == Return.Status.ACCEPTED
