"""Issue 12: the officer's task list, check answers and the History tab read only what they show.

The review's side of a return (reviews/selectors/feedback.py) is read part by part as a page uses it, this quarter's
flags and the ones carried from earlier quarters in one query, so these pages cost the same however much the OPCC
has written, and what each persona sees is unchanged.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from returns.models import Return
from reviews.models import FlagType
from reviews.services import review as services

from ..conftest import make_return

pytestmark = pytest.mark.django_db


def _get(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return response.text, [q["sql"] for q in captured.captured_queries]


def _reads(queries, table):
    return [sql for sql in queries if f'FROM "{table}"' in sql]


def _flag(return_, by, column, note, *, visibility="shared"):
    flag_type = FlagType.objects.get(key="outcomes-not-quantified")
    return services.flag_raise(
        return_=return_, flag_type=flag_type, column=column, note=note, visibility=visibility, by=by
    )


@pytest.fixture
def three_quarters(birmingham, periods, project, alice):
    """Q1, Q2 and Q3 with the OPCC: the flags raised on the first two are carried into the third."""
    return [make_return(birmingham, period, by=alice) for period in periods[:3]]


def test_carried_flags_cost_the_same_however_many_and_show_oldest_first(client, alice, rita, columns, three_quarters):
    q1, q2, q3 = three_quarters
    _flag(q1, rita, columns["performance"], "First carried-1101")
    _flag(q3, rita, columns["alignment"], "This quarter-5505")
    client.force_login(alice)
    _text, one = _get(client, f"/returns/{q3.pk}/")

    _flag(q2, rita, columns["alignment"], "Second carried-2202")
    _flag(q1, rita, columns["community"], "Third carried-3303")
    _flag(q2, rita, columns["alignment"], "Secret carried-9909", visibility="opcc")
    resolved = _flag(q1, rita, columns["alignment"], "Resolved carried-4404")
    services.flag_resolve(flag=resolved, by=rita, resolution="Done.")
    text, many = _get(client, f"/returns/{q3.pk}/")

    assert len(many) == len(one)
    carried = text.split("Actions from earlier quarters", 1)[1].split("</ul>", 1)[0]
    # Oldest quarter first, then in the order they were raised.
    assert carried.index("carried-1101") < carried.index("carried-3303") < carried.index("carried-2202")
    assert "(raised Q1 2026-27)" in carried
    assert "(raised Q2 2026-27)" in carried
    assert "carried-4404" not in carried  # resolved: nothing owed
    assert "quarter-5505" not in carried  # this quarter's: under the OPCC's feedback, not carried
    assert "This quarter-5505" in text
    assert "carried-9909" not in text  # OPCC-only


def test_the_history_tab_reads_the_decisions_not_the_comments_or_flags(client, alice, rita, columns, submitted):
    services.column_commentary_save(
        column=columns["alignment"],
        text="Shared comment-6601",
        visibility="shared",
        return_=submitted,
        by=rita,
        expected_version=0,
        rag="amber",
    )
    _flag(submitted, rita, columns["alignment"], "Flag note-6602")
    services.return_request_changes(return_=submitted, by=rita, reason="Add outcome figures.", sections=["alignment"])
    client.force_login(alice)
    text, queries = _get(client, reverse("reviews:return_history", args=[submitted.pk]))
    assert "Add outcome figures." in text  # the timeline
    assert _reads(queries, "reviews_decision")
    # The comment's history is there (its column's heading read with the other names), the comments themselves not.
    assert "OPCC commentary: Alignment" in text
    for table in ("reviews_columncommentary", "reviews_projectcommentary", "reviews_flag"):
        assert not _reads(queries, table), table


def test_a_draft_task_list_reads_no_decisions_and_check_answers_no_deadline(client, alice, birmingham, periods):
    q3 = make_return(birmingham, periods[2], status=Return.Status.DRAFT, by=alice)
    client.force_login(alice)
    text, queries = _get(client, f"/returns/{q3.pk}/")
    assert not _reads(queries, "reviews_decision")  # only a return sent back shows a decision
    assert "Due " in text
    assert _reads(queries, "returns_periodextension")
    text, queries = _get(client, f"/returns/{q3.pk}/check/")
    assert "Check your answers" in text
    assert not _reads(queries, "returns_periodextension")  # the page shows no due date
