"""Resolving several flags from the grid with one note: choose, confirm exactly what changes, all or nothing."""

import pytest

from reviews.models import Flag
from reviews.services.bulk import BULK_RESOLVE
from reviews.services.review import flag_resolve
from tests.conftest import assert_redirects_to_login

from .conftest import count_queries, raise_flag

PATH = "/review/bulk/resolve/"
URL = f"{PATH}?year=2026-27"
NOTE = "Evidence received by email."


@pytest.fixture
def flags(quarter, rita, columns):
    """Dudley's flag from the quarter, one on Birmingham, one on Coventry, and one already resolved."""
    resolved = raise_flag(quarter["walsall"], rita, columns["marketing"], note="Old")
    flag_resolve(flag=resolved, by=rita, resolution="Done")
    return {
        "dudley": Flag.objects.get(borough__slug="dudley"),
        "birmingham": raise_flag(quarter["birmingham"], rita, columns["alignment"], note="Links to the Plan"),
        "coventry": raise_flag(quarter["coventry"], rita, columns["community"], note="Who was engaged?"),
        "resolved": resolved,
    }


def token(flag):
    return f"{flag.pk}:{flag.status}"


def confirm(client, *flags, resolution=NOTE):
    return client.post(URL, {"confirm": "yes", "item": [token(f) for f in flags], "resolution": resolution})


def is_open(flag):
    return Flag.objects.get(pk=flag.pk).is_open


def test_the_choice_lists_the_years_open_flags(client, rita, flags):
    client.force_login(rita)
    html = client.get(URL).text
    for name in ("dudley", "birmingham", "coventry"):
        assert f'value="{flags[name].pk}"' in html
    assert f'value="{flags["resolved"].pk}"' not in html
    assert "Walsall" not in html


def test_the_confirmation_lists_each_flag_and_the_note_and_changes_nothing(client, rita, flags):
    client.force_login(rita)
    chosen = [flags["birmingham"].pk, flags["coventry"].pk]
    response = client.post(URL, {"flags": chosen, "resolution": NOTE})
    assert response.status_code == 200
    html = response.text
    assert "Resolve 2 flags?" in html
    rows = html.split('<tbody class="govuk-table__body">')[1].split("</tbody>")[0]
    assert rows.count('<tr class="govuk-table__row">') == 2
    assert "Birmingham Q1 2026-27" in rows
    assert "Coventry Q1 2026-27" in rows
    assert "Dudley" not in rows
    assert NOTE in html
    assert f'value="{flags["birmingham"].pk}:open"' in html
    assert all(is_open(flags[name]) for name in ("birmingham", "coventry", "dudley"))


def test_confirming_resolves_them_all_with_the_note_and_writes_history(client, rita, flags, quarter):
    client.force_login(rita)
    response = confirm(client, flags["birmingham"], flags["coventry"])
    assert response.status_code == 302
    assert response["Location"] == "/review/?year=2026-27"
    for name in ("birmingham", "coventry"):
        flag = Flag.objects.get(pk=flags[name].pk)
        assert (flag.status, flag.resolution, flag.resolved_by) == ("resolved", NOTE, rita)
        latest = Flag.history.filter(id=flag.pk).latest("history_date")
        assert (latest.status, latest.history_change_reason) == ("resolved", BULK_RESOLVE)
    assert is_open(flags["dudley"])
    assert "Resolved 2 flags." in client.get(response["Location"]).text
    history = client.get(f"/returns/{quarter['birmingham'].pk}/history/").text
    assert BULK_RESOLVE in history
    assert NOTE in history


def test_a_flag_resolved_meanwhile_applies_nothing_and_says_which(client, rita, adam, flags):
    client.force_login(rita)
    seen = [flags["birmingham"], flags["coventry"]]
    flag_resolve(flag=flags["coventry"], by=adam, resolution="Adam did it")
    response = confirm(client, *seen)
    assert response.status_code == 409
    assert "Nothing has been changed" in response.text
    assert "Coventry Q1 2026-27" in response.text
    assert "now resolved, was open" in response.text
    assert is_open(flags["birmingham"])
    assert Flag.objects.get(pk=flags["coventry"].pk).resolution == "Adam did it"
    assert "Resolve 1 flag?" in response.text
    assert f'value="{flags["birmingham"].pk}:open"' in response.text


def test_a_reviewer_cannot_resolve_their_own_boroughs_flags(client, reviewer_of_birmingham, flags):
    client.force_login(reviewer_of_birmingham)
    html = client.get(URL).text
    assert f'value="{flags["birmingham"].pk}"' not in html
    assert "You are an officer of this partnership" in html
    response = confirm(client, flags["birmingham"], flags["coventry"])
    assert response.status_code == 200
    assert "Nothing was changed." in response.text
    assert is_open(flags["birmingham"])
    assert is_open(flags["coventry"])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"resolution": NOTE}, "Select at least one flag to resolve"),
        ({"flags": ["0"], "resolution": NOTE}, "Select flags from the list"),
        ({"flags": [], "resolution": ""}, "Enter how the flags were resolved"),
        ({"confirm": "yes", "item": ["nonsense"], "resolution": NOTE}, "The selection could not be read"),
    ],
)
def test_bad_input_is_a_message_not_an_error(client, rita, flags, data, message):
    client.force_login(rita)
    response = client.post(URL, data)
    assert response.status_code == 200
    assert message in response.text
    assert Flag.objects.filter(status="open").count() == 3


def test_a_note_is_needed(client, rita, flags):
    client.force_login(rita)
    response = client.post(URL, {"flags": [flags["dudley"].pk], "resolution": "  "})
    assert response.status_code == 200
    assert "Enter how the flags were resolved" in response.text
    assert is_open(flags["dudley"])


def test_personas(client, alice, bob, charlie, rita, flags):
    flag = flags["birmingham"]
    assert_redirects_to_login(client.get(PATH), PATH)
    for user, expected in [(alice, 404), (bob, 404), (charlie, 403)]:
        client.force_login(user)
        assert client.get(URL).status_code == expected, user
        assert confirm(client, flag).status_code == expected, user
    assert is_open(flag)
    client.force_login(rita)
    assert client.get(URL).status_code == 200
    assert confirm(client, flag).status_code == 302
    assert not is_open(flag)


def test_query_counts_do_not_grow_with_the_flags(client, rita, flags, quarter, columns):
    client.force_login(rita)
    few = [
        count_queries(client, "get", URL),
        count_queries(client, "post", URL, {"flags": [flags["dudley"].pk], "resolution": NOTE}),
    ]
    for return_ in quarter.values():
        for key in ("innovation", "performance"):
            raise_flag(return_, rita, columns[key])
    chosen = list(Flag.objects.filter(status="open").values_list("pk", flat=True))
    many = [
        count_queries(client, "get", URL),
        count_queries(client, "post", URL, {"flags": chosen, "resolution": NOTE}),
    ]
    assert many == few
