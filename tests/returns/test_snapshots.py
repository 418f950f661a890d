"""A submitted return keeps what it reported: later edits to its projects and targets change nothing the OPCC saw."""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from returns.models import CommunityEngagement, MatchFunding, OpccEngagement, Return, ReturnSection, Risk
from returns.overview import load_overview
from returns.services import (
    alignment_save,
    evidence_add,
    log_item_save,
    project_update_save,
    return_submit,
    section_mark,
)
from reviews.models import Decision
from reviews.services.review import return_accept, return_reopen, return_request_changes

from .conftest import PDF_BYTES, upload

# What differs on every request whatever the page says: the CSRF token, the Content-Security-Policy nonce and the
# seconds left in the session (for the time-out warning).
PER_REQUEST = re.compile(
    rb'name="csrfmiddlewaretoken" value="[^"]*"|nonce="[^"]*"|data-session-(?:ends-in|seconds)="\d+"'
)


def fill(return_, by, actuals, *, spend="9000"):
    """Answer every section through the services, as the pages do. `actuals`: project name -> values by indicator."""
    alignment = return_.sections.get(key=ReturnSection.Key.ALIGNMENT)
    alignment_save(
        return_=return_,
        statement="Aligned to the Plan's youth violence priority.",
        priorities=[],
        completed=True,
        version=alignment.version,
        by=by,
    )
    for update in return_.project_updates.select_related("project"):
        indicators = update.project.indicators.order_by("pk")
        project_update_save(
            update=update,
            activity=f"Sessions for {update.project.name}.",
            outcomes="Fewer repeat referrals.",
            spend=Decimal(spend),
            rag_override="",
            rag_reason="",
            actuals={i: Decimal(v) for i, v in zip(indicators, actuals[update.project.name], strict=True)},
            completed=True,
            version=update.version,
            by=by,
        )
    for section in return_.sections.exclude(key=ReturnSection.Key.ALIGNMENT):
        section_mark(section=section, completed=True, version=section.version, by=by)


@pytest.fixture
def accepted(draft, alice, rita, projects):
    youth = projects[0]
    log_item_save(
        item=Risk(
            return_of=draft,
            description="Youth workers leave",
            project=youth,
            likelihood=3,
            impact=4,
            mitigation="Retention payments",
            owner="CSP manager",
        ),
        section_key=ReturnSection.Key.RISKS,
        by=alice,
    )
    log_item_save(
        item=CommunityEngagement(
            return_of=draft,
            date=date(2026, 8, 1),
            title="Road show at the Bullring",
            description="Stalls and leaflets",
            people_reached=40,
        ),
        section_key=ReturnSection.Key.COMMUNITY,
        by=alice,
    )
    log_item_save(
        item=OpccEngagement(
            return_of=draft, date=date(2026, 8, 2), what="Launch", pcc_involvement=OpccEngagement.Pcc.INVITED
        ),
        section_key=ReturnSection.Key.OPCC,
        by=alice,
    )
    evidence_add(
        return_=draft, upload=upload("sessions.pdf", PDF_BYTES), kind="pdf", project=youth, description="", by=alice
    )
    fill(draft, alice, {"Youth violence prevention": ["70", "65"], "Business crime": ["55"]})
    return_submit(return_=draft, by=alice)
    draft.refresh_from_db()
    return_accept(return_=draft, by=rita)
    draft.refresh_from_db()
    assert draft.status == Return.Status.ACCEPTED
    return draft


def signed_in_client(user):
    client = Client()
    client.force_login(user)
    return client


def pages(return_, users):
    """The accepted return's print, check and review pages, byte for byte (per-request tokens aside)."""
    urls = [reverse("return_print", args=[return_.pk]), reverse("return_check", args=[return_.pk])]
    shown = {}
    for user in users:
        reader = signed_in_client(user)
        for url in [*urls, *([reverse("reviews:return", args=[return_.pk])] if user.username == "rita" else [])]:
            response = reader.get(url)
            assert response.status_code == 200, url
            shown[user.username, url] = PER_REQUEST.sub(b"", response.content)
    return shown


