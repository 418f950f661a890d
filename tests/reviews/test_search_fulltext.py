"""Search (reviews/selectors/search.py): ranked full-text search on PostgreSQL, an icontains fallback on SQLite.

CI runs the suite on both databases, so the tests marked `postgres_only` run there and the rest run twice.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from returns.models import Project, ProjectUpdate, Return
from reviews.models import ColumnCommentary, ProjectCommentary
from reviews.selectors import search as search_module
from reviews.selectors.search import SEARCH_LIMIT, search
from tests.reviews.conftest import make_project, make_return

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search runs on PostgreSQL; SQLite uses icontains"
)

# One table per kind of text, and the name of the GIN index its migration made.
INDEXES = {
    "returns": "returns_return_search",
    "updates": "returns_projectupdate_search",
    "projects": "returns_project_search",
    "column_comments": "reviews_columncommentary_search",
    "project_comments": "reviews_projectcommentary_search",
}

ODD_INPUT = [
    '"',
    '""',
    "'",
    "'); DROP TABLE returns_return; --",
    "&|!",
    "a & b | !c",
    "<->",
    "domestic:*",
    "(((domestic",
    "-",
    "-domestic",
    "or",
    "or or or",
    '"domestic abuse',
    'domestic -abuse or "plan\'s priority"',
    "\\",
    "%_%",
    "日本語",
    "Ünïcödé straße",
    "😀",
    "the",
    "NOT AND",
    "x" * 5000,
    "domestic " * 60,
]


def comment(return_, column, text, *, by, visibility="shared"):
    return ColumnCommentary.objects.create(
        borough=return_.borough,
        period=return_.period,
        column=column,
        text=text,
        visibility=visibility,
        updated_by=by,
    )


def texts(hits):
    return [hit.obj.text for hit in hits]


@pytest.fixture
def quarters(birmingham, periods, project, alice):
    """Birmingham's returns for the first three quarters."""
    return [make_return(birmingham, period, by=alice) for period in periods[:3]]


# Ranking and stemming (PostgreSQL).


@postgres_only
def test_a_stronger_match_ranks_above_a_newer_weaker_one(quarters, columns, rita):
    comment(quarters[0], columns["alignment"], "Domestic abuse: domestic abuse referrals rose.", by=rita)
    comment(quarters[2], columns["alignment"], "One domestic case.", by=rita)
    found = search(rita, "domestic")
    assert found.ranked
    assert texts(found.column_comments) == ["Domestic abuse: domestic abuse referrals rose.", "One domestic case."]


@postgres_only
def test_matching_more_of_the_words_ranks_higher(quarters, columns, rita):
    comment(quarters[2], columns["alignment"], "Violence fell.", by=rita)
    comment(quarters[0], columns["alignment"], "Domestic violence fell.", by=rita)
    assert texts(search(rita, "domestic or violence").column_comments) == ["Domestic violence fell.", "Violence fell."]


@postgres_only
def test_equal_matches_come_newest_first(quarters, columns, rita):
    comment(quarters[0], columns["alignment"], "Youth diversion.", by=rita)
    comment(quarters[2], columns["alignment"], "Youth diversion.", by=rita)
    hits = search(rita, "youth").column_comments
    assert [hit.obj.period.quarter for hit in hits] == [3, 1]


@postgres_only
def test_words_find_their_other_forms(quarters, columns, rita):
    comment(quarters[0], columns["performance"], "Families domestically abused were supported.", by=rita)
    assert texts(search(rita, "domestic abuse").column_comments) == ["Families domestically abused were supported."]


@postgres_only
def test_web_search_syntax_phrases_alternatives_and_exclusions(quarters, columns, rita):
    comment(quarters[0], columns["alignment"], "Knife crime in parks.", by=rita)
    comment(quarters[1], columns["alignment"], "Crime in knife shops.", by=rita)
    assert texts(search(rita, '"knife crime"').column_comments) == ["Knife crime in parks."]
    assert texts(search(rita, "knife -parks").column_comments) == ["Crime in knife shops."]


def test_sqlite_falls_back_to_the_newest_matches_first(quarters, columns, rita):
    if connection.vendor == "postgresql":
        pytest.skip("the fallback is SQLite's")
    comment(quarters[0], columns["alignment"], "Domestic abuse: domestic abuse referrals rose.", by=rita)
    comment(quarters[2], columns["alignment"], "One domestic case.", by=rita)
    found = search(rita, "domestic")
    assert not found.ranked
    assert texts(found.column_comments) == ["One domestic case.", "Domestic abuse: domestic abuse referrals rose."]


# The index serves the query (PostgreSQL).


@postgres_only
@pytest.mark.parametrize("kind", INDEXES)
def test_the_query_uses_the_gin_index(quarters, columns, rita, kind):
    comment(quarters[0], columns["alignment"], "Domestic abuse commentary.", by=rita)
    queryset, _, _ = search_module._sources(rita)[kind]
    ranked = search_module._ranked(queryset, "domestic abuse").order_by("-rank", "-pk")[:SEARCH_LIMIT]
    with connection.cursor() as cursor:
        # A handful of test rows would be read whole; at scale the planner picks the index (see the README).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = ranked.explain()
    assert INDEXES[kind] in plan, plan


