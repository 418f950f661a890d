"""The four-persona rule on every view: right user 200, other borough 404, no permission 403, anonymous to login."""

from datetime import date

import pytest
from django.urls import reverse

from returns.models import CommunityEngagement, Evidence, MatchFunding, OpccEngagement, Return, Risk
from returns.services import evidence_add
from tests.conftest import assert_redirects_to_login

from .conftest import PDF_BYTES, upload


@pytest.fixture
def world(draft, alice, projects):
    """A draft with one of everything, so every URL has something to point at."""
    risk = Risk.objects.create(return_of=draft, description="r", likelihood=2, impact=2, mitigation="m", owner="o")
    community = CommunityEngagement.objects.create(
        return_of=draft, date=date(2026, 8, 1), title="Road show", description="d", people_reached=10
    )
    opcc = OpccEngagement.objects.create(
        return_of=draft, date=date(2026, 8, 2), what="Launch", pcc_involvement="invited"
    )
    evidence = evidence_add(
        return_=draft, upload=upload("report.pdf", PDF_BYTES), kind="pdf", project=None, description="", by=alice
    )
    funding = MatchFunding.objects.create(project=projects[0], source="Council", amount=100)
    update = draft.project_updates.first()
    return {
        "return": draft,
        "risks": risk,
        "community": community,
        "opcc": opcc,
        "evidence": evidence,
        "project": projects[0],
        "indicator": projects[0].indicators.first(),
        "funding": funding,
        "update": update,
    }


def view_urls(w):
    r, p, slug = w["return"].pk, w["project"].pk, "birmingham"
    return [
        reverse("borough_returns", args=[slug]),
        reverse("project_list", args=[slug]),
        reverse("project_detail", args=[slug, p]),
        reverse("return_detail", args=[r]),
        reverse("return_check", args=[r]),
        reverse("return_print", args=[r]),
        reverse("evidence_download", args=[r, w["evidence"].pk]),
    ]


def file_urls(w):
    r = w["return"].pk
    urls = [
        reverse("return_alignment", args=[r]),
        reverse("return_project", args=[r, w["update"].pk]),
        reverse("return_evidence", args=[r]),
        reverse("evidence_remove", args=[r, w["evidence"].pk]),
    ]
    for log in ("risks", "community", "opcc"):
        item = w[log].pk
        urls += [
            reverse("return_log", args=[r, log]),
            reverse("return_log_add", args=[r, log]),
            reverse("return_log_item", args=[r, log, item]),
            reverse("return_log_remove", args=[r, log, item]),
        ]
    return urls


def project_edit_urls(w):
    slug, p = "birmingham", w["project"].pk
    return [
        reverse("project_add", args=[slug]),
        reverse("project_edit", args=[slug, p]),
        reverse("indicator_add", args=[slug, p]),
        reverse("indicator_edit", args=[slug, p, w["indicator"].pk]),
        reverse("match_funding_add", args=[slug, p]),
        reverse("match_funding_edit", args=[slug, p, w["funding"].pk]),
    ]


def _get(client, user, url):
    if user:
        client.force_login(user)
    return client.get(url)


@pytest.mark.parametrize("group", ["view", "file", "project"])
def test_own_borough_officer_gets_every_page(client, world, alice, group):
    urls = {"view": view_urls, "file": file_urls, "project": project_edit_urls}[group](world)
    client.force_login(alice)
    for url in urls:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("group", ["view", "file", "project"])
def test_officer_of_another_borough_gets_404_everywhere(client, world, bob, group):
    urls = {"view": view_urls, "file": file_urls, "project": project_edit_urls}[group](world)
    client.force_login(bob)
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"completed": "yes"}).status_code == 404, url


@pytest.mark.parametrize("group", ["view", "file", "project"])
def test_user_without_a_role_gets_403(client, world, charlie, group):
    urls = {"view": view_urls, "file": file_urls, "project": project_edit_urls}[group](world)
    client.force_login(charlie)
    for url in urls:
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("group", ["view", "file", "project"])
def test_anonymous_is_sent_to_sign_in(client, world, group):
    urls = {"view": view_urls, "file": file_urls, "project": project_edit_urls}[group](world)
    for url in urls:
        assert_redirects_to_login(client.get(url), url)


def test_reviewer_views_any_return_but_cannot_edit(client, world, rita):
    client.force_login(rita)
    for url in view_urls(world):
        assert client.get(url).status_code == 200, url
    for url in file_urls(world) + project_edit_urls(world):
        assert client.get(url).status_code == 403, url
    response = client.post(reverse("return_check", args=[world["return"].pk]), {"declaration": "on"})
    assert response.status_code == 403


def test_admin_views_returns_and_edits_any_project_but_does_not_file(client, world, adam):
    client.force_login(adam)
    for url in view_urls(world) + project_edit_urls(world):
        assert client.get(url).status_code == 200, url
    for url in file_urls(world):
        assert client.get(url).status_code == 403, url


def test_start_and_match_funding_removal_are_scoped(client, world, alice, bob, charlie, q1):
    start = reverse("return_start", args=["birmingham", q1.pk])
    remove = reverse("match_funding_remove", args=["birmingham", world["project"].pk, world["funding"].pk])
    client.force_login(bob)
    assert client.post(start).status_code == 404
    assert client.post(remove).status_code == 404
    client.force_login(charlie)
    assert client.post(start).status_code == 403
    assert client.post(remove).status_code == 403
    client.logout()
    assert_redirects_to_login(client.post(start), start)
    client.force_login(alice)
    assert client.get(start).status_code == 405
    assert client.post(start).status_code == 302
    assert Return.objects.filter(borough__slug="birmingham", period=q1).exists()
    assert client.post(remove, {"version": world["funding"].version}).status_code == 302
    assert not MatchFunding.objects.filter(pk=world["funding"].pk).exists()


def test_period_pages_are_for_opcc_admins_only(client, q2, alice, bob, charlie, rita, adam):
    urls = [reverse("period_edit", args=[q2.pk]), reverse("extension_add", args=[q2.pk])]
    for user in (alice, bob, charlie, rita):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 403, (user, url)
    client.force_login(adam)
    for url in urls:
        assert client.get(url).status_code == 200
    client.logout()
    for url in urls:
        assert_redirects_to_login(client.get(url), url)


def test_download_serves_the_file_privately(client, world, alice):
    client.force_login(alice)
    response = client.get(reverse("evidence_download", args=[world["return"].pk, world["evidence"].pk]))
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_download_of_a_file_under_another_return_id_is_404(client, world, alice, birmingham, q1):
    from returns.services import return_start

    other = return_start(borough=birmingham, period=q1, by=alice)
    client.force_login(alice)
    response = client.get(reverse("evidence_download", args=[other.pk, world["evidence"].pk]))
    assert response.status_code == 404
    assert Evidence.objects.count() == 1
