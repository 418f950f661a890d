"""Four personas on every review URL: reviewer 200, officer 404, no role 403, anonymous to login."""

import pytest

from reviews.models import FlagType
from reviews.services import review as services
from reviews.services.rollup import rollup_start
from tests.conftest import assert_redirects_to_login


@pytest.fixture
def urls(submitted, rita, columns, project, birmingham, year):
    flag = services.flag_raise(
        return_=submitted,
        flag_type=FlagType.objects.first(),
        column=columns["alignment"],
        note="",
        visibility="shared",
        by=rita,
    )
    decision = services.return_request_changes(return_=submitted, by=rita, reason="Outcomes.", sections=[])
    rollup = rollup_start(borough=birmingham, year=year, by=rita)
    cell = rollup.cells.filter(row__isnull=True).first()
    row = rollup.rows.first()
    base = f"/review/roll-up/birmingham/{year.label}"
    r = submitted.pk
    return [
        "/review/",
        f"/review/?year={year.label}",
        f"/review/returns/{r}/",
        f"/review/returns/{r}/submitted/{decision.pk}/",
        f"/review/returns/{r}/columns/alignment/",
        f"/review/returns/{r}/projects/{project.pk}/",
        f"/review/returns/{r}/flags/add/",
        f"/review/flags/{flag.pk}/resolve/",
        f"/review/returns/{r}/request-changes/",
        f"/review/returns/{r}/accept/",
        f"{base}/",
        f"{base}/cells/{cell.pk}/",
        f"{base}/rows/{row.pk}/visibility/",
        f"/review/evidence-quality/?year={year.label}",
        "/review/themes/",
    ]


def test_reviewer_gets_every_page(client, rita, urls):
    client.force_login(rita)
    for url in urls:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("officer", ["alice", "bob"])
def test_officers_get_404_on_every_review_url(client, request, officer, urls, adam):
    client.force_login(request.getfixturevalue(officer))
    for url in [*urls, f"{urls[2]}reopen/"]:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"reason": "x", "text": "x", "version": 0}).status_code == 404, url


def test_user_without_a_role_gets_403(client, charlie, urls):
    client.force_login(charlie)
    for url in urls:
        assert client.get(url).status_code == 403, url


def test_anonymous_is_sent_to_login(client, urls):
    for url in urls:
        response = client.get(url)
        assert_redirects_to_login(response, url.replace("?", "%3F").replace("=", "%3D"))


def test_reopen_is_for_admins_only(client, rita, adam, submitted):
    services.return_accept(return_=submitted, by=rita)
    url = f"/review/returns/{submitted.pk}/reopen/"
    client.force_login(rita)
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "Figures wrong"}).status_code == 403
    client.force_login(adam)
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "Figures wrong"})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == "changes_requested"


def test_reviewer_cannot_write_on_their_own_boroughs_return(client, rita, submitted, birmingham):
    from boroughs.models import Membership

    Membership.objects.create(user=rita, borough=birmingham)
    client.force_login(rita)
    page = client.get(f"/review/returns/{submitted.pk}/")
    assert page.status_code == 200
    assert "You are an officer of this partnership" in page.text
    for action in ("accept/", "request-changes/", "columns/alignment/", "flags/add/"):
        assert client.post(f"/review/returns/{submitted.pk}/{action}", {"reason": "x"}).status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_search_is_open_to_officers_but_scoped(client, alice, bob, charlie, submitted):
    assert client.get("/search/?q=domestic").status_code == 302
    client.force_login(charlie)
    assert client.get("/search/?q=domestic").status_code == 403
    client.force_login(alice)
    assert "Domestic abuse advocacy" in client.get("/search/?q=domestic").text
    client.force_login(bob)
    assert "Domestic abuse advocacy" not in client.get("/search/?q=domestic").text
