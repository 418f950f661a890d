"""The board view's figures and charts, kept in the shared cache and rebuilt when what they show changes.

At national scale (300 boroughs) the board's figures take seconds to work out: every project's RAG by Plan
priority, every borough's forecast, every flag. The board is a summary that many reviewers open and few
change, so it is worked out once and kept in the cache (the database cache: every app server shares it),
under a generation number that any change to what it shows moves on (`board_changed`, connected in
reviews/apps.py to saves and deletes of those models), and for BOARD_CACHE_SECONDS at most, so that a change
made without a signal (a queryset update) shows within that time. The page says when its figures were worked out.

The draft annex's preview shows the same figures as its "Performance summary" appendix page, kept the same way
(`cached_appendix`), and so does the review grid its summary of the quarter (forecasts and RAG counts, `kept`): at
national scale working a page of it out was half the grid's time. The documents (PDF, DOCX) and a published
version never read the cache: they work the figures
out afresh when assembled, and a version keeps them in its snapshot.
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from .charts import ANNEX_CHART_BOROUGHS, board_charts
from .selectors.board import board_view_data

GENERATION = "board:generation"
# Part of every key: a release that changes what is kept (CachedBoard, the template, the grid's summary:
# returns.forecast.Forecast) changes it, so it never reads what an older release kept.
FORMAT = 2


def _generation():
    generation = cache.get(GENERATION)
    if generation is None:
        generation = time.time_ns()
        cache.add(GENERATION, generation, None)
        generation = cache.get(GENERATION, generation)
    return generation


@dataclass(frozen=True)
class CachedBoard:
    html: str  # the figures and charts as the page shows them (templates/reviews/board/_summary.html)
    worked_out: object  # when


def cached_board(year):
    """The board's figures and charts for `year`, rendered, from the cache when they are current.

    Kept rendered: at 300 boroughs the page's 1.3 MB of charts and tables take longer to render than to fetch.
    """

    def render(data):
        context = {"board": data, "charts": board_charts(data), "level": "2", "prefix": "board"}
        return render_to_string("reviews/board/_summary.html", {**context, "chart_template": "charts/_chart.html"})

    return _kept("board", year, render)


def cached_appendix(year):
    """The draft annex's "Performance summary" appendix for `year`, as its preview page shows it (not the PDF's)."""

    def render(data):
        context = {
            "board": data,
            "charts": board_charts(data, prefix="appendix", most=ANNEX_CHART_BOROUGHS),
            "pdf": False,
        }
        return render_to_string("reviews/board/_appendix.html", context)

    return _kept("appendix", year, render)


def _kept(kind, year, render):
    def work_out():
        html = render(board_view_data(year=year))
        return CachedBoard(html=mark_safe(html), worked_out=timezone.now())  # our own template's output

    return kept(work_out, kind, year.pk)


def kept(work_out, *key):
    """What `work_out()` returns, kept under `key` (plain values) until what the board shows changes, or for
    BOARD_CACHE_SECONDS at most. Also the review grid's summary (reviews/selectors/grid.py) and the thematic view's
    projects (reviews/selectors/thematic.py): the same data, for a page.

    The entry holds the generation it was worked out under, and the generation and the entry are read together:
    one query of the cache's per look, not two. Worked out under a generation that has moved on since (a change
    while it was worked out), it is never read as current."""
    name = ":".join(map(str, (*key[:1], FORMAT, *key[1:])))
    found = cache.get_many([GENERATION, name])
    generation = found.get(GENERATION) or _generation()
    entry = found.get(name)
    if entry is not None and entry[0] == generation:
        return entry[1]
    value = work_out()
    cache.set(name, (generation, value), settings.BOARD_CACHE_SECONDS)
    return value


def board_changed(sender=None, **kwargs):
    """Something the board shows has changed: the next board view works its figures out again."""
    # A new number rather than an increment: no read-modify-write race between app servers, and never reused.
    cache.set(GENERATION, time.time_ns(), None)
