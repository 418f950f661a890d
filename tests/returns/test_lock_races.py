"""A return locked between page load and save gets its form back with everything typed and the reason; a double
submit is one submit; a project added while a period is closed stays out of that period's returns."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from boroughs.roles import CSP_OFFICER
from returns.models import Project, Return, Risk
from returns.services import period_close, return_start, return_submit
from returns.views import returns as return_views
from returns.views import sections as section_views
from tests.conftest import make_user

from .conftest import complete_everything

SUBMITTED = re.compile(r"Submitted by Alan at \d{1,2}:\d\d[ap]m on \d{1,2} \w+ 20\d\d – it can no longer be changed\.")
CLOSED = re.compile(
    r"Q2 2026-27 was closed by Adam at \d{1,2}:\d\d[ap]m on \d{1,2} \w+ 20\d\d – its returns can no longer"
)


@pytest.fixture
def alan(birmingham):
    """Alice's co-officer."""
    return make_user("alan", role=CSP_OFFICER, boroughs=[birmingham])


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def co_officer_submits(return_, alan):
    complete_everything(return_)
    return_submit(return_=Return.objects.get(pk=return_.pk), by=alan)


def admin_closes(return_, adam):
    period_close(period=return_.period, by=adam, reason="Year-end accounts are being drawn up.")


# What an officer had typed into each form, and a sign that it all came back.
def typed(draft):
    update = draft.project_updates.order_by("project__name").first()
    risk = Risk.objects.create(
        return_of=draft, description="Staff turnover", likelihood=2, impact=2, mitigation="m", owner="o"
    )
    return [
        (
            reverse("return_alignment", args=[draft.pk]),
            {"statement": "Our work tackles knife crime in Aston.", "completed": "yes", "version": 1, "save": ""},
            ["Our work tackles knife crime in Aston."],
        ),
        (
            reverse("return_project", args=[draft.pk, update.pk]),
            {
                "activity": "Twelve mentoring sessions in Aston.",
                "outcomes": "Eight young people back in school.",
                "spend": "1250",
                "completed": "no",
                "version": update.version,
                "later": "",
            },
            ["Twelve mentoring sessions in Aston.", "Eight young people back in school.", "1,250"],
        ),
        (
            reverse("return_log_add", args=[draft.pk, "risks"]),
            {
                "description": "Venue may close",
                "project": "",
                "likelihood": "2",
                "impact": "3",
                "mitigation": "Book a second hall",
                "owner": "Youth lead",
                "status": "open",
                "save": "",
            },
            ["Venue may close", "Book a second hall", "Youth lead"],
        ),
        (
            reverse("return_log_item", args=[draft.pk, "risks", risk.pk]),
            {
                "description": "Staff turnover is rising",
                "project": "",
                "likelihood": "4",
                "impact": "2",
                "mitigation": "Retention payments",
                "owner": "HR",
                "status": "open",
                "version": 1,
                "save": "",
            },
            ["Staff turnover is rising", "Retention payments"],
        ),
        (
            reverse("return_log_add", args=[draft.pk, "community"]),
            {
                "date_0": "14",
                "date_1": "8",
                "date_2": "2026",
                "title": "Park fun day",
                "description": "Stalls from six partners",
                "people_reached": "300",
                "partners": "",
                "save": "",
            },
            ["Park fun day", "Stalls from six partners"],
        ),
        (reverse("return_log", args=[draft.pk, "opcc"]), {"completed": "yes", "version": 1, "save": ""}, []),
        (reverse("return_log_remove", args=[draft.pk, "risks", risk.pk]), {"version": 1}, ["Staff turnover"]),
    ]


def state(return_):
    return_.refresh_from_db()
    return (
        return_.alignment_statement,
        list(return_.sections.values_list("key", "version")),
        list(return_.project_updates.values_list("activity", "version")),
        list(return_.risks.values_list("description", "version")),
        return_.community_engagements.count(),
    )


@pytest.mark.parametrize("lock", ["co-officer submits", "admin closes the period"])
def test_a_save_after_the_return_was_locked_gets_the_form_back_with_the_input_and_why(draft, alice, alan, adam, lock):
    forms = typed(draft)
    alices = signed_in(alice)
    for url, _, _ in forms:
        assert alices.get(url).status_code == 200, url  # everyone's pages are open and editable
    if lock == "co-officer submits":
        co_officer_submits(draft, alan)
        reason = SUBMITTED
    else:
        admin_closes(draft, adam)
        reason = CLOSED
    before = state(draft)

    for url, data, shown in forms:
        response = alices.post(url, data)
        assert response.status_code == 409, url
        page = response.text
        assert "There is a problem" in page, url
        assert reason.search(page), url
        if "remove" in url:
            assert "Nothing has been removed." in page, url
        else:
            assert "Your answers have not been saved. They are still below if you want to copy them." in page, url
        for text in shown:
            assert text in page, (url, text)
        assert state(draft) == before, url

    # A GET is sent to the read-only return, with the reason.
    response = alices.get(forms[0][0], follow=True)
    assert response.redirect_chain == [(reverse("return_detail", args=[draft.pk]), 302)]
    assert reason.search(response.text)


