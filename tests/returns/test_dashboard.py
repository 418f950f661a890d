"""The officer's dashboard on /boroughs/ (returns/templatetags/returns_dashboard.py, returns/_dashboard.html).

Q1 2026-27 opens on 30 June 2026 and is due on 30 July; Q2 opens on 30 September and is due on 30 October.
"""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from boroughs.models import Borough
from boroughs.roles import CSP_OFFICER
from returns.models import PeriodExtension, Return
from returns.services import return_start
from tests.conftest import assert_redirects_to_login, make_user

S = Return.Status


@pytest.fixture
def today(monkeypatch):
    def set_today(day):
        monkeypatch.setattr(timezone, "localdate", lambda *args: day)

    set_today(date(2026, 7, 20))
    return set_today


@pytest.fixture
def dudley(west_midlands):
    return west_midlands.get(slug="dudley")


@pytest.fixture
def sandwell(west_midlands):
    return west_midlands.get(slug="sandwell")


@pytest.fixture
def multi(dudley, sandwell):
    return make_user("multi", role=CSP_OFFICER, boroughs=[dudley, sandwell])


def started(borough, period, status=S.DRAFT, by=None):
    return_ = return_start(borough=borough, period=period, by=by)
    Return.objects.filter(pk=return_.pk).update(status=status)
    return return_


def rows_of(response):
    """Each table row's text, squashed, for comparing what a person reads."""
    body = response.text.split('<table class="govuk-table app-dashboard">', 1)[1].split("</table>", 1)[0]
    rows = body.split('<tr class="govuk-table__row">')[2:]  # after the header row
    return [" ".join(_text(row).split()) for row in rows]


def _text(html):
    return re.sub(r"<[^>]+>", " ", html)


def test_an_officer_of_several_boroughs_lands_on_the_dashboard(client, multi, year, today):
    client.force_login(multi)
    response = client.get("/")
    assert response["Location"] == "/boroughs/"
    response = client.get("/boroughs/")
    assert response.status_code == 200
    assert "Your partnerships" in response.text
    assert rows_of(response) == [
        "Dudley Safe and Sound, Dudley Q1 2026-27 Due in 10 days 30 July 2026 Start the Dudley Q1 2026-27 return",
        "Sandwell Safer Sandwell Partnership Q1 2026-27 Due in 10 days 30 July 2026 "
        "Start the Sandwell Q1 2026-27 return",
    ]


def test_each_borough_shows_its_own_return_status_due_date_and_link(client, multi, year, q1, dudley, sandwell, today):
    submitted = started(dudley, q1, S.SUBMITTED, by=multi)
    PeriodExtension.objects.create(borough=sandwell, period=q1, due_on=date(2026, 8, 31), reason="New system")
    draft = started(sandwell, q1, by=multi)
    client.force_login(multi)
    response = client.get("/boroughs/")
    dudley_row, sandwell_row = rows_of(response)
    assert "Submitted" in dudley_row
    assert "View the Dudley Q1 2026-27 return" in dudley_row
    assert "Open 31 August 2026 Extended: New system" in sandwell_row
    assert "Continue the Sandwell Q1 2026-27 return" in sandwell_row
    assert f'href="{submitted.get_absolute_url()}"' in response.text
    assert f'href="{draft.get_absolute_url()}"' in response.text
    assert "Not started" not in response.text


def test_the_start_button_starts_that_boroughs_return(client, multi, year, q1, sandwell, today):
    client.force_login(multi)
    response = client.get("/boroughs/")
    assert f'action="/boroughs/sandwell/returns/start/{q1.pk}/"' in response.text
    response = client.post(f"/boroughs/sandwell/returns/start/{q1.pk}/")
    assert Return.objects.get(borough=sandwell, period=q1).get_absolute_url() == response["Location"]


def test_before_any_quarter_opens_the_next_one_is_not_open_yet(client, multi, year, today):
    today(date(2026, 5, 1))
    client.force_login(multi)
    response = client.get("/boroughs/")
    assert all("Q1 2026-27 Not open yet (opens 30 June 2026) 30 July 2026" in row for row in rows_of(response))
    assert "returns/start/" not in response.text


def test_between_quarters_the_most_recently_due_one_is_shown(client, multi, year, q1, dudley, today):
    today(date(2026, 9, 1))
    started(dudley, q1, S.ACCEPTED, by=multi)
    client.force_login(multi)
    dudley_row, sandwell_row = rows_of(client.get("/boroughs/"))
    assert "Q1 2026-27 Accepted" in dudley_row
    assert "Q1 2026-27 Overdue 30 July 2026" in sandwell_row


