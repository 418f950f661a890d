"""Removing an entry from the risk register or an engagement log, through the confirmation page."""

from datetime import date

import pytest
from django.urls import reverse

from returns.models import CommunityEngagement, OpccEngagement, ReturnSection, Risk
from tests.conftest import assert_redirects_to_login

LOGS = {
    "risks": (Risk, "risk", "Fixed-term funding ends in March", ReturnSection.Key.RISKS),
    "community": (CommunityEngagement, "activity", "Road show at the Bullring", ReturnSection.Key.COMMUNITY),
    "opcc": (OpccEngagement, "event", "Launch with the Deputy PCC", ReturnSection.Key.OPCC),
}


def make_item(log, return_):
    model, _, text, _ = LOGS[log]
    if model is Risk:
        return Risk.objects.create(
            return_of=return_, description=text, likelihood=3, impact=4, mitigation="Bid for more", owner="CSP"
        )
    if model is CommunityEngagement:
        return CommunityEngagement.objects.create(
            return_of=return_, date=date(2026, 8, 1), title=text, description="Stalls and leaflets", people_reached=40
        )
    return OpccEngagement.objects.create(
        return_of=return_, date=date(2026, 8, 2), what=text, pcc_involvement=OpccEngagement.Pcc.DEPUTY_ATTENDED
    )


@pytest.fixture(params=list(LOGS))
def log(request):
    return request.param


@pytest.fixture
def item(log, draft):
    return make_item(log, draft)


def remove_url(draft, log, item):
    return reverse("return_log_remove", args=[draft.pk, log, item.pk])


def test_officer_removes_an_entry_and_the_history_keeps_it(client, alice, draft, log, item):
    model, noun, text, _ = LOGS[log]
    kept = make_item(log, draft)
    client.force_login(alice)
    page = client.get(remove_url(draft, log, item))
    assert page.status_code == 200
    assert f"Are you sure you want to remove this {noun}?" in page.text
    assert model.objects.filter(pk=item.pk).exists(), "opening the confirmation page removes nothing"

    assert f'name="version" value="{item.version}"' in page.text, "the confirmation names the version shown"
    response = client.post(remove_url(draft, log, item), {"version": item.version}, follow=True)
    assert response.redirect_chain == [(f"/returns/{draft.pk}/{log}/", 302)]
    assert f"The {noun} has been removed." in response.text
    assert list(model.objects.filter(return_of=draft)) == [kept]
    removed = model.history.get(id=item.pk, history_type="-")
    assert removed.history_user == alice
    assert str(removed.instance) == str(item)
    assert text in str(removed.instance)


def test_an_officer_of_another_borough_gets_404_and_nothing_is_removed(client, bob, draft, log, item):
    model = LOGS[log][0]
    client.force_login(bob)
    assert client.get(remove_url(draft, log, item)).status_code == 404
    assert client.post(remove_url(draft, log, item)).status_code == 404
    assert model.objects.filter(pk=item.pk).exists()
    assert not model.history.filter(id=item.pk, history_type="-").exists()


def test_no_role_reviewer_and_anonymous_cannot_remove(client, charlie, rita, draft, log, item):
    model = LOGS[log][0]
    url = remove_url(draft, log, item)
    for user in (charlie, rita):
        client.force_login(user)
        assert client.post(url).status_code == 403, user
    client.logout()
    assert_redirects_to_login(client.post(url), url)
    assert model.objects.filter(pk=item.pk).exists()


def test_an_entry_of_a_submitted_return_cannot_be_removed(client, alice, submitted, log):
    model = LOGS[log][0]
    item = make_item(log, submitted)
    client.force_login(alice)
    page = client.get(remove_url(submitted, log, item), follow=True)
    assert page.redirect_chain == [(f"/returns/{submitted.pk}/", 302)]
    assert "Submitted by Alice at " in page.text
    response = client.post(remove_url(submitted, log, item), {"version": item.version})
    assert response.status_code == 409
    assert "it can no longer be changed" in response.text
    assert model.objects.filter(pk=item.pk).exists()
    assert not model.history.filter(id=item.pk, history_type="-").exists()
