"""The board view's figures are worked out once and kept, and worked out again as soon as what they show changes."""

import re

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reviews.board_cache import board_changed, kept
from reviews.models import Flag
from reviews.services.review import flag_resolve
from tests.reviews.test_board_view import URL, board, priorities  # noqa: F401 (fixtures)


def _get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    # The page without what differs on every request (the CSP nonce, the CSRF token, the session's seconds left).
    html = re.sub(r'nonce="[^"]*"|value="[^"]*"|data-session-[a-z-]+="\d+"', "", response.content.decode())
    return html, len(queries)


def test_the_second_look_reads_the_kept_figures(client, board, year, rita):  # noqa: F811
    client.force_login(rita)
    url = f"{URL}?year={year.label}"
    first, worked_out = _get(client, url)
    again, from_cache = _get(client, url)
    assert from_cache < worked_out
    assert from_cache <= 10  # the page's own queries and one cache read, whatever the number of boroughs
    assert again == first
    assert "Figures as they stood at" in again


def test_a_change_shows_at_once(client, board, year, rita):  # noqa: F811
    client.force_login(rita)
    url = f"{URL}?year={year.label}"
    before, _ = _get(client, url)
    assert "2 open</strong>" in before  # Birmingham's open flags, all types
    for flag in Flag.objects.filter(borough__slug="birmingham", status=Flag.Status.OPEN):
        flag_resolve(flag=flag, by=rita, resolution="Evidence received")
    after, _ = _get(client, url)
    assert "2 open</strong>" not in after
    assert after != before


def test_the_kept_figures_last_board_cache_seconds(client, board, year, rita, settings):  # noqa: F811
    settings.BOARD_CACHE_SECONDS = 0  # kept for no time at all: every look works them out
    client.force_login(rita)
    url = f"{URL}?year={year.label}"
    _, first = _get(client, url)
    _, second = _get(client, url)
    assert first > 10
    assert second > 10  # worked out again, not the cache's handful


def test_the_annex_appendix_page_reads_the_kept_figures_and_shows_a_change_at_once(client, board, year, rita):  # noqa: F811
    from reviews.services.annex import annex_start

    annex_start(year=year, by=rita)
    client.force_login(rita)
    url = f"/annex/{year.label}/?borough=performance-summary"
    first, worked_out = _get(client, url)
    again, from_cache = _get(client, url)
    assert from_cache < worked_out
    assert again == first
    assert "Appendix: Performance summary" in first
    assert "2 open</strong>" in first
    for flag in Flag.objects.filter(borough__slug="birmingham", status=Flag.Status.OPEN):
        flag_resolve(flag=flag, by=rita, resolution="Evidence received")
    after, _ = _get(client, url)
    assert "2 open</strong>" not in after


def test_kept_figures_never_cull_the_throttles_or_the_used_codes(db):
    # A key that sorts before the figures' keys, as allauth's throttles and used codes do: Django's cull (past
    # MAX_ENTRIES, 300 by default) deletes the lowest third by key, whatever they hold.
    cache.set("allauth-throttle", 3, 3600)
    for page in range(400):  # a busy day's grid pages and changes
        kept(lambda: {"page": page}, "grid-summary", 1, page)  # noqa: B023 (called at once)
    assert cache.get("allauth-throttle") == 3
    assert kept(lambda: None, "grid-summary", 1, 399) == {"page": 399}


def test_a_kept_entry_is_one_read_and_never_outlives_a_change_made_while_it_was_worked_out(db):
    def changed_meanwhile():
        board_changed()  # as a save on another app server would, between the read and the write
        return "before the change"

    assert kept(changed_meanwhile, "grid-summary", 1, 2) == "before the change"
    assert kept(lambda: "after it", "grid-summary", 1, 2) == "after it"
    with CaptureQueriesContext(connection) as queries:
        assert kept(lambda: "worked out again", "grid-summary", 1, 2) == "after it"
    assert len(queries) == 1  # the generation and the entry together
