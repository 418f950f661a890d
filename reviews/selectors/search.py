"""Search: the returns' narratives, project names and the commentary a user may read, best matches first.

On PostgreSQL each searched table has a stored, generated `search_vector` column with a GIN index (migrations
returns 0011 and reviews 0010, which say why not an expression index); the query is parsed as a web search
(`"a phrase"`, `or`, `-word`; never a syntax error), matches are ranked with ts_rank, ties go to the newest, and
the limit is applied by the database. SQLite, the zero-setup default, has no full-text index here: it falls back
to `icontains`, newest first, with the same limit and the same result shape. One switch, `_use_full_text()`.

Every queryset starts from `for_user(user)`: officers see their own boroughs' text and only the commentary shared
with them (the commentary's for_user hides OPCC-only text). Five queries for any query with a word in it, however
many rows match; none for an empty one. On PostgreSQL they are prepared like every other query (the connection's
PREPARED_STATEMENTS), and their plan parses the words once per query (`ParsedOnce`).
"""

import re
from dataclasses import dataclass, field
from typing import NamedTuple

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


class Snippet(NamedTuple):
    """The text around the first place it shows a searched word; the template escapes each part. Named, not
    indexed: a template's `snippet.0` tries a key, then an attribute, then `dir()` of the tuple before the index,
    three failed lookups a hit (315 on a national search page)."""

    before: str = ""
    match: str = ""
    after: str = ""


@dataclass(frozen=True)
class Hit:
    obj: object
    snippet: Snippet


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
    return SearchResults(query=query, searched=True, ranked=ranked, limit=SEARCH_LIMIT, **found)


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
            ProjectUpdate.objects.for_user(user)
            .select_related("project", "return_of__borough", "return_of__period__year")
            .defer("return_of__snapshot"),  # a hit links to its return; what the return reported is not shown
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
    return StoredVector(), ParsedOnce(query, search_type="websearch", config=SEARCH_CONFIG)


class ParsedOnce(SearchQuery):
    """The words as a tsquery worked out once per query: `(SELECT websearch_to_tsquery(…))`, which PostgreSQL runs
    once, before the rest (an InitPlan), and whose result the GIN index can use like a constant.

    The queries are prepared, and PostgreSQL may then run one generic plan whatever the words. In a generic plan
    a bare websearch_to_tsquery($1, $2) is not worked out in advance: ts_rank parsed the words again for every
    matching row: 56 ms for the returns' query with 11,407 matches at national scale, 14.6 ms with them parsed
    once. With the words parsed once, the generic plan is as good as one planned for the words, and
    planning afresh (not preparing) cost a demo search more than running it.
    """

    def as_sql(self, compiler, connection, *args, **kwargs):
        sql, params = super().as_sql(compiler, connection, *args, **kwargs)
        return f"(SELECT {sql})", params


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
        return Snippet(_shorten(text, 2 * SNIPPET_CHARS))
    start, end = found.span()
    before, after = text[max(0, start - SNIPPET_CHARS) : start], text[end : end + SNIPPET_CHARS]
    if start > SNIPPET_CHARS:  # cut at a space, not inside a word
        before = "…" + (before.split(None, 1)[1] if len(before.split(None, 1)) == 2 else before)
    if end + SNIPPET_CHARS < len(text):
        after = (after.rsplit(None, 1)[0] if len(after.rsplit(None, 1)) == 2 else after) + "…"
    return Snippet(before, found.group(0), after)


def _shorten(text, chars):
    return text if len(text) <= chars else text[:chars].rstrip() + "…"
