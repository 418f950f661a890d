"""Search: the returns' narratives, project names and the commentary a user may read, best matches first.

On PostgreSQL each searched table has a stored, generated `search_vector` column with a GIN index (migrations
returns 0011 and reviews 0010, which say why not an expression index); the query is parsed as a web search
(`"a phrase"`, `or`, `-word`; never a syntax error), matches are ranked with ts_rank, ties go to the newest, and
the limit is applied by the database. SQLite, the zero-setup default, has no full-text index here: it falls back
to `icontains`, newest first, with the same limit and the same result shape. One switch, `_use_full_text()`.

Every queryset starts from `for_user(user)`: officers see their own boroughs' text and only the commentary shared
with them (the commentary's for_user hides OPCC-only text). Five queries for any query with a word in it, however
many rows match (on PostgreSQL planned for its words, not prepared); none for an empty one.
"""

import re
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import Q
from django.db.models.expressions import Col, Expression

from returns.models import Project, ProjectUpdate, Return

from ..forms.board import SEARCH_MAX
from ..models import ColumnCommentary, ProjectCommentary

SEARCH_LIMIT = 50  # per kind of text
SEARCH_CONFIG = "english"  # the configuration the migrations built the vectors with
VECTOR_COLUMN = "search_vector"
SNIPPET_CHARS = 90  # either side of the first match


@dataclass(frozen=True)
class Hit:
    obj: object
    # (before, match, after) around the first place the text shows a searched word; the template escapes each part.
    snippet: tuple = ("", "", "")


@dataclass(frozen=True)
class Hits:
    hits: tuple = ()
    more: bool = False  # more matched than the SEARCH_LIMIT shown

    def __iter__(self):
        return iter(self.hits)

    def __len__(self):
        return len(self.hits)


@dataclass(frozen=True)
class SearchResults:
    query: str = ""
    searched: bool = False  # False for an empty query or one of punctuation only: the page's empty state
    ranked: bool = False  # best first (PostgreSQL), or newest first (the SQLite fallback)
    limit: int = SEARCH_LIMIT
    max_length: int = SEARCH_MAX  # the form searches for this much of what was typed
    projects: Hits = field(default_factory=Hits)
    returns: Hits = field(default_factory=Hits)
    updates: Hits = field(default_factory=Hits)
    column_comments: Hits = field(default_factory=Hits)
    project_comments: Hits = field(default_factory=Hits)

    @property
    def order(self):
        return "best" if self.ranked else "newest"

    @property
    def sections(self):
        """(kind, hits) of each kind with a match, in the page's order."""
        kinds = ("projects", "returns", "updates", "column_comments", "project_comments")
        return [(kind, getattr(self, kind)) for kind in kinds if getattr(self, kind)]

    @property
    def empty(self):
        return not self.sections


def has_words(query):
    """Punctuation alone searches for nothing (and PostgreSQL would only warn that the query has no words)."""
    return bool(re.search(r"\w", query or ""))


def search(user, query):
    """What this user may see that matches `query`: at most SEARCH_LIMIT of each kind, best (or newest) first."""
    query = " ".join((query or "").split())
    ranked = _use_full_text()
    if not has_words(query):
        return SearchResults(query=query, ranked=ranked)
    with _planned_for_these_words() if ranked else nullcontext():
        found = _find(user, query, ranked)
    return SearchResults(query=query, searched=True, ranked=ranked, limit=SEARCH_LIMIT, **found)


def _find(user, query, ranked):
    found = {}
    for kind, (queryset, fields, newest_first) in _sources(user).items():
        # One more than is shown says whether there are more.
        if ranked:
            rows = list(_best_first(queryset, query, newest_first))
        else:
            matches = Q()
            for name in fields:
                matches |= Q(**{f"{name}__icontains": query})
            rows = list(queryset.filter(matches).order_by(*newest_first, "-pk")[: SEARCH_LIMIT + 1])
        hits = tuple(Hit(row, _snippet(" … ".join(_text(row, fields)), query)) for row in rows[:SEARCH_LIMIT])
        found[kind] = Hits(hits, more=len(rows) > SEARCH_LIMIT)
    return found