@postgres_only
def test_every_searched_table_has_its_stored_vector_and_index():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE '%%\\_search'")
        found = dict(cursor.fetchall())
    for name in INDEXES.values():
        assert "USING gin (search_vector)" in found[name]


@postgres_only
def test_the_database_keeps_the_vector_up_to_date(submitted, rita):
    update = submitted.project_updates.get()
    ProjectUpdate.objects.filter(pk=update.pk).update(activity="Mentoring", outcomes="Fewer exclusions")
    assert [hit.obj for hit in search(rita, "exclusion").updates] == [update]
    assert not search(rita, "sessions").updates  # the old text is gone from the vector too


# Who sees what (both databases).


@pytest.fixture
def everywhere(submitted, coventry, periods, columns, rita, bob):
    """The same marker word in every kind of text, in Birmingham (shared and OPCC-only) and in Coventry."""
    coventry_return = make_return(coventry, periods[0], by=bob)
    for return_ in (submitted, coventry_return):
        name = f"Zephyrine {return_.borough.name}"
        project = make_project(return_.borough, name=name)
        ProjectUpdate.objects.create(return_of=return_, project=project, activity=f"Zephyrine work in {name}")
        Return.objects.filter(pk=return_.pk).update(alignment_statement=f"Zephyrine alignment {name}")
        comment(return_, columns["alignment"], f"Zephyrine shared {name}", by=rita)
        comment(return_, columns["performance"], f"Zephyrine secret {name}", by=rita, visibility="opcc")
        ProjectCommentary.objects.create(
            borough=return_.borough,
            period=return_.period,
            project=project,
            text=f"Zephyrine assessment secret {name}",
            visibility="opcc",
            updated_by=rita,
        )
    return submitted


def every_text(found):
    out = []
    for _, hits in found.sections:
        for hit in hits:
            obj = hit.obj
            out.append(getattr(obj, "text", None) or getattr(obj, "alignment_statement", None) or str(obj))
            if isinstance(obj, ProjectUpdate):
                out.append(obj.activity)
            if isinstance(obj, Project):
                out.append(obj.name)
    return " | ".join(out)


def test_an_officer_sees_only_their_boroughs_shared_text(everywhere, alice):
    found = every_text(search(alice, "zephyrine"))
    assert "Zephyrine shared Zephyrine Birmingham" in found
    assert "Zephyrine work in Zephyrine Birmingham" in found
    assert "Zephyrine alignment Zephyrine Birmingham" in found
    assert "secret" not in found
    assert "Coventry" not in found


def test_the_other_boroughs_officer_sees_none_of_it(everywhere, bob):
    found = every_text(search(bob, "zephyrine"))
    assert "Birmingham" not in found
    assert "secret" not in found
    assert "Zephyrine shared Zephyrine Coventry" in found


def test_reviewers_see_every_borough_and_the_opcc_only_text(everywhere, rita):
    found = every_text(search(rita, "zephyrine"))
    for text in ("Zephyrine secret Zephyrine Birmingham", "Zephyrine assessment secret Zephyrine Coventry"):
        assert text in found


def test_the_page_never_shows_an_officer_opcc_only_text(client, everywhere, alice):
    client.force_login(alice)
    page = client.get("/search/", {"q": "zephyrine secret"}).text
    assert "Nothing matches" in page
    assert "secret Zephyrine" not in page


# Queries: a fixed number, each limited by the database (both databases).


def search_sql(user, query):
    search(user, "warm up")  # the user's permissions are read once, then cached on the user
    with CaptureQueriesContext(connection) as captured:
        search(user, query)
    return [q["sql"] for q in captured.captured_queries]


def test_five_queries_each_limited_in_sql(everywhere, rita):
    statements = search_sql(rita, "zephyrine")
    assert len(statements) == 5
    for sql in statements:
        assert re.search(rf"\bLIMIT {SEARCH_LIMIT + 1}\b", sql), sql
        if connection.vendor == "postgresql":
            assert "websearch_to_tsquery" in sql
            assert '"search_vector"' in sql
            assert "ts_rank" in sql


