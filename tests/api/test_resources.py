"""Every resource as every persona: a token sees what its owner's pages show, and nothing else.

alice (Birmingham's officer) sees Birmingham's; bob (Coventry's) gets 404 on Birmingham's objects; charlie (no
role) gets 403 even with a token; rita and adam (OPCC) see everything, OPCC-only flags included; no token: 401.
"""

import pytest

from boroughs.accounts.tokens import issue_token
from tests.api.conftest import MARKER

ANNEX_VERSION = "annex-versions/"


def ids(response, key="id"):
    assert response.status_code == 200, response.content
    return {row[key] for row in response.json()["results"]}


# (list path, how a Birmingham object is named in its detail URL, the key its list rows carry)
BIRMINGHAM_OBJECTS = {
    "boroughs/": (lambda w: "birmingham", "slug"),
    "projects/": (lambda w: w.brum_project.pk, "id"),
    "indicators/": (lambda w: w.brum_indicator.pk, "id"),
    "returns/": (lambda w: w.brum_q2.pk, "id"),
    "flags/": (lambda w: w.brum_flag.pk, "id"),
}


@pytest.mark.parametrize("path", list(BIRMINGHAM_OBJECTS))
def test_alice_sees_birmingham_and_bob_gets_404_on_it(api, world, alice, bob, path):
    name, key = BIRMINGHAM_OBJECTS[path]
    birmingham_object = name(world)
    alice_api, bob_api = api(alice), api(bob)
    assert birmingham_object in ids(alice_api.get(path), key)
    assert alice_api.get(f"{path}{birmingham_object}/").status_code == 200
    assert birmingham_object not in ids(bob_api.get(path), key)
    response = bob_api.get(f"{path}{birmingham_object}/")
    assert response.status_code == 404
    assert MARKER not in response.text


@pytest.mark.parametrize("persona", ["rita", "adam"])
@pytest.mark.parametrize("path", list(BIRMINGHAM_OBJECTS))
def test_opcc_staff_see_every_borough(request, api, world, persona, path):
    name, key = BIRMINGHAM_OBJECTS[path]
    opcc = api(request.getfixturevalue(persona))
    assert opcc.get(f"{path}{name(world)}/").status_code == 200
    assert {"birmingham", "coventry"} <= {
        row["borough"] if key == "id" else row["slug"] for row in opcc.get(path).json()["results"]
    }


def test_officers_see_their_boroughs_drafts_and_no_one_elses(api, world, alice, bob):
    assert ids(api(alice).get("returns/")) == {world.brum_q1.pk, world.brum_q2.pk}
    assert ids(api(bob).get("returns/")) == {world.cov_q1.pk, world.cov_q2.pk}
    assert api(alice).get(f"returns/{world.cov_q2.pk}/").status_code == 404


def test_indicators_carry_their_actuals_by_quarter(api, world, alice):
    row = api(alice).get(f"indicators/{world.brum_indicator.pk}/").json()
    assert row["borough"] == "birmingham"
    assert row["actuals"] == [
        {
            "year": "2026-27",
            "quarter": 1,
            "return_id": world.brum_q1.pk,
            "return_status": "submitted",
            "value": "41.50",
        }
    ]


def test_projects_carry_their_indicators(api, world, alice):
    row = api(alice).get(f"projects/{world.brum_project.pk}/").json()
    assert row["csf_allocation"] == "25000.00"  # Decimal, as a string: never a float
    assert [i["name"] for i in row["indicators"]] == ["Referrals"]


@pytest.mark.parametrize("path", ["years/", "periods/"])
def test_reference_data_is_the_same_for_every_token(api, world, alice, bob, rita, path):
    seen = [api(user).get(path).json()["results"] for user in (alice, bob, rita)]
    assert seen[0] == seen[1] == seen[2]
    assert seen[0]


def test_a_year_and_a_period_by_their_keys(api, world, alice):
    assert api(alice).get("years/2026-27/").json()["is_open"] is True
    assert api(alice).get(f"periods/{world.q1.pk}/").json()["quarter"] == 1
    assert api(alice).get("years/2031-32/").status_code == 404


class TestOpccOnly:
    def test_officers_never_get_opcc_only_flags(self, api, world, alice):
        officer = api(alice)
        assert ids(officer.get("flags/")) == {world.brum_flag.pk}
        assert officer.get(f"flags/{world.brum_secret.pk}/").status_code == 404
        for path in ["flags/", "returns/", "projects/", "indicators/", ANNEX_VERSION]:
            assert MARKER not in officer.get(path).text

    @pytest.mark.parametrize("persona", ["rita", "adam"])
    def test_opcc_tokens_get_them(self, request, api, world, persona):
        opcc = api(request.getfixturevalue(persona))
        assert ids(opcc.get("flags/")) == {world.brum_flag.pk, world.brum_secret.pk, world.cov_flag.pk}
        secret = opcc.get(f"flags/{world.brum_secret.pk}/").json()
        assert secret["visibility"] == "opcc"
        assert MARKER in secret["note"]


class TestAnnex:
    """Published versions follow reviews.permissions.can_see_annex: OPCC staff only, as on the pages."""

    @pytest.mark.parametrize("persona", ["rita", "adam"])
    def test_opcc_staff_get_the_published_versions_and_their_snapshot(self, request, api, world, persona):
        opcc = api(request.getfixturevalue(persona))
        listed = opcc.get(ANNEX_VERSION).json()["results"]
        assert [(v["year"], v["number"]) for v in listed] == [("2026-27", 1)]
        assert "snapshot" not in listed[0]  # the list stays light; the detail has the whole annex
        assert opcc.get(f"{ANNEX_VERSION}{world.version.pk}/").json()["snapshot"] == {"boroughs": []}

    @pytest.mark.parametrize("persona", ["alice", "bob"])
    def test_officers_get_none(self, request, api, world, persona):
        officer = api(request.getfixturevalue(persona))
        assert officer.get(ANNEX_VERSION).json()["results"] == []
        assert officer.get(f"{ANNEX_VERSION}{world.version.pk}/").status_code == 404


ALL_PATHS = ["years/", "periods/", "boroughs/", "projects/", "indicators/", "returns/", "flags/", ANNEX_VERSION]


@pytest.mark.parametrize("path", ALL_PATHS)
def test_no_role_means_403_even_with_a_token(api, world, charlie, path):
    # charlie is linked to Birmingham but holds no role; a token made for him in the database reads nothing.
    response = api(charlie).get(path)
    assert response.status_code == 403
    assert "results" not in response.json()


@pytest.mark.parametrize("path", [*ALL_PATHS, "returns/1/", "boroughs/birmingham/"])
def test_no_token_means_401_and_no_data(api, world, path):
    response = api(None).get(path)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert "results" not in response.json()


def test_a_signed_in_browser_session_opens_nothing(client, world, alice):
    client.force_login(alice)
    response = client.get("/api/returns/")
    assert response.status_code == 401


def test_the_api_is_read_only(client, world, alice):
    token = issue_token(user=alice, name="Tests")[1]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.post("/api/returns/", {}, headers=headers).status_code == 405
    assert client.delete(f"/api/returns/{world.brum_q2.pk}/", headers=headers).status_code == 405


def test_responses_are_never_stored(api, world, alice):
    assert "no-store" in api(alice).get("returns/")["Cache-Control"]
