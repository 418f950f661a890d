"""?year=, ?borough= and ?status=, validated (a bad value is a 400 naming the parameter, never a 500), and pages."""

import pytest

from returns.models import FinancialYear, Return
from reviews.models import Flag
from tests.api.conftest import make_return


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_returns_by_year_borough_and_status(api, world, rita):
    opcc = api(rita)
    assert ids(opcc.get("returns/", year="2026-27", borough="birmingham")) == {world.brum_q1.pk, world.brum_q2.pk}
    assert ids(opcc.get("returns/", status="draft")) == {world.brum_q2.pk, world.cov_q2.pk}
    assert ids(opcc.get("returns/", borough="coventry", status="submitted")) == {world.cov_q1.pk}
    FinancialYear.get_or_create_for_start(2025)
    assert ids(opcc.get("returns/", year="2025-26")) == set()


def test_flags_projects_indicators_periods_and_annexes_filter_too(api, world, rita):
    opcc = api(rita)
    Flag.objects.filter(pk=world.cov_flag.pk).update(status=Flag.Status.RESOLVED)
    assert ids(opcc.get("flags/", status="resolved")) == {world.cov_flag.pk}
    assert ids(opcc.get("flags/", borough="coventry", status="open")) == set()
    assert ids(opcc.get("projects/", borough="coventry", status="active")) == {world.cov_project.pk}
    assert ids(opcc.get("projects/", year="2026-27")) == {world.brum_project.pk, world.cov_project.pk}
    assert ids(opcc.get("indicators/", borough="birmingham", year="2026-27")) == {world.brum_indicator.pk}
    assert len(ids(opcc.get("periods/", year="2026-27"))) == 4
    assert ids(opcc.get("annex-versions/", year="2026-27")) == {world.version.pk}


def test_an_indicators_actuals_follow_the_year(api, world, rita, year):
    FinancialYear.get_or_create_for_start(2025)
    opcc = api(rita)
    assert ids(opcc.get("indicators/", year="2025-26")) == set()
    [row] = [r for r in opcc.get("indicators/", year="2026-27").json()["results"] if r["borough"] == "birmingham"]
    assert [a["quarter"] for a in row["actuals"]] == [1]


def test_blank_values_mean_not_chosen(api, world, alice):
    assert ids(api(alice).get("returns/", year="", borough="", status="")) == {world.brum_q1.pk, world.brum_q2.pk}


@pytest.mark.parametrize(
    ("path", "params", "message"),
    [
        ("returns/", {"year": "2026"}, "Give a financial year like 2025-26."),
        ("returns/", {"year": "2031-32"}, "There is no financial year 2031-32."),
        (
            "returns/",
            {"status": "lost"},
            "Give a status, one of draft, submitted, changes_requested, resubmitted, accepted.",
        ),
        ("returns/", {"borough": "atlantis"}, "There is no borough “atlantis” that you can see."),
        ("returns/", {"borough": "not a slug!"}, "Give a borough's slug, like birmingham."),
        ("returns/", {"year": "2026-27\x00"}, "Give a financial year like 2025-26."),
        ("flags/", {"status": "draft"}, "Give a status, one of open, resolved."),
        ("projects/", {"status": "open"}, "Give a status, one of active, closed, completed."),
        ("indicators/", {"year": "20x6-27"}, "Give a financial year like 2025-26."),
        ("periods/", {"year": "1999-00"}, "There is no financial year 1999-00."),
        ("returns/", {"status": "draft\x00"}, "Give a status, one of draft,"),
        ("returns/", {"borough": "birmingham\x1b"}, "Give a borough's slug, like birmingham."),
        ("annex-versions/", {"year": "nonsense"}, "Give a financial year like 2025-26."),
    ],
)
def test_a_bad_value_is_a_400_that_says_what_is_wrong(api, world, rita, path, params, message):
    response = api(rita).get(path, **params)
    assert response.status_code == 400
    [(name, [error])] = response.json().items()
    assert name == next(iter(params))
    assert message in error


def test_another_boroughs_slug_reads_as_unknown(api, world, bob):
    response = api(bob).get("returns/", borough="birmingham")
    assert response.status_code == 400
    assert response.json() == {"borough": ["There is no borough “birmingham” that you can see."]}


def test_filters_apply_to_lists_only(api, world, alice):
    assert api(alice).get(f"returns/{world.brum_q1.pk}/", status="nonsense").status_code == 200


class TestPagination:
    @pytest.fixture
    def many(self, world, birmingham, alice):
        # Birmingham's returns across 13 years: 2 (the world's) + 13 * 4 = 54.
        for start in range(2013, 2026):
            year, _ = FinancialYear.get_or_create_for_start(start)
            for period in year.ensure_periods():
                make_return(birmingham, period, status=Return.Status.ACCEPTED, by=alice)
        return 54

    def test_fifty_a_page_with_links_to_the_next(self, api, many, alice):
        first = api(alice).get("returns/").json()
        assert first["count"] == many
        assert len(first["results"]) == 50
        assert first["next"].endswith("/api/returns/?page=2")
        assert first["previous"] is None
        second = api(alice).get("returns/", page=2).json()
        assert len(second["results"]) == 4
        assert not {r["id"] for r in first["results"]} & {r["id"] for r in second["results"]}

    def test_page_size_up_to_200(self, api, many, alice):
        assert len(api(alice).get("returns/", page_size=10).json()["results"]) == 10
        assert len(api(alice).get("returns/", page_size=500).json()["results"]) == many  # capped at 200

    @pytest.mark.parametrize("page", ["99", "0", "x", "-1"])
    def test_a_page_that_does_not_exist_is_a_404(self, api, many, alice, page):
        response = api(alice).get("returns/", page=page)
        assert response.status_code == 404
        assert "Invalid page" in response.json()["detail"]