def test_once_the_next_quarter_opens_an_unfiled_one_is_listed_under_it(client, multi, year, q1, q2, dudley, today):
    today(date(2026, 10, 5))
    started(dudley, q1, S.CHANGES_REQUESTED, by=multi)
    client.force_login(multi)
    rows = rows_of(client.get("/boroughs/"))
    assert rows[0].startswith("Dudley Safe and Sound, Dudley Q2 2026-27 Open 30 October 2026")
    assert rows[1] == (
        "Dudley, Still to hand in Q1 2026-27 Changes requested 30 July 2026 Continue the Dudley Q1 2026-27 return"
    )
    assert rows[2].startswith("Sandwell Safer Sandwell Partnership Q2 2026-27")
    assert rows[3] == "Sandwell, Still to hand in Q1 2026-27 Overdue 30 July 2026 All returns for Sandwell"


def test_a_closed_quarter_is_not_the_current_one(client, multi, year, q1, adam, today):
    today(date(2026, 9, 1))
    q1.close(by=adam)
    q1.save()
    client.force_login(multi)
    assert all("Q2 2026-27 Not open yet (opens 30 September 2026)" in row for row in rows_of(client.get("/boroughs/")))


def test_an_inactive_borough_is_not_asked(client, multi, year, sandwell, today):
    Borough.objects.filter(pk=sandwell.pk).update(active=False)
    client.force_login(multi)
    assert (
        rows_of(client.get("/boroughs/"))[1] == "Sandwell Safer Sandwell Partnership Inactive: not asked for returns"
    )


def test_no_year_open_says_so(client, multi, today):
    client.force_login(multi)
    rows = rows_of(client.get("/boroughs/"))
    assert all(row.endswith("No quarter is open or coming up.") for row in rows)


def test_fixed_queries_for_2_and_7_boroughs(client, year, q1, west_midlands, today):
    two = make_user("two", role=CSP_OFFICER, boroughs=list(west_midlands[:2]))
    seven = make_user("seven", role=CSP_OFFICER, boroughs=list(west_midlands))
    for i, borough in enumerate(west_midlands):
        PeriodExtension.objects.create(borough=borough, period=q1, due_on=date(2026, 8, 31), reason="Outage")
        if i % 2:
            started(borough, q1, S.SUBMITTED, by=seven)

    def queries_for(user, boroughs):
        client.force_login(user)
        client.get("/boroughs/")  # the session and permission caches, as on any later page
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/boroughs/")
        assert len(rows_of(response)) == boroughs
        return [q["sql"] for q in captured]

    two_queries, seven_queries = queries_for(two, 2), queries_for(seven, 7)
    assert len(two_queries) == len(seven_queries)
    # The dashboard's own: the boroughs, the unclosed periods, the returns and the extensions.
    dashboard = [
        sql for sql in seven_queries if any(f'"{t}"' in sql for t in ("returns_return", "returns_periodextension"))
    ]
    assert len(dashboard) == 2


# Personas on the page.


def test_alice_one_borough_goes_straight_to_it_and_her_list_is_the_dashboard(client, alice, year, today):
    client.force_login(alice)
    assert client.get("/")["Location"] == "/boroughs/birmingham/"
    response = client.get("/boroughs/")
    assert [row.split(" Q1")[0] for row in rows_of(response)] == ["Birmingham Birmingham Community Safety Partnership"]


def test_bob_sees_only_coventry(client, bob, year, birmingham, q1, today):
    started(birmingham, q1, S.SUBMITTED)
    client.force_login(bob)
    response = client.get("/boroughs/")
    assert [row.split(" ")[0] for row in rows_of(response)] == ["Coventry"]
    assert "Birmingham" not in response.text


def test_charlie_without_a_role_is_refused(client, charlie, year):
    client.force_login(charlie)
    assert client.get("/boroughs/").status_code == 403


def test_opcc_staff_keep_their_list(client, rita, year, today):
    client.force_login(rita)
    response = client.get("/boroughs/")
    assert response.status_code == 200
    assert "All boroughs" in response.text
    assert "app-dashboard" not in response.text


def test_anonymous_is_sent_to_sign_in(client, db):
    assert_redirects_to_login(client.get("/boroughs/"), "/boroughs/")