@postgres_only
def test_a_generic_plan_finds_and_ranks_as_a_plan_for_the_words_does(rita, columns, quarters):
    """Searches are prepared like every other query (config/settings/base.py), and PostgreSQL may then run one
    generic plan whatever the words: forced here, it finds and ranks what a plan made for the words found. The words
    are parsed once per query, in a subquery of their own (`ParsedOnce`), not by ts_rank for every matching row."""
    comment(quarters[0], columns["alignment"], "Domestic abuse: domestic abuse referrals rose.", by=rita)
    comment(quarters[2], columns["alignment"], "One domestic case.", by=rita)
    comment(quarters[1], columns["alignment"], "Knife crime in parks.", by=rita)
    words = ["domestic", "knife -parks", '"knife crime"', "domestic or knife", "nothing"]
    with connection.cursor() as cursor:
        cursor.execute("SET plan_cache_mode = force_custom_plan")
        custom = {w: texts(search(rita, w).column_comments) for w in words}
        cursor.execute("SET plan_cache_mode = force_generic_plan")
        try:
            for _ in range(3):  # prepared on a statement's second run (prepare_threshold 2)
                assert {w: texts(search(rita, w).column_comments) for w in words} == custom
            cursor.execute(
                "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s AND generic_plans > 0",
                ["%(SELECT websearch_to_tsquery(%"],
            )
            assert cursor.fetchone()[0] >= 5  # the five kinds of text
        finally:
            cursor.execute("RESET plan_cache_mode")
    assert custom["domestic"] == ["Domestic abuse: domestic abuse referrals rose.", "One domestic case."]
    assert custom["knife -parks"] == []
    assert custom['"knife crime"'] == ["Knife crime in parks."]
    for sql in search_sql(rita, "domestic"):
        assert sql.count("(SELECT websearch_to_tsquery(") == sql.count("websearch_to_tsquery("), sql


def test_the_query_count_does_not_grow_with_the_matches(client, quarters, columns, rita, coventry, bob):
    client.force_login(rita)
    client.get("/search/", {"q": "warm up"})  # the session's first request reads more than the rest
    with CaptureQueriesContext(connection) as few:
        assert client.get("/search/", {"q": "domestic"}).status_code == 200
    for return_ in quarters:
        for key, column in columns.items():
            comment(return_, column, f"Domestic abuse {key}", by=rita)
    for n in range(5):
        make_project(coventry, name=f"Domestic project {n}")
    make_return(coventry, quarters[0].period, by=bob).project_updates.update(activity="Domestic abuse outreach")
    with CaptureQueriesContext(connection) as many:
        page = client.get("/search/", {"q": "domestic"})
    assert page.status_code == 200
    assert "Domestic project 4" in page.text
    assert len(many) == len(few)


def test_an_empty_query_runs_no_search(rita):
    for query in ("", "   ", "!!!", "&|!", "-- ''"):
        assert search_sql(rita, query) == []
        assert not search(rita, query).searched


def test_more_than_the_limit_says_so(monkeypatch, quarters, columns, rita, client):
    monkeypatch.setattr(search_module, "SEARCH_LIMIT", 2)
    for return_ in quarters:
        comment(return_, columns["alignment"], "Youth outreach", by=rita)
    found = search(rita, "youth")
    assert len(found.column_comments) == 2
    assert found.column_comments.more
    assert not search(rita, "youth outreach").projects.more
    client.force_login(rita)
    page = client.get("/search/", {"q": "youth"}).text
    assert f"Showing the 2 {found.order} matches: there are more" in page


# Odd input (both databases): never a 500.


@pytest.mark.parametrize("query", ODD_INPUT)
def test_odd_input_never_fails(client, submitted, alice, rita, query):
    for user in (alice, rita):
        client.force_login(user)
        response = client.get("/search/", {"q": query})
        assert response.status_code == 200


def test_punctuation_alone_shows_the_empty_state(client, submitted, alice):
    client.force_login(alice)
    page = client.get("/search/", {"q": "&|! ;"}).text
    assert "Search for at least one word or number." in page
    assert "Results for" not in page
    assert 'value="&amp;|! ;"' in page  # what was typed stays in the box


def test_a_long_query_is_cut_with_a_message(client, submitted, alice):
    client.force_login(alice)
    typed = "domestic " + "x" * 400
    page = client.get("/search/", {"q": typed}).text
    assert "Only the first 200 characters were searched for." in page
    assert f'value="{typed[:200]}"' in page


# The page.


def test_the_page_shows_a_snippet_around_the_match(client, submitted, alice):
    long_text = "Opening words. " * 20 + "Work on <domestic> abuse & more. " + "Closing words. " * 20
    Return.objects.filter(pk=submitted.pk).update(alignment_statement=long_text)
    client.force_login(alice)
    page = client.get("/search/", {"q": "abuse"}).text
    assert "&lt;domestic&gt; <mark>abuse</mark> &amp; more." in page
    assert page.count("Opening words.") < 20  # cut around the match
    assert "Best matches first" in page or "Newest first" in page
    assert "1 match." in page


def test_a_snippet_is_cut_between_words():
    text = "Opening words. " * 20 + "Work on domestic abuse. " + "Closing words. " * 20
    before, match, after = search_module._snippet(text, "abuse")
    assert match == "abuse"
    assert before.startswith("…")
    assert after.endswith("…")
    assert set(re.findall(r"\w+", before + match + after)) <= set(re.findall(r"\w+", text))  # no "…ening"
    assert search_module._snippet("No match here", "zzz") == ("No match here", "", "")