@contextmanager
def _planned_for_these_words():
    """Queries planned for the words searched, every time: not prepared. Other queries are (config/settings/base.py,
    PREPARED_STATEMENTS), and PostgreSQL may then keep one generic plan for a query whatever its parameters; a
    search's best plan depends on how many rows its words match, and at national scale the generic one cost half
    as much again. A statement that is not prepared is planned for the values it is sent with."""
    connection.ensure_connection()
    psycopg_connection = connection.connection
    threshold = psycopg_connection.prepare_threshold
    psycopg_connection.prepare_threshold = None  # psycopg: None prepares nothing
    try:
        yield
    finally:
        psycopg_connection.prepare_threshold = threshold


def _use_full_text():
    return connection.vendor == "postgresql"


def _sources(user):
    """kind: (scoped queryset, the fields searched, newest first)."""
    return {
        "projects": (Project.objects.for_user(user).select_related("borough"), ["name"], ["-created"]),
        "returns": (
            Return.objects.for_user(user).select_related("borough", "period__year"),
            ["alignment_statement"],
            ["-period__start_date"],
        ),
        "updates": (
            ProjectUpdate.objects.for_user(user).select_related(
                "project", "return_of__borough", "return_of__period__year"
            ),
            ["activity", "outcomes"],
            ["-return_of__period__start_date"],
        ),
        "column_comments": (
            ColumnCommentary.objects.for_user(user).select_related("borough", "period__year", "column"),
            ["text"],
            ["-period__start_date"],
        ),
        "project_comments": (
            ProjectCommentary.objects.for_user(user).select_related("borough", "period__year", "project"),
            ["text"],
            ["-period__start_date"],
        ),
    }


def _best_first(queryset, query, newest_first):
    """The SEARCH_LIMIT + 1 best matches, in one query: ranked and cut to the limit on the searched table alone
    (with the period, for ties), and only those joined to what the page shows. Ranking every match is what
    costs; joining every match first to the borough, period and year cost about a third as much again."""
    order = ("-rank", *newest_first, "-pk")
    best = _ranked(queryset, query).order_by(*order).values("pk")[: SEARCH_LIMIT + 1]
    vector, terms = _vector_and_terms(query)
    return queryset.filter(pk__in=best).annotate(rank=SearchRank(vector, terms)).order_by(*order)


def _ranked(queryset, query):
    """Matches of the table's stored vector (so its GIN index serves the filter), ranked without re-parsing text."""
    vector, terms = _vector_and_terms(query)
    return queryset.alias(matched_vector=vector).filter(matched_vector=terms).annotate(rank=SearchRank(vector, terms))


def _vector_and_terms(query):
    return StoredVector(), SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)


class StoredVector(Expression):
    """The `search_vector` column of the query's base table. Django's models do not declare it (it exists on
    PostgreSQL only), so this makes the column reference itself: a real Col, which follows the table's alias when
    the query becomes a subquery (a raw "table"."column" would then point at the outer query's table)."""

    output_field = SearchVectorField()

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        column = SearchVectorField()
        column.set_attributes_from_name(VECTOR_COLUMN)
        column.model = query.model
        return Col(query.get_initial_alias(), column)


def _text(row, fields):
    return [value for value in (getattr(row, name) for name in fields) if value]


def _snippet(text, query):
    """The text around the first word that starts like a searched word (so "domestic" finds "domestically"):
    a cheap stand-in for SearchHeadline, computed in Python on the rows shown only."""
    stems = [word[: max(4, len(word) - 2)] for word in re.findall(r"\w+", query) if word.lower() != "or"]
    alternatives = "|".join(re.escape(stem) for stem in stems)
    found = re.search(rf"\b(?:{alternatives})\w*", text, re.IGNORECASE) if stems else None
    if not found:
        return (_shorten(text, 2 * SNIPPET_CHARS), "", "")
    start, end = found.span()
    before, after = text[max(0, start - SNIPPET_CHARS) : start], text[end : end + SNIPPET_CHARS]
    if start > SNIPPET_CHARS:  # cut at a space, not inside a word
        before = "…" + (before.split(None, 1)[1] if len(before.split(None, 1)) == 2 else before)
    if end + SNIPPET_CHARS < len(text):
        after = (after.rsplit(None, 1)[0] if len(after.rsplit(None, 1)) == 2 else after) + "…"
    return (before, found.group(0), after)


def _shorten(text, chars):
    return text if len(text) <= chars else text[:chars].rstrip() + "…"
