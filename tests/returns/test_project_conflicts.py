"""Two people saving the same project, indicator or match funding: the second sees the conflict page, not a silent
overwrite, and keeps what they typed."""

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from boroughs.roles import CSP_OFFICER
from returns.models import Indicator, MatchFunding, Project
from tests.conftest import make_user

from .conftest import make_project


@pytest.fixture
def alan(birmingham):
    """Alice's colleague, another officer of Birmingham."""
    return make_user("alan", role=CSP_OFFICER, boroughs=[birmingham])


@pytest.fixture
def project(birmingham):
    return make_project(birmingham, "Youth violence prevention")


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def hidden_version(page):
    return int(re.search(r'<input type="hidden" name="version" value="(\d+)"', page).group(1))


def project_data(version, **values):
    return {
        "name": "Youth violence prevention",
        "delivery_partner": "St Giles Trust",
        "description": "",
        "csf_allocation": "40000",
        "status": "active",
        "version": version,
        "save": "",
        **values,
    }


def assert_conflict_page(response, *, theirs, mine):
    assert response.status_code == 409
    page = response.text
    assert "while you were editing" in page
    assert "Saved by someone else" in page
    assert "Your changes have not been saved yet, and nothing has been lost." in page
    assert theirs in page
    assert f'value="{mine}"' in page, "the user's input is kept in the form"


def test_project_second_save_gets_the_conflict_page_and_keeps_both(alice, alan, project):
    url = reverse("project_edit", args=["birmingham", project.pk])
    alices, alans = signed_in(alice), signed_in(alan)
    version = hidden_version(alices.get(url).text)
    assert version == hidden_version(alans.get(url).text) == 1

    assert alans.post(url, project_data(version, name="Youth diversion")).status_code == 302
    response = alices.post(url, project_data(version, delivery_partner="Redthread", csf_allocation="45000"))

    assert_conflict_page(response, theirs="Youth diversion", mine="Redthread")
    assert re.search(r'name="csf_allocation" value="45,?000', response.text)
    project.refresh_from_db()
    assert (project.name, project.delivery_partner, project.csf_allocation, project.version) == (
        "Youth diversion",
        "St Giles Trust",
        Decimal("40000"),
        2,
    )
    # The kept form is re-based on their version: saving it again is a deliberate replacement.
    assert hidden_version(response.text) == 2
    again = alices.post(url, project_data(2, delivery_partner="Redthread", csf_allocation="45000"))
    assert again.status_code == 302
    project.refresh_from_db()
    assert (project.name, project.delivery_partner, project.csf_allocation, project.version) == (
        "Youth violence prevention",
        "Redthread",
        Decimal("45000"),
        3,
    )


def test_a_project_edit_without_a_version_is_a_conflict_not_an_overwrite(alice, project):
    url = reverse("project_edit", args=["birmingham", project.pk])
    data = project_data("", name="Youth diversion")
    response = signed_in(alice).post(url, data)
    assert response.status_code == 409
    assert Project.objects.get(pk=project.pk).name == "Youth violence prevention"


def indicator_data(version, **values):
    return {
        "name": "Referrals engaged",
        "unit": "count",
        "baseline": "",
        "minimum_target": "100",
        "aspirational_target": "140",
        "higher_is_better": "yes",
        "version": version,
        "save": "",
        **values,
    }


def test_indicator_second_save_gets_the_conflict_page_and_keeps_both(alice, alan, project):
    indicator = project.indicators.get()
    url = reverse("indicator_edit", args=["birmingham", project.pk, indicator.pk])
    alices, alans = signed_in(alice), signed_in(alan)
    version = hidden_version(alices.get(url).text)
    assert hidden_version(alans.get(url).text) == version == 1

    assert alans.post(url, indicator_data(version, minimum_target="120")).status_code == 302
    response = alices.post(url, indicator_data(version, aspirational_target="175"))

    assert_conflict_page(response, theirs="120", mine="175")
    assert "Someone else saved the indicator Referrals engaged while you were editing" in response.text
    indicator.refresh_from_db()
    assert (indicator.minimum_target, indicator.aspirational_target, indicator.version) == (
        Decimal("120"),
        Decimal("140"),
        2,
    )
    assert Indicator.history.filter(id=indicator.pk).count() == 2  # created, then alan's change: nothing of alice's


def test_match_funding_second_save_gets_the_conflict_page_and_keeps_both(alice, alan, project):
    funding = MatchFunding.objects.create(project=project, source="Birmingham City Council", amount=Decimal("5000"))
    url = reverse("match_funding_edit", args=["birmingham", project.pk, funding.pk])
    alices, alans = signed_in(alice), signed_in(alan)
    form_page = alices.get(url).text
    assert "Save match funding" in form_page
    version = hidden_version(form_page)

    data = {"source": "Birmingham City Council", "amount": "6000", "version": version, "save": ""}
    assert alans.post(url, data).status_code == 302
    response = alices.post(url, {**data, "source": "West Midlands Combined Authority", "amount": "7500"})

    assert_conflict_page(response, theirs="6000", mine="West Midlands Combined Authority")
    funding.refresh_from_db()
    assert (funding.source, funding.amount, funding.version) == ("Birmingham City Council", Decimal("6000"), 2)


def test_removing_match_funding_someone_changed_removes_nothing_and_shows_it_now(alice, alan, project):
    funding = MatchFunding.objects.create(project=project, source="Birmingham City Council", amount=Decimal("5000"))
    alices = signed_in(alice)
    detail = alices.get(reverse("project_detail", args=["birmingham", project.pk])).text
    remove = reverse("match_funding_remove", args=["birmingham", project.pk, funding.pk])
    assert f'action="{remove}"' in detail
    version = hidden_version(detail)

    edit = reverse("match_funding_edit", args=["birmingham", project.pk, funding.pk])
    data = {"source": "Birmingham City Council", "amount": "6000", "version": version, "save": ""}
    assert signed_in(alan).post(edit, data).status_code == 302

    response = alices.post(remove, {"version": version}, follow=True)
    assert (
        "Someone else changed this match funding after you opened the page, so it has not been removed. "
        "It is now Birmingham City Council: £6,000.00." in response.text
    )
    assert MatchFunding.objects.filter(pk=funding.pk).exists()
    # Seen as it is now, removing it is deliberate.
    assert alices.post(remove, {"version": 2}).status_code == 302
    assert not MatchFunding.objects.filter(pk=funding.pk).exists()