def test_locked_between_the_check_and_the_save_the_form_still_comes_back(monkeypatch, draft, alice, alan):
    """The return was editable when the view looked, and locked by the time the service took its row lock."""
    real_save = section_views.alignment_save

    def submitted_meanwhile(**kwargs):
        co_officer_submits(draft, alan)
        return real_save(**kwargs)

    monkeypatch.setattr(section_views, "alignment_save", submitted_meanwhile)
    response = signed_in(alice).post(
        reverse("return_alignment", args=[draft.pk]),
        {"statement": "Our work tackles knife crime in Aston.", "completed": "yes", "version": 1, "save": ""},
    )
    assert response.status_code == 409
    assert SUBMITTED.search(response.text)
    assert "Our work tackles knife crime in Aston." in response.text
    draft.refresh_from_db()
    assert draft.status == Return.Status.SUBMITTED
    assert draft.alignment_statement == ""


def submissions(return_):
    return list(
        Return.history.filter(id=return_.pk, status=Return.Status.SUBMITTED)
        .exclude(history_type="+")
        .values_list("history_user__username", flat=True)
    )


def test_a_double_submit_is_one_submit(draft, alice, rita, adam, django_capture_on_commit_callbacks):
    complete_everything(draft)
    alices = signed_in(alice)
    url = reverse("return_check", args=[draft.pk])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        first = alices.post(url, {"declaration": "on"})
        second = alices.post(url, {"declaration": "on"}, follow=True)
    assert first.status_code == 302
    assert second.redirect_chain == [(reverse("return_detail", args=[draft.pk]), 302)]
    assert re.search(r"Submitted by Alice at .* – it can no longer be changed\.", second.text)
    assert submissions(draft) == ["alice"]
    assert sorted(m.to[0] for m in mail.outbox) == ["adam@example.org", "rita@example.org"]


def test_two_submits_racing_make_one_submission(
    monkeypatch, draft, alice, alan, rita, django_capture_on_commit_callbacks
):
    """Both pressed "Submit" on a draft; the row lock lets the first through and the second lands on the return."""
    complete_everything(draft)
    real_submit = return_views.return_submit

    def alan_first(**kwargs):
        real_submit(return_=Return.objects.get(pk=draft.pk), by=alan)
        return real_submit(**kwargs)

    monkeypatch.setattr(return_views, "return_submit", alan_first)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(alice).post(reverse("return_check", args=[draft.pk]), {"declaration": "on"}, follow=True)
    assert response.redirect_chain == [(reverse("return_detail", args=[draft.pk]), 302)]
    assert SUBMITTED.search(response.text)
    assert "Return submitted." not in response.text
    draft.refresh_from_db()
    assert (draft.status, draft.submitted_by) == (Return.Status.SUBMITTED, alan)
    assert len(submissions(draft)) == 1  # (recorded against this request's user: both ran in it)
    assert [m.to[0] for m in mail.outbox] == ["rita@example.org"]


def test_a_project_added_while_a_period_is_closed_stays_out_of_its_returns(
    birmingham, alice, adam, q1, q2, projects, draft
):
    open_draft = return_start(borough=birmingham, period=q1, by=alice)
    admin_closes(draft, adam)  # Q2, where `draft` is
    response = signed_in(alice).post(
        reverse("project_add", args=["birmingham"]),
        {
            "name": "Knife crime education",
            "delivery_partner": "West Midlands Fire Service",
            "description": "",
            "csf_allocation": "30000",
            "status": "active",
            "save": "",
        },
    )
    assert response.status_code == 302
    added = Project.objects.get(name="Knife crime education")
    assert open_draft.project_updates.filter(project=added).exists()
    assert not draft.project_updates.filter(project=added).exists()


def test_a_project_added_after_submission_stays_out_of_the_submitted_return(birmingham, alice, submitted):
    response = signed_in(alice).post(
        reverse("project_add", args=["birmingham"]),
        {"name": "Knife crime education", "csf_allocation": "30000", "status": "active", "save": ""},
    )
    assert response.status_code == 302
    assert not submitted.project_updates.filter(project__name="Knife crime education").exists()
