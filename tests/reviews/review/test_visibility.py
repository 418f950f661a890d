"""OPCC-only text never reaches an officer; shared text does, on the task list and the right section."""

import pytest

from reviews.models import FlagType
from reviews.services import review as services

SHARED = "Outcomes need numbers shared-7731"
SECRET = "Internal doubt opcc-only-9924"


@pytest.fixture
def reviewed(submitted, rita, columns, project):
    common = {"return_": submitted, "by": rita, "expected_version": 0, "rag": "amber"}
    services.column_commentary_save(column=columns["alignment"], text=SHARED, visibility="shared", **common)
    services.column_commentary_save(column=columns["performance"], text=SECRET, visibility="opcc", **common)
    services.project_commentary_save(project=project, text=f"Project {SECRET}", visibility="opcc", **common)
    flag_type = FlagType.objects.get(key="no-impact-assessment")
    services.flag_raise(
        return_=submitted, flag_type=flag_type, project=project, note=f"Flag {SECRET}", visibility="opcc", by=rita
    )
    services.flag_raise(
        return_=submitted,
        flag_type=FlagType.objects.get(key="outcomes-not-quantified"),
        column=columns["alignment"],
        note="Flag note shared-5521",
        visibility="shared",
        by=rita,
    )
    services.return_request_changes(return_=submitted, by=rita, reason="Add outcome figures.", sections=["alignment"])
    return submitted


def officer_pages(return_):
    update = return_.project_updates.first()
    return [
        f"/returns/{return_.pk}/",
        f"/returns/{return_.pk}/alignment/",
        f"/returns/{return_.pk}/projects/{update.pk}/",
        f"/returns/{return_.pk}/risks/",
        f"/returns/{return_.pk}/community/",
        f"/returns/{return_.pk}/opcc/",
        f"/returns/{return_.pk}/evidence/",
        f"/returns/{return_.pk}/check/",
        f"/returns/{return_.pk}/print/",
        "/search/?q=opcc-only",
        "/search/?q=shared",
    ]


def test_officer_never_sees_opcc_only_text_on_any_page(client, alice, reviewed):
    client.force_login(alice)
    for url in officer_pages(reviewed):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "opcc-only-9924" not in response.text, url
        assert "OPCC only" not in response.text, url


def test_officer_sees_shared_feedback_and_the_reason(client, alice, reviewed):
    client.force_login(alice)
    task_list = client.get(f"/returns/{reviewed.pk}/").text
    assert "Changes requested" in task_list
    assert "Add outcome figures." in task_list
    assert SHARED in task_list
    alignment = client.get(f"/returns/{reviewed.pk}/alignment/").text
    # The reason points at this section, and the alignment column's comment and flag belong here.
    assert "Changes requested to this section" in alignment
    assert "Add outcome figures." in alignment
    assert SHARED in alignment
    assert "Flag note shared-5521" in alignment
    risks = client.get(f"/returns/{reviewed.pk}/risks/").text
    assert SHARED not in risks


def test_officer_search_finds_shared_commentary_only(client, alice, reviewed):
    client.force_login(alice)
    assert "shared-7731" in client.get("/search/?q=shared-7731").text
    assert "opcc-only-9924" not in client.get("/search/?q=Internal+doubt").text


def test_reviewers_see_both(client, rita, reviewed):
    client.force_login(rita)
    page = client.get(f"/review/returns/{reviewed.pk}/").text
    assert SHARED in page
    assert SECRET in page
    assert "OPCC only" in page
    assert "opcc-only-9924" in client.get("/search/?q=opcc-only-9924").text


def test_other_boroughs_officer_sees_nothing(client, bob, reviewed):
    client.force_login(bob)
    assert client.get(f"/returns/{reviewed.pk}/").status_code == 404
    assert "Nothing matches" in client.get("/search/?q=shared-7731").text
