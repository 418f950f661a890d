"""A submitted return cannot be changed through any URL, even by a direct POST (the races: test_lock_races.py)."""

import pytest
from django.urls import reverse

from returns.models import Evidence, Return, Risk
from returns.services import evidence_add

from .conftest import PDF_BYTES, upload


@pytest.fixture
def locked(submitted, alice):
    Return.objects.filter(pk=submitted.pk).update(status=Return.Status.DRAFT)
    Risk.objects.create(return_of=submitted, description="r", likelihood=2, impact=2, mitigation="m", owner="o")
    evidence_add(
        return_=submitted, upload=upload("a.pdf", PDF_BYTES), kind="pdf", project=None, description="", by=alice
    )
    Return.objects.filter(pk=submitted.pk).update(status=Return.Status.SUBMITTED)
    return submitted


def snapshot(return_):
    return_.refresh_from_db()
    return (
        return_.status,
        return_.alignment_statement,
        list(return_.sections.values_list("status", "version")),
        list(return_.project_updates.values_list("activity", "version", "status")),
        list(return_.risks.values_list("description", "version")),
        return_.community_engagements.count(),
        return_.opcc_engagements.count(),
        Evidence.objects.filter(return_of=return_).count(),
    )


def test_every_edit_url_refuses_a_direct_post(client, locked, alice):
    r = locked.pk
    risk = locked.risks.get()
    evidence = locked.evidence.get()
    update = locked.project_updates.first()
    posts = [
        (reverse("return_alignment", args=[r]), {"statement": "Changed", "completed": "yes", "version": 1}),
        (
            reverse("return_project", args=[r, update.pk]),
            {"activity": "Changed", "outcomes": "x", "spend": "1", "completed": "no", "version": update.version},
        ),
        (reverse("return_log", args=[r, "risks"]), {"completed": "no", "version": 1}),
        (
            reverse("return_log_add", args=[r, "risks"]),
            {"description": "New", "likelihood": 1, "impact": 1, "mitigation": "m", "owner": "o", "status": "open"},
        ),
        (
            reverse("return_log_item", args=[r, "risks", risk.pk]),
            {
                "description": "Changed",
                "likelihood": 1,
                "impact": 1,
                "mitigation": "m",
                "owner": "o",
                "status": "open",
                "version": 1,
            },
        ),
        (reverse("return_log_remove", args=[r, "risks", risk.pk]), {"version": risk.version}),
        (
            reverse("return_log_add", args=[r, "community"]),
            {"date_0": 1, "date_1": 8, "date_2": 2026, "title": "t", "description": "d", "people_reached": 1},
        ),
        (
            reverse("return_log_add", args=[r, "opcc"]),
            {"date_0": 1, "date_1": 8, "date_2": 2026, "what": "w", "pcc_involvement": "invited", "logo_used": "yes"},
        ),
        (reverse("return_evidence", args=[r]), {"upload-description": "", "upload-file": upload("b.pdf", PDF_BYTES)}),
        (reverse("return_evidence", args=[r]), {"completed": "no", "version": 1}),
        (reverse("evidence_remove", args=[r, evidence.pk]), {}),
        (reverse("return_check", args=[r]), {"declaration": "on"}),
    ]
    # Forms come back with what was typed and why (409); an upload or the submit goes back to the return.
    redirected = {reverse("return_evidence", args=[r]), reverse("evidence_remove", args=[r, evidence.pk])}
    redirected.add(reverse("return_check", args=[r]))
    before = snapshot(locked)
    client.force_login(alice)
    for url, data in posts:
        response = client.post(url, data)
        if url in redirected:
            assert response.status_code == 302, url
            assert response["Location"] == reverse("return_detail", args=[r]), url
        else:
            assert response.status_code == 409, url
            assert "it can no longer be changed" in response.text, url
        assert snapshot(locked) == before, url


def test_the_submitted_return_reads_as_read_only(client, locked, alice):
    client.force_login(alice)
    page = client.get(reverse("return_detail", args=[locked.pk])).content.decode()
    assert "This return can no longer be changed" in page
    assert reverse("return_alignment", args=[locked.pk]) not in page
    check = client.get(reverse("return_check", args=[locked.pk])).content.decode()
    assert "Submit return" not in check
    assert ">Change<" not in check
