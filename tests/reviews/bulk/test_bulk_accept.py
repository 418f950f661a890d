"""Accepting several returns from the grid: choose, confirm exactly what changes, all or nothing."""

import pytest
from django.core import mail

from returns.models import Return
from reviews.models import Decision
from reviews.services import review as review_services
from reviews.services.bulk import BULK_ACCEPT
from tests.conftest import assert_redirects_to_login, make_user

from .conftest import count_queries, raise_flag

PATH = "/review/bulk/accept/"
URL = f"{PATH}?year=2026-27"


def choose(client, *returns, reason=""):
    return client.post(URL, {"returns": [r.pk for r in returns], "reason": reason})


def confirm(client, *tokens, reason=""):
    return client.post(URL, {"confirm": "yes", "item": list(tokens), "reason": reason})


def token(return_):
    return f"{return_.pk}:{return_.status}"


def status(return_):
    return Return.objects.get(pk=return_.pk).status


def test_the_choice_lists_what_may_be_accepted_and_why_not_the_rest(client, rita, quarter):
    client.force_login(rita)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.text
    assert f'value="{quarter["birmingham"].pk}"' in html
    assert f'value="{quarter["coventry"].pk}"' in html
    assert f'value="{quarter["dudley"].pk}"' not in html  # not a checkbox: it has an open flag
    assert "Dudley Q1 2026-27" in html
    assert "1 open flag" in html
    # Drafts and accepted returns are not with the OPCC for a decision: not listed at all.
    assert "Sandwell" not in html
    assert "Walsall" not in html


def test_the_confirmation_lists_exactly_what_changes_and_changes_nothing(client, rita, quarter):
    client.force_login(rita)
    birmingham, coventry = quarter["birmingham"], quarter["coventry"]
    response = choose(client, birmingham, coventry, reason="Checked in bulk.")
    assert response.status_code == 200
    html = response.text
    assert "Accept 2 returns?" in html
    rows = html.split('<tbody class="govuk-table__body">')[1].split("</tbody>")[0]
    assert rows.count('<tr class="govuk-table__row">') == 2
    assert "Birmingham" in rows
    assert "Coventry" in rows
    assert "Dudley" not in rows
    assert "Submitted" in rows
    assert "Resubmitted" in rows
    assert "Accepted" in rows
    assert f'name="item" value="{birmingham.pk}:submitted"' in html
    assert f'name="item" value="{coventry.pk}:resubmitted"' in html
    assert 'name="reason" value="Checked in bulk."' in html
    assert status(birmingham) == Return.Status.SUBMITTED
    assert status(coventry) == Return.Status.RESUBMITTED


def test_confirming_accepts_them_all_and_writes_history(client, rita, quarter, django_capture_on_commit_callbacks):
    client.force_login(rita)
    birmingham, coventry = quarter["birmingham"], quarter["coventry"]
    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(client, token(birmingham), token(coventry), reason="Checked in bulk.")
    assert response.status_code == 302
    assert response["Location"] == "/review/?year=2026-27"
    assert status(birmingham) == status(coventry) == Return.Status.ACCEPTED
    assert status(quarter["dudley"]) == Return.Status.SUBMITTED
    decisions = Decision.objects.filter(kind="accept", by=rita).order_by("return_of__borough__name")
    assert [(d.return_of_id, d.from_status, d.reason) for d in decisions] == [
        (birmingham.pk, "submitted", "Checked in bulk."),
        (coventry.pk, "resubmitted", "Checked in bulk."),
    ]
    latest = Return.history.filter(id=birmingham.pk).latest("history_date")
    assert (latest.status, latest.history_change_reason, latest.history_user_id) == ("accepted", BULK_ACCEPT, rita.pk)
    # The grid says what was done, the History tab shows it, and each partnership is told.
    assert "Accepted 2 returns: Birmingham Q1 2026-27, Coventry Q1 2026-27." in client.get(response["Location"]).text
    assert BULK_ACCEPT in client.get(f"/returns/{birmingham.pk}/history/").text
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.org", "bob@example.org"]


def test_one_return_changed_meanwhile_applies_nothing_and_says_which(client, rita, adam, quarter):
    client.force_login(rita)
    birmingham, coventry = quarter["birmingham"], quarter["coventry"]
    seen = [token(birmingham), token(coventry)]
    review_services.return_request_changes(return_=coventry, by=adam, reason="Missing figures.")
    response = confirm(client, *seen)
    assert response.status_code == 409
    assert "Nothing has been changed" in response.text
    assert "Coventry Q1 2026-27: now changes requested, was resubmitted" in response.text
    assert status(birmingham) == Return.Status.SUBMITTED
    assert not Decision.objects.filter(kind="accept").exists()
    # Shown again as things are now: only Birmingham is left to confirm.
    assert "Accept 1 return?" in response.text
    assert f'value="{birmingham.pk}:submitted"' in response.text
    assert f'value="{coventry.pk}:' not in response.text


