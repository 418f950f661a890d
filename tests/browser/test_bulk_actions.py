"""Issue 15 in the browser: bulk work from the grid, with axe-core and the Nu checker on every page.

A reviewer ticks two returns, sees exactly what will change, confirms, and sees both accepted; the other two
bulk pages (reminders, flags) are loaded and checked too.
"""

import pytest
from playwright.sync_api import expect

from returns.models import Return
from tests.conftest import PASSWORD

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


def test_a_reviewer_accepts_two_returns_at_once(page, live_server, west_midlands, alice, bob, rita, periods):
    from reviews.models import AnnexColumn, Flag, FlagType
    from tests.reviews.conftest import make_return

    q1 = periods[0]
    birmingham = make_return(west_midlands.get(slug="birmingham"), q1, by=alice)
    coventry = make_return(west_midlands.get(slug="coventry"), q1, status=Return.Status.RESUBMITTED, by=bob)
    dudley = make_return(west_midlands.get(slug="dudley"), q1)
    Flag.objects.create(
        borough=dudley.borough,
        period=q1,
        flag_type=FlagType.objects.first(),
        column=AnnexColumn.objects.get(financial_year=q1.year, key="performance"),
        raised_by=rita,
    )
    sign_in(page, live_server, "rita", PASSWORD)
    page.goto(f"{live_server.url}/review/bulk/accept/?year=2026-27")
    expect(page.get_by_role("heading", level=1)).to_have_text("Accept several returns")
    expect(page.get_by_role("table", name="Returns with the OPCC that cannot be accepted here")).to_contain_text(
        "Dudley Q1 2026-27"
    )
    page.get_by_label("Birmingham Q1 2026-27").check()
    page.get_by_label("Coventry Q1 2026-27").check()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Accept 2 returns?")
    table = page.get_by_role("table", name="What will change")
    expect(table.get_by_role("rowheader")).to_have_text(["Birmingham", "Coventry"])
    expect(table).to_contain_text("Resubmitted")
    assert Return.objects.get(pk=birmingham.pk).status == Return.Status.SUBMITTED
    page.get_by_role("button", name="Accept 2 returns").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Returns for 2026-27")
    expect(page.get_by_text("Accepted 2 returns: Birmingham Q1 2026-27, Coventry Q1 2026-27.")).to_be_visible()
    assert Return.objects.get(pk=birmingham.pk).status == Return.Status.ACCEPTED
    assert Return.objects.get(pk=coventry.pk).status == Return.Status.ACCEPTED
    assert Return.objects.get(pk=dudley.pk).status == Return.Status.SUBMITTED

    # The other two bulk pages, with something on each to check.
    page.goto(f"{live_server.url}/review/bulk/resolve/?year=2026-27")
    page.get_by_label("Dudley Q1 2026-27", exact=False).check()
    page.get_by_label("How the flags were resolved").fill("Evidence received.")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Resolve 1 flag?")
    page.goto(f"{live_server.url}/review/bulk/remind/?year=2026-27")
    expect(page.get_by_role("heading", level=1)).to_have_text("Remind overdue partnerships")
    # Whatever today is: once a quarter of 2026-27 is overdue, its confirmation is checked too (nothing is sent).
    if page.get_by_role("radio").count():
        page.get_by_role("radio").first.check()
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("table", name="Who will be emailed")).to_be_visible()
