"""After changes are requested, the officer's task list marks the sections the reviewer named (issue 15).

A named section says "Changes requested" (orange) instead of "Completed", with a line beneath saying the OPCC asked
for changes there, until the return is resubmitted; "projects" marks every project task. Submitting says "Return
submitted" the first time and "Return resubmitted" after changes were requested.
"""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from returns.models import Return, ReturnSection, SectionStatus
from returns.services import return_start, return_submit
from reviews.services.review import return_request_changes

from .conftest import complete_everything, make_project

REASON = "Say which Plan priority each project serves."
REQUESTED = '<strong class="govuk-tag govuk-tag--orange">Changes requested</strong>'
HINT = "The OPCC asked for changes to this section: “Say which Plan priority each project serves.”"
SECTION_TASKS = ["alignment", "risks", "community", "opcc", "evidence"]


def send_back(return_, rita, sections):
    return_request_changes(return_=return_, by=rita, reason=REASON, sections=sections)
    return_.refresh_from_db()
    return return_


def task_list(client, user, return_):
    client.force_login(user)
    response = client.get(reverse("return_detail", args=[return_.pk]))
    assert response.status_code == 200
    return response.text


def status_of(html, element_id):
    return re.search(rf'id="{element_id}-status">(.*?)</div>', html, re.S).group(1).strip()


def project_statuses(html, return_):
    return [status_of(html, f"project-{u.pk}") for u in return_.project_updates.order_by("pk")]


def test_the_named_sections_and_only_those_say_changes_requested(client, alice, rita, submitted):
    send_back(submitted, rita, ["alignment", "risks"])
    html = task_list(client, alice, submitted)
    assert {key: status_of(html, key) for key in SECTION_TASKS} == {
        "alignment": REQUESTED,
        "risks": REQUESTED,
        "community": "Completed",
        "opcc": "Completed",
        "evidence": "Completed",
    }
    assert project_statuses(html, submitted) == ["Completed", "Completed"]
    # Beneath each named task, with the reviewer's words, and read with its link.
    assert html.count(HINT) == 2
    assert 'aria-describedby="alignment-request alignment-status"' in html
    assert 'id="risks-request">' + HINT in html
    assert REASON in html


def test_naming_projects_marks_every_project_task(client, alice, rita, submitted):
    send_back(submitted, rita, ["projects"])
    html = task_list(client, alice, submitted)
    assert project_statuses(html, submitted) == [REQUESTED, REQUESTED]
    assert html.count(f"The OPCC asked for changes to the projects: “{REASON}”") == 2
    assert [status_of(html, key) for key in SECTION_TASKS] == ["Completed"] * 5


def test_a_named_section_being_reworked_shows_its_own_status_and_the_request(client, alice, rita, submitted):
    send_back(submitted, rita, ["alignment"])
    submitted.sections.filter(key=ReturnSection.Key.ALIGNMENT).update(status=SectionStatus.IN_PROGRESS)
    html = task_list(client, alice, submitted)
    assert "In progress" in status_of(html, "alignment")
    assert html.count(HINT) == 1


def test_a_request_naming_no_section_marks_none(client, alice, rita, submitted):
    send_back(submitted, rita, [])
    html = task_list(client, alice, submitted)
    assert REQUESTED not in html
    assert HINT not in html
    assert REASON in html  # the notice at the top still says why


def test_the_marks_go_once_the_return_is_resubmitted(client, alice, rita, submitted):
    send_back(submitted, rita, ["alignment", "projects"])
    return_submit(return_=submitted, by=alice)
    html = task_list(client, alice, submitted)
    assert REQUESTED not in html
    assert HINT not in html
    assert [status_of(html, key) for key in SECTION_TASKS] == ["Completed"] * 5


def test_a_long_reason_is_shortened_beneath_the_task_and_whole_at_the_top(client, alice, rita, submitted):
    reason = " ".join(f"word{n}" for n in range(40))
    return_request_changes(return_=submitted, by=rita, reason=reason, sections=["risks"])
    html = task_list(client, alice, submitted)
    shortened = " ".join(f"word{n}" for n in range(25))
    assert f'id="risks-request">The OPCC asked for changes to this section: “{shortened} …”' in html
    assert reason in html


def test_nothing_is_marked_before_any_request(client, alice, submitted):
    assert REQUESTED not in task_list(client, alice, submitted)


def test_the_task_list_costs_the_same_however_many_projects_are_named(
    client, alice, bob, rita, birmingham, coventry, q2
):
    returns = []
    for borough, officer, projects, named in (
        (birmingham, alice, 1, ["alignment"]),
        (coventry, bob, 7, ["alignment", "projects", "risks", "community", "opcc", "evidence"]),
    ):
        for i in range(projects):
            make_project(borough, f"Project {i}")
        return_ = return_start(borough=borough, period=q2, by=officer)
        complete_everything(return_)
        returns.append((send_back(return_submit(return_=return_, by=officer), rita, named), officer))

    counts = []
    for return_, officer in returns:
        task_list(client, officer, return_)  # warm the session and caches
        with CaptureQueriesContext(connection) as queries:
            html = task_list(client, officer, return_)
        counts.append(len(queries))
    assert html.count(REQUESTED) == 5 + 7
    assert counts[0] == counts[1]


# The message on submitting


def submit(client, user, return_):
    client.force_login(user)
    response = client.post(reverse("return_check", args=[return_.pk]), {"declaration": "on"}, follow=True)
    assert response.status_code == 200
    return response.text


def test_the_first_submission_says_submitted(client, alice, draft):
    complete_everything(draft)
    html = submit(client, alice, draft)
    assert "Return submitted. The OPCC can now review it." in html
    assert "Return resubmitted" not in html
    draft.refresh_from_db()
    assert draft.status == Return.Status.SUBMITTED


def test_resubmitting_after_changes_were_requested_says_resubmitted(client, alice, rita, submitted):
    send_back(submitted, rita, ["alignment"])
    html = submit(client, alice, submitted)
    assert "Return resubmitted. The OPCC can now review your changes." in html
    assert "Return submitted." not in html
    submitted.refresh_from_db()
    assert submitted.status == Return.Status.RESUBMITTED
