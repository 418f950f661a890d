import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

from tests.conftest import assert_redirects_to_login, make_user


@pytest.mark.parametrize(
    ("path", "heading"),
    [("/accessibility/", "Accessibility statement for CSP Returns"), ("/privacy/", "Privacy notice")],
)
def test_footer_pages_are_public(client, db, path, heading):
    response = client.get(path)
    assert response.status_code == 200
    assert heading in response.text


def test_layout_has_skip_link_header_phase_banner_and_footer(client, alice):
    client.force_login(alice)
    html = client.get("/boroughs/birmingham/").text
    assert '<a href="#main-content" class="govuk-skip-link"' in html
    assert 'id="main-content"' in html
    assert "West Midlands OPCC" in html
    assert "CSP Returns" in html
    assert "govuk-phase-banner" in html
    assert 'href="/accessibility/"' in html
    assert 'href="/privacy/"' in html
    # Not a GOV.UK service: no crown, no GDS Transport.
    assert "govuk-logo" not in html
    assert "GDS Transport" not in html


def test_navigation_depends_on_role(client, alice, rita, adam):
    client.force_login(alice)
    html = client.get("/boroughs/").text
    assert "Your partnerships" in html
    assert "All boroughs" not in html
    assert "Administration" not in html
    assert 'href="/accounts/">Your account' in html
    client.force_login(rita)
    html = client.get("/boroughs/").text
    assert "All boroughs" in html
    assert "Administration" not in html
    # The Django admin is for superusers: OPCC admins are not offered it.
    client.force_login(adam)
    assert "Administration" not in client.get("/boroughs/").text
    superuser = make_user("sam", is_superuser=True, is_staff=True)
    client.force_login(superuser)
    assert 'href="/admin/">Administration' in client.get("/boroughs/").text


def test_inline_script_carries_the_csp_nonce(client, alice):
    client.force_login(alice)
    response = client.get("/boroughs/birmingham/")
    policy = response.headers["Content-Security-Policy"]
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">' in response.text
    assert "script-src 'self' 'nonce-" in policy


def test_404_page_is_styled(client, alice):
    client.force_login(alice)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert "govuk-heading-l" in response.text


def test_500_page_is_styled(db):
    request = RequestFactory().get("/")
    response = server_error(request)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


def test_admin_is_for_superusers_only(client, adam, rita):
    # Who may use the admin, and how its sign-in works: tests/boroughs/accounts/test_admin.py.
    for user in (adam, rita):
        client.force_login(user)
        assert client.get("/admin/boroughs/borough/")["Location"].startswith("/admin/login/")
    client.force_login(make_user("sam", is_superuser=True, is_staff=True))
    response = client.get("/admin/boroughs/borough/")
    assert response.status_code == 200
    assert "Safe and Sound, Dudley" in response.text


def test_admin_needs_sign_in(client, db):
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


def test_anonymous_cannot_reach_service_pages(client, db):
    assert_redirects_to_login(client.get("/boroughs/"), "/boroughs/")
