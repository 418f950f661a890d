"""What changed since the last submission (issue 15): the diff of a resubmitted return, its page and the links to it.

The return is filled in, submitted, sent back and resubmitted through the services, as the pages do it, so both
versions are real snapshots: the one kept on the decision and the return's own.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.context_processors import PermWrapper
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from returns.models import CommunityEngagement, Indicator, Return, ReturnSection, Risk
from returns.services import (
    alignment_save,
    log_item_delete,
    log_item_save,
    project_update_save,
    return_start,
    return_submit,
    section_mark,
)
from reviews.models import Decision
from reviews.selectors.changes import FigureChange, Segment, compare_submissions, word_diff
from reviews.selectors.feedback import load_feedback
from reviews.services.review import return_request_changes
from tests.conftest import assert_redirects_to_login
from tests.reviews.conftest import make_project

REASON = "Name the Plan priority you serve, and check the referrals: they look low."
FIRST_STATEMENT = "Our work supports the Plan."
SECOND_STATEMENT = "Our work supports the Plan's domestic abuse priority."


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def answer(return_, by, *, statement=FIRST_STATEMENT, referrals="60", spend="9000"):
    """Every section answered and completed through the services, at the versions the database holds now."""
    alignment = return_.sections.get(key=ReturnSection.Key.ALIGNMENT)
    alignment_save(
        return_=return_, statement=statement, priorities=[], completed=True, version=alignment.version, by=by
    )
    for update in return_.project_updates.select_related("project"):
        project_update_save(
            update=update,
            activity=f"Ran 12 sessions for {update.project.name}.",
            outcomes="Fewer repeat referrals.",
            spend=Decimal(spend),
            rag_override="",
            rag_reason="",
            actuals={indicator: Decimal(referrals) for indicator in update.project.indicators.all()},
            completed=True,
            version=update.version,
            by=by,
        )
    for section in return_.sections.exclude(key=ReturnSection.Key.ALIGNMENT):
        section_mark(section=section, completed=True, version=section.version, by=by)


def submitted_once(borough, period, by):
    return_ = return_start(borough=borough, period=period, by=by)
    log_item_save(
        item=Risk(
            return_of=return_,
            description="Advocates leave",
            likelihood=3,
            impact=4,
            mitigation="Retention payments",
            owner="CSP manager",
        ),
        section_key=ReturnSection.Key.RISKS,
        by=by,
    )
    answer(return_, by)
    return return_submit(return_=return_, by=by)


def send_back(return_, rita, sections=("alignment", "projects")):
    return_request_changes(return_=return_, by=rita, reason=REASON, sections=list(sections))
    return_.refresh_from_db()
    return return_


@pytest.fixture
def first(birmingham, periods, project, alice):
    return submitted_once(birmingham, periods[0], alice)


@pytest.fixture
def resubmitted(first, alice, rita):
    send_back(first, rita)
    answer(first, alice, statement=SECOND_STATEMENT, referrals="90", spend="12000")
    return return_submit(return_=first, by=alice)


def section(changes, key):
    return next(s for s in changes.sections if s.key == key)


# The diff


def test_word_diff_keeps_removes_and_adds_words_and_line_breaks():
    assert word_diff("the quick brown fox", "the quick red fox") == [
        Segment("same", "the quick"),
        Segment("removed", "brown"),
        Segment("added", "red"),
        Segment("same", "fox"),
    ]
    assert word_diff("", "all new") == [Segment("added", "all new")]
    assert word_diff("first\nsecond", "first\nthird") == [
        Segment("same", "first \n"),
        Segment("removed", "second"),
        Segment("added", "third"),
    ]


def test_a_text_change_shows_the_removed_and_added_words(resubmitted, rita):
    alignment = section(compare_submissions(resubmitted, rita), "alignment")
    [item] = alignment.items
    [statement] = item.texts
    assert statement.label == "Statement"
    assert statement.segments == [
        Segment("same", "Our work supports the"),
        Segment("removed", "Plan."),
        Segment("added", "Plan's domestic abuse priority."),
    ]


def test_a_figure_change_shows_old_and_new(resubmitted, rita):
    projects = section(compare_submissions(resubmitted, rita), "projects")
    [item] = projects.items
    assert (item.name, item.state, item.texts) == ("Domestic abuse advocacy", "changed", [])
    assert FigureChange("Referrals: this quarter", "60", "90") in item.figures
    assert FigureChange("Referrals: year to date", "60", "90") in item.figures
    # Against Q1's share of the targets (25 minimum, 37.5 aspirational) both figures are green: no RAG change.
    assert FigureChange("Spend this quarter", "£9,000.00", "£12,000.00") in item.figures
    assert not [f for f in item.figures if f.label == "RAG rating"]


def test_unchanged_sections_say_so_and_the_named_ones_are_marked(resubmitted, rita):
    changes = compare_submissions(resubmitted, rita)
    assert [(s.key, s.changed, s.named) for s in changes.sections] == [
        ("alignment", True, True),
        ("projects", True, True),
        ("risks", False, False),
        ("community", False, False),
        ("opcc", False, False),
        ("evidence", False, False),
    ]


def test_entries_added_and_removed_are_listed_whole(first, alice, rita):
    send_back(first, rita, sections=["risks", "community"])
    risk = first.risks.get()
    log_item_delete(item=risk, version=risk.version, by=alice)
    log_item_save(
        item=CommunityEngagement(
            return_of=first,
            date=date(2026, 6, 1),
            title="Stall at the Bullring",
            description="Leaflets",
            people_reached=40,
        ),
        section_key=ReturnSection.Key.COMMUNITY,
        by=alice,
    )
    answer(first, alice)
    changes = compare_submissions(return_submit(return_=first, by=alice), rita)

    [removed] = section(changes, "risks").items
    assert (removed.name, removed.state) == ("Advocates leave", "removed")
    assert FigureChange("Likelihood", "3", "") in removed.figures
    assert [(t.label, t.segments) for t in removed.texts] == [
        ("Description", [Segment("removed", "Advocates leave")]),
        ("Mitigation", [Segment("removed", "Retention payments")]),
    ]
    [added] = section(changes, "community").items
    assert (added.name, added.state) == ("Stall at the Bullring", "added")
    assert FigureChange("Date", "", "1 June 2026") in added.figures
    assert FigureChange("Number of people reached", "", "40") in added.figures
    assert not section(changes, "alignment").changed
    assert not section(changes, "projects").changed


def test_a_return_submitted_once_has_nothing_to_compare(first, rita):
    assert compare_submissions(first, rita).earlier is None
    # Sent back, the return's latest submission is the one the decision kept: still nothing earlier.
    send_back(first, rita)
    assert compare_submissions(first, rita).earlier is None


def test_a_second_round_compares_with_the_version_sent_back_last(resubmitted, alice, rita):
    send_back(resubmitted, rita, sections=["alignment"])
    answer(resubmitted, alice, statement="Third go.", referrals="90", spend="12000")
    changes = compare_submissions(return_submit(return_=resubmitted, by=alice), rita)
    assert changes.earlier == Decision.objects.filter(return_of=resubmitted).last()
    [item] = section(changes, "alignment").items
    assert item.texts[0].segments == [Segment("removed", SECOND_STATEMENT), Segment("added", "Third go.")]
    assert not section(changes, "projects").changed


# The page


def test_the_reviewer_sees_the_diff(resubmitted, rita):
    response = client_for(rita).get(f"/review/returns/{resubmitted.pk}/changes/")
    assert response.status_code == 200
    html = response.text
    assert "What changed since the last submission" in html
    assert REASON in html
    assert (
        '<del class="app-diff__removed"><span class="govuk-visually-hidden">(removed: </span>Plan.'
        '<span class="govuk-visually-hidden">)</span></del>'
    ) in html
    assert (
        '<ins class="app-diff__added"><span class="govuk-visually-hidden">(added: </span>Plan&#x27;s domestic' in html
    )
    row = html[html.index("Referrals: this quarter") :].split("</tr>")[0]
    assert row.index(">60<") < row.index(">90<")
    assert html.count("No changes in this section.") == 4
    assert html.count("govuk-tag--orange") == 2  # the two sections the request named, in the list of sections


def test_the_page_says_when_there_is_nothing_to_compare(first, rita):
    response = client_for(rita).get(f"/review/returns/{first.pk}/changes/")
    assert response.status_code == 200
    assert "There is no earlier submission to compare with: this return has been submitted once." in response.text


def test_a_version_kept_before_snapshots_had_a_format_is_linked_not_compared(resubmitted, rita):
    decision = Decision.objects.get(return_of=resubmitted)
    decision.snapshot = {"submitted_at": decision.snapshot["submitted_at"], "alignment_statement": "Old"}
    decision.save()
    response = client_for(rita).get(f"/review/returns/{resubmitted.pk}/changes/")
    assert response.status_code == 200
    assert "cannot be compared section by section" in response.text
    assert f"/review/returns/{resubmitted.pk}/submitted/{decision.pk}/" in response.text


def test_who_may_see_it(client, resubmitted, alice, bob, charlie, rita, adam):
    url = f"/review/returns/{resubmitted.pk}/changes/"
    assert client_for(rita).get(url).status_code == 200
    assert client_for(adam).get(url).status_code == 200
    assert client_for(bob).get(url).status_code == 404  # an officer of another borough
    assert client_for(alice).get(url).status_code == 404  # the review is the OPCC's, even of her own borough
    assert client_for(charlie).get(url).status_code == 403  # signed in, no permission
    assert_redirects_to_login(client.get(url), url)


def test_an_unknown_return_is_404(rita, year):
    assert client_for(rita).get("/review/returns/999999/changes/").status_code == 404


def resubmitted_with(borough, period, officer, rita, projects):
    for n in range(projects):
        project = make_project(borough, name=f"Project {n}")
        for i in range(2):
            Indicator.objects.create(project=project, name=f"Measure {i}", minimum_target=10, aspirational_target=20)
    return_ = submitted_once(borough, period, officer)
    send_back(return_, rita)
    answer(return_, officer, statement=SECOND_STATEMENT, referrals="90", spend="12000")
    return return_submit(return_=return_, by=officer)


def test_the_query_count_does_not_grow_with_the_return(birmingham, coventry, periods, alice, bob, rita):
    small = resubmitted_with(birmingham, periods[0], alice, rita, projects=1)
    large = resubmitted_with(coventry, periods[0], bob, rita, projects=8)
    client = client_for(rita)
    counts = []
    for return_ in (small, large):
        client.get(f"/review/returns/{return_.pk}/changes/")  # warm-up: the session and per-process caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/review/returns/{return_.pk}/changes/")
        assert response.status_code == 200
        counts.append(len(queries))
    assert response.text.count("Measure 1: this quarter") == 8
    assert counts[0] == counts[1]


# The links to it


def test_the_history_tab_links_to_it_for_the_opcc_only(resubmitted, alice, rita):
    url = f"/returns/{resubmitted.pk}/history/"
    link = f'href="/review/returns/{resubmitted.pk}/changes/">See what changed since the last submission</a>'
    assert link in client_for(rita).get(url).text
    assert "See what changed" not in client_for(alice).get(url).text


def test_the_review_page_links_to_it_once_resubmitted(first, alice, rita):
    url = f"/review/returns/{first.pk}/"
    assert "See what changed" not in client_for(rita).get(url).text
    send_back(first, rita)
    answer(first, alice, statement=SECOND_STATEMENT)
    return_submit(return_=first, by=alice)
    assert f'href="/review/returns/{first.pk}/changes/">See what changed since' in client_for(rita).get(url).text


def test_the_history_tab_has_no_link_before_a_resubmission(first, rita):
    assert "See what changed" not in client_for(rita).get(f"/returns/{first.pk}/history/").text


def link_for(return_, user):
    request = RequestFactory().get("/")
    request.user = user
    context = {"return": return_, "feedback": load_feedback(return_, user), "perms": PermWrapper(user)}
    return render_to_string("reviews/review/_what_changed_link.html", context, request=request)


def test_the_partial_shows_the_link_once_there_is_an_earlier_submission(first, alice, rita):
    assert "See what changed" not in link_for(first, rita)
    send_back(first, rita)
    assert "See what changed" not in link_for(first, rita)  # back with the officer: one submission so far
    answer(first, alice, statement=SECOND_STATEMENT)
    resubmitted = return_submit(return_=first, by=alice)
    assert resubmitted.status == Return.Status.RESUBMITTED
    assert "See what changed since the last submission" in link_for(resubmitted, rita)
    assert "See what changed" not in link_for(resubmitted, alice)
