"""Two officers at the same risk or engagement entry: a stale save gets the conflict page with the edit kept, and a
stale removal removes nothing and shows the entry as it is now."""

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from boroughs.roles import CSP_OFFICER
from returns.models import CommunityEngagement, OpccEngagement, Risk
from tests.conftest import make_user

# For each log: its model, noun, the entry's fields as posted, a change of theirs and an edit of ours.
LOGS = {
    "risks": (
        Risk,
        "risk",
        {
            "description": "Fixed-term funding ends in March",
            "project": "",
            "likelihood": "3",
            "impact": "4",
            "mitigation": "Bid for more",
            "owner": "CSP manager",
            "status": "open",
        },
        ("owner", "Alan Ahmed"),
        ("mitigation", "Ask the council to bridge the gap"),
    ),
    "community": (
        CommunityEngagement,
        "activity",
        {
            "date_0": "1",
            "date_1": "8",
            "date_2": "2026",
            "title": "Road show at the Bullring",
            "description": "Stalls and leaflets",
            "people_reached": "40",
            "partners": "",
        },
        ("people_reached", "45"),
        ("partners", "West Midlands Fire Service"),
    ),
    "opcc": (
        OpccEngagement,
        "event",
        {
            "date_0": "2",
            "date_1": "8",
            "date_2": "2026",
            "what": "Launch with the Deputy PCC",
            "pcc_involvement": "deputy_attended",
            "logo_used": "no",
        },
        ("what", "Launch with the Deputy PCC and the press"),
        ("pcc_involvement", "pcc_attended"),
    ),
}


# How each entry, after their change, reads on the confirmation page.
SHOWN_NOW = {
    "risks": "Owner: Alan Ahmed",
    "community": '<td class="govuk-table__cell govuk-table__cell--numeric">45</td>',
    "opcc": "Launch with the Deputy PCC and the press",
}


@pytest.fixture(params=list(LOGS))
def log(request):
    return request.param


@pytest.fixture
def alan(birmingham):
    return make_user("alan", role=CSP_OFFICER, boroughs=[birmingham])


@pytest.fixture
def item(log, draft):
    model = LOGS[log][0]
    values = {
        "risks": {
            "description": "Fixed-term funding ends in March",
            "likelihood": 3,
            "impact": 4,
            "mitigation": "Bid for more",
            "owner": "CSP manager",
        },
        "community": {
            "date": date(2026, 8, 1),
            "title": "Road show at the Bullring",
            "description": "Stalls and leaflets",
            "people_reached": 40,
        },
        "opcc": {
            "date": date(2026, 8, 2),
            "what": "Launch with the Deputy PCC",
            "pcc_involvement": OpccEngagement.Pcc.DEPUTY_ATTENDED,
        },
    }[log]
    return model.objects.create(return_of=draft, **values)


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def hidden_version(page):
    return int(re.search(r'<input type="hidden" name="version" value="(\d+)"', page).group(1))


def test_a_stale_save_gets_the_conflict_page_with_the_edit_kept(draft, alice, alan, log, item):
    model, _, data, (their_field, theirs), (my_field, mine) = LOGS[log]
    url = reverse("return_log_item", args=[draft.pk, log, item.pk])
    alices, alans = signed_in(alice), signed_in(alan)
    version = hidden_version(alices.get(url).text)
    assert hidden_version(alans.get(url).text) == version == 1

    assert alans.post(url, {**data, their_field: theirs, "version": version}).status_code == 302
    response = alices.post(url, {**data, my_field: mine, "version": version})

    assert response.status_code == 409
    page = response.text
    assert "while you were editing" in page
    assert "Saved by someone else" in page
    assert "Different" in page
    assert mine in page, "our edit is kept, in the form and in the comparison"
    assert hidden_version(page) == 2, "the kept form is re-based on their version"
    saved = model.objects.get(pk=item.pk)
    assert str(getattr(saved, their_field)) == theirs
    assert str(getattr(saved, my_field)) != mine
    assert saved.version == 2

    # Saving the kept form again is deliberate, and goes through.
    again = alices.post(url, {**data, their_field: theirs, my_field: mine, "version": 2})
    assert again.status_code == 302
    assert str(getattr(model.objects.get(pk=item.pk), my_field)) == mine


def test_a_stale_removal_removes_nothing_and_shows_the_entry_as_it_is_now(draft, alice, alan, log, item):
    model, noun, data, (their_field, theirs), _ = LOGS[log]
    remove = reverse("return_log_remove", args=[draft.pk, log, item.pk])
    alices = signed_in(alice)
    version = hidden_version(alices.get(remove).text)
    edit = reverse("return_log_item", args=[draft.pk, log, item.pk])
    assert signed_in(alan).post(edit, {**data, their_field: theirs, "version": version}).status_code == 302

    response = alices.post(remove, {"version": version})

    assert response.status_code == 409
    page = response.text
    assert f"Someone else changed this {noun} after you opened this page, so it has not been removed." in page
    assert SHOWN_NOW[log] in page, "the entry is shown as it is now"
    assert hidden_version(page) == 2
    assert model.objects.filter(pk=item.pk).exists()
    assert not model.history.filter(id=item.pk, history_type="-").exists()

    # Confirmed against what it is now, it goes.
    assert alices.post(remove, {"version": 2}).status_code == 302
    assert not model.objects.filter(pk=item.pk).exists()


def test_a_removal_without_a_version_removes_nothing(draft, alice, log, item):
    model = LOGS[log][0]
    response = signed_in(alice).post(reverse("return_log_remove", args=[draft.pk, log, item.pk]))
    assert response.status_code == 409
    assert model.objects.filter(pk=item.pk).exists()