def test_a_flag_raised_meanwhile_applies_nothing(client, rita, quarter, columns):
    client.force_login(rita)
    birmingham, coventry = quarter["birmingham"], quarter["coventry"]
    seen = [token(birmingham), token(coventry)]
    raise_flag(birmingham, rita, columns["alignment"])
    response = confirm(client, *seen)
    assert response.status_code == 409
    assert "Birmingham Q1 2026-27: 1 open flag" in response.text
    assert status(birmingham) == Return.Status.SUBMITTED
    assert status(coventry) == Return.Status.RESUBMITTED


def test_a_reviewer_cannot_bulk_accept_their_own_boroughs_return(client, reviewer_of_birmingham, quarter):
    client.force_login(reviewer_of_birmingham)
    birmingham, coventry = quarter["birmingham"], quarter["coventry"]
    html = client.get(URL).text
    assert f'value="{birmingham.pk}"' not in html
    assert "You are an officer of this partnership" in html
    assert choose(client, birmingham).status_code == 200  # not a choice: the form says so
    response = confirm(client, token(birmingham), token(coventry))  # a crafted confirmation
    assert response.status_code == 200
    assert "so you cannot review: Birmingham Q1 2026-27. Nothing was changed." in response.text
    assert status(birmingham) == Return.Status.SUBMITTED
    assert status(coventry) == Return.Status.RESUBMITTED


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reason": ""}, "Select at least one return to accept"),
        ({"returns": ["999999"]}, "Select returns from the list"),
        ({"returns": ["x"]}, "Select returns from the list"),
        ({"confirm": "yes", "item": ["1:submitted\x00"]}, "The selection could not be read"),
        ({"confirm": "yes"}, "The selection could not be read"),
    ],
)
def test_bad_input_is_a_message_not_an_error(client, rita, quarter, data, message):
    client.force_login(rita)
    response = client.post(URL, data)
    assert response.status_code == 200
    assert message in response.text
    assert not Decision.objects.exists()


def test_personas(client, alice, bob, charlie, rita, quarter):
    birmingham = quarter["birmingham"]
    assert_redirects_to_login(client.get(PATH), PATH)
    assert_redirects_to_login(client.post(PATH, {"confirm": "yes", "item": [token(birmingham)]}), PATH)
    for user, expected in [(alice, 404), (bob, 404), (charlie, 403)]:
        client.force_login(user)
        assert client.get(URL).status_code == expected, user
        assert client.post(URL, {"confirm": "yes", "item": [token(birmingham)]}).status_code == expected, user
    assert status(birmingham) == Return.Status.SUBMITTED
    client.force_login(rita)
    assert client.get(URL).status_code == 200
    assert client.post(URL, {"confirm": "yes", "item": [token(birmingham)]}).status_code == 302
    assert status(birmingham) == Return.Status.ACCEPTED


def test_an_unknown_year_is_404(client, rita, quarter):
    client.force_login(rita)
    assert client.get("/review/bulk/accept/?year=1999-00").status_code == 404
    assert client.get("/review/bulk/accept/?year=x%00").status_code == 404


def test_query_counts_do_not_grow_with_the_returns(client, rita, quarter, west_midlands, q1):
    from tests.reviews.conftest import make_return

    client.force_login(rita)
    few = [
        count_queries(client, "get", URL),
        count_queries(client, "post", URL, {"returns": [quarter["birmingham"].pk]}),
    ]
    for slug in ("solihull", "wolverhampton"):
        make_return(west_midlands.get(slug=slug), q1)
    for name in ("a", "b", "c"):
        make_user(f"officer-{name}")
    chosen = [r.pk for r in Return.objects.filter(status="submitted").exclude(borough__slug="dudley")]
    many = [count_queries(client, "get", URL), count_queries(client, "post", URL, {"returns": chosen})]
    assert many == few


def test_the_grid_links_to_the_bulk_actions_for_its_year(client, rita, quarter):
    client.force_login(rita)
    html = client.get("/review/?year=2026-27").text
    for action in ("accept", "remind", "resolve"):
        assert f'href="/review/bulk/{action}/?year=2026-27"' in html


def test_without_an_open_year_the_page_says_so(client, rita):
    client.force_login(rita)
    response = client.get(PATH)
    assert response.status_code == 200
    assert "No financial year is open for today." in response.text