def edit_the_project_and_its_targets(client, alice, project):
    """An officer renames the project, changes its allocation and raises its targets, through the forms."""
    client.force_login(alice)
    referrals = project.indicators.order_by("pk").first()
    response = client.post(
        reverse("indicator_edit", args=["birmingham", project.pk, referrals.pk]),
        {
            "name": "Referrals accepted",
            "unit": "count",
            "baseline": "",
            "minimum_target": "200",
            "aspirational_target": "300",
            "higher_is_better": "yes",
            "version": referrals.version,
            "save": "",
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("project_edit", args=["birmingham", project.pk]),
        {
            "name": "Youth diversion",
            "delivery_partner": "Redthread",
            "description": "",
            "csf_allocation": "55000",
            "status": "active",
            "version": project.version,
            "save": "",
        },
    )
    assert response.status_code == 302
    project.refresh_from_db()
    referrals.refresh_from_db()
    assert (project.name, project.delivery_partner, project.csf_allocation) == (
        "Youth diversion",
        "Redthread",
        Decimal("55000"),
    )
    assert (referrals.name, referrals.minimum_target, referrals.aspirational_target) == (
        "Referrals accepted",
        Decimal("200"),
        Decimal("300"),
    )


def test_an_accepted_return_reads_the_same_after_its_project_and_targets_change(
    client, accepted, alice, rita, projects
):
    before = pages(accepted, [alice, rita])
    print_page = before["rita", reverse("return_print", args=[accepted.pk])].decode()
    # What was submitted: Q2 is half the year, so 70 referrals against 60 / 80 is amber.
    assert "Youth violence prevention" in print_page
    assert "Referrals received" in print_page
    assert "120 / 160" in print_page
    assert '<strong class="govuk-tag govuk-tag--orange">Amber</strong>' in print_page
    assert "£9,000.00 of £40,000.00 allocated" in print_page
    assert "shown as they were when the return was submitted" in print_page

    edit_the_project_and_its_targets(client, alice, projects[0])

    after = pages(accepted, [alice, rita])
    assert after.keys() == before.keys()
    for key, content in before.items():
        assert after[key] == content, key
    for content in after.values():
        text = content.decode()
        assert "Youth diversion" not in text
        assert "Referrals accepted" not in text
        assert "200 / 300" not in text
    # The live project did change: its own page says so.
    project_page = client.get(reverse("project_detail", args=["birmingham", projects[0].pk])).text
    assert "Youth diversion" in project_page


def test_the_officers_task_list_shows_the_submitted_names_and_rag(client, accepted, alice, projects):
    edit_the_project_and_its_targets(client, alice, projects[0])
    reader = signed_in_client(alice)
    page = reader.get(reverse("return_detail", args=[accepted.pk])).text
    assert "Youth violence prevention" in page
    assert "Youth diversion" not in page
    assert "St Giles Trust · RAG: Amber" in page


def test_the_snapshot_reads_back_exactly_as_the_live_rows_rendered(accepted):
    """The snapshot keeps everything the answers show: the same page from live rows and from the snapshot."""
    assert accepted.is_frozen
    frozen = load_overview(accepted)
    unfrozen = Return.objects.get(pk=accepted.pk)
    unfrozen.snapshot = None  # as if it had none: the live rows, which nobody has changed since
    live = load_overview(unfrozen, full=True)
    assert frozen.as_submitted
    assert not live.as_submitted

    def answers(overview):
        return render_to_string("returns/_answers.html", {"return": accepted, "overview": overview, "change": False})

    assert answers(frozen) == answers(live)
    assert "Youth workers leave" in answers(frozen)
    assert "sessions.pdf" in answers(frozen)


def test_a_submitted_return_is_read_without_touching_the_live_projects(accepted):
    with CaptureQueriesContext(connection) as queries:
        overview = load_overview(accepted)
        assert [t.project.name for t in overview.tasks] == ["Business crime", "Youth violence prevention"]
        assert [r.project.name for r in overview.risks] == ["Youth violence prevention"]
        assert [row.indicator.minimum_target for row in overview.tasks[1].indicators] == [120, 60]
    touched = " ".join(q["sql"] for q in queries.captured_queries)
    for table in ("returns_project", "returns_indicator", "returns_indicatoractual", "returns_risk"):
        assert f'"{table}"' not in touched, table


def test_lists_of_returns_leave_the_snapshot_in_the_database_and_a_returns_own_pages_read_it(
    client, accepted, alice, rita, projects
):
    """A snapshot is what one return reported (kilobytes of JSON): a list of returns never shows it, so it is not
    read or decoded for each; the pages of that one return get it with the return, in the same query."""
    listed = Return.objects.filter(pk=accepted.pk)
    assert "snapshot" not in str(listed.query)
    assert "snapshot" not in Return.objects.get(pk=accepted.pk).__dict__  # deferred, fetched only if read
    assert Return.objects.with_snapshot().get(pk=accepted.pk).snapshot == accepted.snapshot

    reader = signed_in_client(rita)
    for url in (reverse("reviews:search") + "?q=youth", reverse("reviews:grid")):
        with CaptureQueriesContext(connection) as queries:
            assert reader.get(url).status_code == 200
        assert all('"returns_return"."snapshot"' not in q["sql"] for q in queries.captured_queries), url

    for user, url in (
        (alice, reverse("return_detail", args=[accepted.pk])),
        (rita, reverse("reviews:return", args=[accepted.pk])),
    ):
        with CaptureQueriesContext(connection) as queries:
            page = signed_in_client(user).get(url)
        assert "Youth violence prevention" in page.text
        snapshot_reads = [q["sql"] for q in queries.captured_queries if '"returns_return"."snapshot"' in q["sql"]]
        assert len(snapshot_reads) == 1, url  # with the return itself, never a query of its own
        assert '"returns_return"."status"' in snapshot_reads[0]


def test_reopening_and_resubmitting_shows_the_new_figures_and_keeps_the_accepted_ones(
    client, accepted, alice, rita, adam, projects
):
    edit_the_project_and_its_targets(client, alice, projects[0])
    first = accepted.snapshot
    return_reopen(return_=accepted, by=adam, reason="The targets were revised in September.")
    accepted.refresh_from_db()
    assert accepted.status == Return.Status.CHANGES_REQUESTED

    # Back with the officer: the live projects again, renamed and with the new targets.
    task_list = client.get(reverse("return_detail", args=[accepted.pk])).text
    assert "Youth diversion" in task_list
    fill(accepted, alice, {"Youth diversion": ["90", "65"], "Business crime": ["55"]}, spend="12000")
    return_submit(return_=accepted, by=alice)
    accepted.refresh_from_db()
    assert accepted.status == Return.Status.RESUBMITTED
    assert accepted.snapshot != first

    reader = signed_in_client(rita)
    printed = reader.get(reverse("return_print", args=[accepted.pk])).text
    assert "Youth diversion" in printed
    assert "Referrals accepted" in printed
    assert "200 / 300" in printed
    assert "£12,000.00 of £55,000.00 allocated" in printed
    # 90 year to date against half of 200 / 300 is red.
    assert '<strong class="govuk-tag govuk-tag--red">Red</strong>' in printed
    assert "Youth violence prevention" not in printed

    # The accepted version stays readable, from the reopen decision on the timeline.
    reopened = Decision.objects.get(return_of=accepted, kind=Decision.Kind.REOPEN)
    earlier_url = reverse("reviews:submitted_version", args=[accepted.pk, reopened.pk])
    assert earlier_url in reader.get(reverse("reviews:return", args=[accepted.pk])).text
    assert earlier_url in reader.get(reverse("reviews:return_history", args=[accepted.pk])).text
    earlier = reader.get(earlier_url).text
    assert "The return as accepted before it was reopened" in earlier
    assert "Youth violence prevention" in earlier
    assert "120 / 160" in earlier
    assert '<strong class="govuk-tag govuk-tag--orange">Amber</strong>' in earlier
    assert "£9,000.00 of £40,000.00 allocated" in earlier
    assert "Youth diversion" not in earlier
    assert reopened.snapshot["projects"] == first["projects"]


def test_requesting_changes_keeps_the_submitted_snapshot_on_the_decision(client, draft, alice, rita, projects):
    fill(draft, alice, {"Youth violence prevention": ["70", "65"], "Business crime": ["55"]})
    return_submit(return_=draft, by=alice)
    draft.refresh_from_db()
    submitted = draft.snapshot
    decision = return_request_changes(return_=draft, by=rita, reason="Say more about outcomes.", sections=[])
    assert decision.snapshot["projects"] == submitted["projects"]
    assert decision.snapshot["submitted_by"] == "Alice"
    draft.refresh_from_db()
    # Changes requested: the officer edits live data again, and the pages show it.
    assert not draft.is_frozen
    edit_the_project_and_its_targets(client, alice, projects[0])
    check = signed_in_client(alice).get(reverse("return_check", args=[draft.pk])).text
    assert "Youth diversion" in check
    assert "shown as they were when the return was submitted" not in check


def test_the_history_tab_names_the_projects_and_indicators_as_submitted(client, accepted, alice, projects):
    edit_the_project_and_its_targets(client, alice, projects[0])
    reader = signed_in_client(alice)
    page = reader.get(reverse("reviews:return_history", args=[accepted.pk])).text
    assert "Project: Youth violence prevention" in page
    assert "Actual: Referrals received (Youth violence prevention)" in page
    assert "Youth diversion" not in page
    assert "Referrals accepted" not in page


def test_returns_submitted_before_snapshots_are_frozen_once_by_the_command(client, accepted, alice, projects):
    Return.objects.filter(pk=accepted.pk).update(snapshot=None)  # as submitted before snapshots existed
    accepted.refresh_from_db()
    assert not accepted.is_frozen
    out = io.StringIO()
    call_command("freeze_submitted_returns", stdout=out)
    assert out.getvalue() == "Kept the submitted figures of 1 return.\n"
    accepted.refresh_from_db()
    assert accepted.is_frozen
    before = pages(accepted, [alice])

    edit_the_project_and_its_targets(client, alice, projects[0])
    assert pages(accepted, [alice]) == before
    out = io.StringIO()
    call_command("freeze_submitted_returns", stdout=out)
    assert out.getvalue() == "Kept the submitted figures of 0 returns.\n"


def test_match_funding_shows_as_it_stood_when_submitted(accepted, alice, rita, projects):
    MatchFunding.objects.create(project=projects[0], source="Lottery", amount=Decimal("1500"))
    # Kept again as it stands now, with the match funding (as at a submission).
    Return.objects.filter(pk=accepted.pk).update(snapshot=None)
    call_command("freeze_submitted_returns", stdout=io.StringIO())
    accepted.refresh_from_db()
    before = pages(accepted, [alice, rita])
    assert "£1,500.00 beside the" in before["alice", reverse("return_check", args=[accepted.pk])].decode()

    MatchFunding.objects.create(project=projects[0], source="Council", amount=Decimal("700"))
    MatchFunding.objects.filter(source="Lottery").delete()
    assert pages(accepted, [alice, rita]) == before
