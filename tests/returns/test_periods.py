"""An OPCC admin sets a period's dates and grants extensions, through the pages (returns/views/periods.py)."""

from datetime import date

import pytest
from django.urls import reverse

from returns.models import PeriodExtension, ReportingPeriod
from tests.conftest import assert_redirects_to_login

# 2026-27 Q2 by default: opens 30 September, due 30 October 2026.


def dates(opens=("1", "10", "2026"), due=("14", "11", "2026")):
    data = {"save": ""}
    for name, (day, month, year) in (("opens_on", opens), ("due_on", due)):
        data.update({f"{name}_0": day, f"{name}_1": month, f"{name}_2": year})
    return data


def extension(borough, due=("30", "11", "2026"), reason="Staff sickness in the analysis team"):
    day, month, year = due
    return {
        "borough": borough.pk if borough else "",
        "due_on_0": day,
        "due_on_1": month,
        "due_on_2": year,
        "reason": reason,
        "save": "",
    }


@pytest.fixture
def period_url(q2):
    return reverse("period_edit", args=[q2.pk])


@pytest.fixture
def extension_url(q2):
    return reverse("extension_add", args=[q2.pk])


def test_admin_sets_the_dates_and_the_timeline_shows_who(client, adam, q2, period_url):
    client.force_login(adam)
    page = client.get(period_url)
    assert page.status_code == 200
    assert "Dates for Q2 2026-27" in page.text
    response = client.post(period_url, dates(), follow=True)
    assert response.redirect_chain == [(period_url, 302)]
    assert "The dates for Q2 2026-27 have been saved." in response.text
    q2.refresh_from_db()
    assert (q2.opens_on, q2.due_on) == (date(2026, 10, 1), date(2026, 11, 14))
    timeline = " ".join(response.text.split())
    assert ": changed by Adam. Opens 1 Oct 2026, due 14 Nov 2026; open." in timeline


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (dates(due=("30", "9", "2026")), "due_on", "The due date must be on or after the opening date"),
        (dates(opens=("", "", "")), "opens_on", "Enter the opening date"),
        (dates(due=("", "", "")), "due_on", "Enter the due date"),
        (dates(due=("31", "2", "2026")), "due_on", "Due date must be a real date"),
        (dates(opens=("1", "13", "2026")), "opens_on", "Opening date must be a real date"),
    ],
)
def test_bad_dates_are_explained_and_nothing_changes(client, adam, q2, period_url, data, field, message):
    client.force_login(adam)
    response = client.post(period_url, data)
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert message in response.text
    assert list(response.context["form"].errors) == [field]
    q2.refresh_from_db()
    assert (q2.opens_on, q2.due_on) == (date(2026, 9, 30), date(2026, 10, 30))


def test_admin_grants_an_extension_and_the_borough_sees_its_new_date(
    client, adam, alice, birmingham, q2, period_url, extension_url, draft
):
    client.force_login(adam)
    assert "Give a borough more time for Q2 2026-27" in client.get(extension_url).text
    response = client.post(extension_url, extension(birmingham), follow=True)
    assert response.redirect_chain == [(period_url, 302)]
    assert "Birmingham now has until 30 November 2026." in response.text
    assert "Staff sickness in the analysis team" in response.text
    granted = PeriodExtension.objects.get(period=q2, borough=birmingham)
    assert (granted.due_on, granted.granted_by) == (date(2026, 11, 30), adam)
    # A second grant replaces the first: one extension per borough and period.
    client.post(extension_url, extension(birmingham, due=("7", "12", "2026"), reason="Still short-staffed"))
    assert list(PeriodExtension.objects.values_list("due_on", "reason")) == [
        (date(2026, 12, 7), "Still short-staffed")
    ]
    client.force_login(alice)
    assert "Due 7 December 2026" in client.get(reverse("return_detail", args=[draft.pk])).text


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"due": ("30", "10", "2026")}, "due_on", "The new due date must be after 30 October 2026"),
        ({"due": ("1", "10", "2026")}, "due_on", "The new due date must be after 30 October 2026"),
        ({"reason": ""}, "reason", "Enter reason"),
        ({"reason": "x" * 1001}, "reason", "Reason must be 1,000 characters or fewer. You entered 1001 characters."),
        ({"no_borough": True}, "borough", "Select a borough"),
    ],
)
def test_bad_extensions_are_explained_and_nothing_is_granted(
    client, adam, birmingham, q2, extension_url, data, field, message
):
    client.force_login(adam)
    borough = None if data.pop("no_borough", False) else birmingham
    response = client.post(extension_url, extension(borough, **data))
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert message in response.text
    assert list(response.context["form"].errors) == [field]
    assert not PeriodExtension.objects.exists()


@pytest.mark.parametrize("persona", ["alice", "bob", "rita"])
def test_officers_and_reviewers_get_403_and_change_nothing(client, request, birmingham, q2, persona):
    client.force_login(request.getfixturevalue(persona))
    for url, data in [
        (reverse("period_edit", args=[q2.pk]), dates()),
        (reverse("extension_add", args=[q2.pk]), extension(birmingham)),
    ]:
        assert client.get(url).status_code == 403, url
        assert client.post(url, data).status_code == 403, url
    assert ReportingPeriod.objects.get(pk=q2.pk).due_on == date(2026, 10, 30)
    assert not PeriodExtension.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, birmingham, q2):
    for url, data in [
        (reverse("period_edit", args=[q2.pk]), dates()),
        (reverse("extension_add", args=[q2.pk]), extension(birmingham)),
    ]:
        assert_redirects_to_login(client.get(url), url)
        assert_redirects_to_login(client.post(url, data), url)
    assert ReportingPeriod.objects.get(pk=q2.pk).due_on == date(2026, 10, 30)
    assert not PeriodExtension.objects.exists()
