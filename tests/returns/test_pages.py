"""Section pages: validation that keeps what was typed, save-and-come-back-later, conflicts and query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from returns.models import ProjectUpdate, Return, ReturnSection, SectionStatus
from returns.services import return_start

from .conftest import complete_everything, make_project, project_post


class TestValidation:
    def test_bad_numbers_get_clear_messages_and_everything_typed_comes_back(self, client, alice, youth):
        referrals, engaged = youth.project.indicators.order_by("pk")
        url = reverse("return_project", args=[youth.return_of_id, youth.pk])
        client.force_login(alice)
        data = project_post(
            youth,
            **{f"indicator_{referrals.pk}": "-3", f"indicator_{engaged.pk}": "120", "spend": "ten thousand"},
        )
        response = client.post(url, data)
        page = response.content.decode()
        assert response.status_code == 200
        assert "There is a problem" in page
        assert "<title>Error:" in page
        assert "Referrals received (count) cannot be negative" in page
        assert "Engaged (percentage) must be 100% or less" in page
        assert "Enter the spend in pounds, like 1,250.50" in page
        for typed in (
            "Mentoring sessions in three schools",
            "82 of 131 referrals engaged",
            "-3",
            "120",
            "ten thousand",
        ):
            assert typed in page
        youth.refresh_from_db()
        assert youth.activity == ""
        assert youth.version == 1

    def test_a_100000_character_paste_is_refused_with_the_limit_and_kept(self, client, alice, youth):
        url = reverse("return_project", args=[youth.return_of_id, youth.pk])
        client.force_login(alice)
        pasted = "x" * 100_000
        page = client.post(url, project_post(youth, activity=pasted)).content.decode()
        assert "Activity this quarter must be 5,000 characters or fewer. You entered 100000 characters." in page
        # The character count's own message states the limit (once: no hint repeats it).
        assert "You can enter up to 5000 characters" in " ".join(page.split())
        assert pasted in page, "the paste is shown again, not cut short"
        assert ' maxlength="5000"' not in page, "the browser must not cut the paste silently"

    def test_completing_needs_the_answers_but_saving_for_later_does_not(self, client, alice, youth):
        url = reverse("return_project", args=[youth.return_of_id, youth.pk])
        client.force_login(alice)
        empty = project_post(youth, activity="", outcomes="", spend="")
        page = client.post(url, empty).content.decode()
        assert "Enter the activity this quarter" in page

        later = project_post(youth, activity="", outcomes="Half written", spend="", completed="")
        del later["save"]
        later["later"] = ""
        response = client.post(url, later)
        assert response.status_code == 302
        youth.refresh_from_db()
        assert youth.outcomes == "Half written"
        assert youth.status == SectionStatus.IN_PROGRESS

    def test_an_override_needs_a_reason(self, client, alice, youth):
        url = reverse("return_project", args=[youth.return_of_id, youth.pk])
        client.force_login(alice)
        page = client.post(url, project_post(youth, rag_override="green")).content.decode()
        assert "Enter why you rated the project differently" in page
        response = client.post(
            url, project_post(youth, rag_override="green", rag_reason="Strong qualitative outcomes")
        )
        assert response.status_code == 302
        youth.refresh_from_db()
        assert youth.rag_override == "green"
        assert youth.status == SectionStatus.COMPLETED

    def test_the_completion_question_must_be_answered_to_continue(self, client, alice, draft):
        url = reverse("return_log", args=[draft.pk, "risks"])
        client.force_login(alice)
        page = client.post(url, {"version": 1, "save": ""}).content.decode()
        assert "Select whether you have completed this section" in page

    def test_people_reached_cannot_be_negative_or_text(self, client, alice, draft):
        url = reverse("return_log_add", args=[draft.pk, "community"])
        client.force_login(alice)
        data = {"date_0": "1", "date_1": "8", "date_2": "2026", "title": "Road show", "description": "d"}
        assert "cannot be negative" in client.post(url, {**data, "people_reached": "-1"}).content.decode()
        assert "as a whole number" in client.post(url, {**data, "people_reached": "lots"}).content.decode()
        assert client.post(url, {**data, "people_reached": "240"}).status_code == 302
        section = draft.sections.get(key=ReturnSection.Key.COMMUNITY)
        assert section.status == SectionStatus.IN_PROGRESS


class TestConflict:
    def test_the_second_save_gets_a_page_with_both_versions_and_loses_neither(self, client, alice, youth, birmingham):
        from tests.conftest import make_user

        colleague = make_user("dee", role="CSP officer", boroughs=[birmingham])
        url = reverse("return_project", args=[youth.return_of_id, youth.pk])
        loaded_version = youth.version

        client.force_login(colleague)
        assert client.post(url, project_post(youth, activity="Colleague's account")).status_code == 302

        client.force_login(alice)
        response = client.post(url, project_post(youth, activity="Alice's account", version=str(loaded_version)))
        page = response.content.decode()
        assert response.status_code == 409
        assert "Someone else saved" in page
        assert "Colleague&#x27;s account" in page
        assert "Alice&#x27;s account" in page
        youth.refresh_from_db()
        assert youth.activity == "Colleague's account", "the first save is kept"
        assert f'name="version" value="{youth.version}"' in page, "ours is re-based so it can be saved deliberately"

        response = client.post(url, project_post(youth, activity="Alice's account", version=str(youth.version)))
        assert response.status_code == 302
        youth.refresh_from_db()
        assert youth.activity == "Alice's account"


class TestSubmitPage:
    def test_declaration_is_required_and_submit_locks(self, client, alice, draft):
        complete_everything(draft)
        url = reverse("return_check", args=[draft.pk])
        client.force_login(alice)
        page = client.post(url, {}).content.decode()
        assert "Confirm that this return is accurate" in page
        response = client.post(url, {"declaration": "on"})
        assert response.status_code == 302
        draft.refresh_from_db()
        assert draft.status == Return.Status.SUBMITTED
        assert draft.submitted_by == alice

    def test_incomplete_return_is_not_submitted(self, client, alice, draft):
        client.force_login(alice)
        page = client.post(reverse("return_check", args=[draft.pk]), {"declaration": "on"}).content.decode()
        assert "Complete these sections before you submit" in page
        draft.refresh_from_db()
        assert draft.status == Return.Status.DRAFT


class TestBoroughPage:
    def test_lists_the_years_periods_with_due_dates_and_overdue(self, client, alice, draft):
        client.force_login(alice)
        page = client.get(reverse("borough_detail", args=["birmingham"])).content.decode()
        assert "Returns for 2026-27" in page
        assert "30 October 2026" in page
        assert "Overdue" in page
        assert reverse("return_detail", args=[draft.pk]) in page


def _queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


@pytest.mark.parametrize("page", ["return_detail", "return_check", "return_print"])
def test_query_count_is_the_same_for_2_and_30_projects(client, alice, birmingham, coventry, q2, page):
    from tests.conftest import make_user

    few = return_start(borough=birmingham, period=q2, by=alice)
    for i in range(2):
        make_project(birmingham, f"Project {i}")
    ProjectUpdate.objects.bulk_create(
        ProjectUpdate(return_of=few, project=p) for p in birmingham.projects.exclude(updates__return_of=few)
    )
    bea = make_user("bea", role="CSP officer", boroughs=[coventry])
    for i in range(30):
        make_project(coventry, f"Project {i}")
    many = return_start(borough=coventry, period=q2, by=bea)
    assert few.project_updates.count() == 2
    assert many.project_updates.count() == 30

    client.force_login(alice)
    _queries(client, reverse(page, args=[few.pk]))  # warm the session and caches
    with_two = _queries(client, reverse(page, args=[few.pk]))
    client.force_login(bea)
    _queries(client, reverse(page, args=[many.pk]))
    with_thirty = _queries(client, reverse(page, args=[many.pk]))
    assert with_two == with_thirty
