"""/people/: everyone, with role, boroughs, account state, two-step verification and last sign-in; filtered by role
and borough; 25 to a page."""

from datetime import datetime

import pytest
from django.test import Client
from django.utils import timezone

from boroughs.roles import CSP_OFFICER, OPCC_ADMIN
from tests.conftest import make_user

from .conftest import PEOPLE


def rows(response):
    return [person.username for person in response.context["page"].object_list]


@pytest.fixture
def everyone(alice, bob, charlie, rita, adam, olive, ivan, dora, sam):
    alice.last_login = timezone.make_aware(datetime(2026, 5, 4, 9, 30))
    alice.save(update_fields=["last_login"])
    return [alice, bob, charlie, rita, adam, olive, ivan, dora, sam]


def test_lists_everyone_with_their_account(client, adam, everyone):
    client.force_login(adam)
    response = client.get(PEOPLE)
    assert response.status_code == 200
    assert sorted(rows(response)) == sorted(person.username for person in everyone)
    html = response.text
    assert "9 people" in html
    row = html[html.index(">Alice</a>") :].split("</tr>")[0]
    for text in ["alice@example.org", "CSP officer", "Birmingham", "Active", "Off", "4 May 2026 at 9:30am"]:
        assert text in row
    olive = html[html.index(">Olive Oakes</a>") :].split("</tr>")[0]
    assert "Birmingham, Dudley" in olive
    assert ">On<" in olive
    assert "Never" in olive
    assert "Invited" in html[html.index(">Ivan</a>") :].split("</tr>")[0]
    assert "Deactivated" in html[html.index(">Dora</a>") :].split("</tr>")[0]
    assert "OPCC admin" in html[html.index(">Adam</a>") :].split("</tr>")[0]
    assert "No role" in html[html.index(">Charlie</a>") :].split("</tr>")[0]
    assert "Superuser" in html[html.index(">Sam</a>") :].split("</tr>")[0]
    assert 'href="/people/invite/" role="button" draggable="false">Invite someone' in html


def test_reads_a_page_in_a_fixed_number_of_queries(client, adam, everyone, django_assert_max_num_queries):
    client.force_login(adam)
    with django_assert_max_num_queries(12):
        client.get(PEOPLE)
    for number in range(20):
        make_user(f"extra{number}", role=CSP_OFFICER, boroughs=[everyone[0].memberships.get().borough])
    with django_assert_max_num_queries(12):
        client.get(PEOPLE)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("officer", {"alice", "bob", "olive", "dora"}),
        ("reviewer", {"rita", "ivan"}),
        # adam is in both OPCC groups: shown, and filtered, as an admin.
        ("admin", {"adam"}),
        ("none", {"charlie", "sam"}),
        ("", {"alice", "bob", "charlie", "rita", "adam", "olive", "ivan", "dora", "sam"}),
    ],
)
def test_filter_by_role(client, adam, everyone, role, expected):
    client.force_login(adam)
    assert set(rows(client.get(PEOPLE, {"role": role}))) == expected


def test_filter_by_borough_and_role(client, adam, everyone):
    client.force_login(adam)
    assert set(rows(client.get(PEOPLE, {"borough": "birmingham"}))) == {"alice", "charlie", "olive", "dora"}
    assert set(rows(client.get(PEOPLE, {"borough": "dudley", "role": "officer"}))) == {"olive"}
    response = client.get(PEOPLE, {"borough": "walsall"})
    assert rows(response) == []
    assert "Nobody matches these filters." in response.text
    assert 'href="/people/">Clear filters' in response.text
    assert '<option value="walsall" selected>' in response.text


@pytest.mark.parametrize("value", ["abc", "9" * 30, "\x00", "x" * 5000, "OPCC admin"])
def test_junk_filters_are_not_found(adam, everyone, value):
    client = Client(raise_request_exception=False)
    client.force_login(adam)
    assert client.get(PEOPLE, {"role": value}).status_code == 404
    assert client.get(PEOPLE, {"borough": value}).status_code == 404


def test_pages_of_25_keep_the_filters(client, adam, birmingham):
    for number in range(30):
        make_user(f"officer{number:02}", role=CSP_OFFICER, boroughs=[birmingham], last_name=f"Zed{number:02}")
    make_user("other.admin", role=OPCC_ADMIN)
    client.force_login(adam)
    first = client.get(PEOPLE, {"role": "officer"})
    assert len(rows(first)) == 25
    assert "30 people, showing 1 to 25" in first.text
    assert 'href="?role=officer&amp;page=2"' in first.text
    second = client.get(PEOPLE, {"role": "officer", "page": "2"})
    assert rows(second) == [f"officer{number:02}" for number in range(25, 30)]
    assert 'aria-current="page">2<' in second.text
    assert "(page 2 of 2)" in second.text
    # A junk or too-large page number shows a page, never an error.
    for page in ["abc", "9" * 30, "-1", "\x00"]:
        assert client.get(PEOPLE, {"role": "officer", "page": page}).status_code == 200
