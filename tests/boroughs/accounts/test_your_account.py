from tests.conftest import assert_redirects_to_login

from .conftest import with_totp

URL = "/accounts/"


def test_your_account_links_to_what_a_person_may_change(client, alice):
    client.force_login(alice)
    page = client.get(URL)
    assert page.status_code == 200
    assert "alice@example.org" in page.text
    for href in ["/accounts/password/change/", "/accounts/notifications/", "/accounts/2fa/totp/activate/"]:
        assert f'href="{href}"' in page.text
    assert "OPCC staff must use it" not in page.text


def test_every_signed_in_persona_has_an_account_page(client, bob, charlie, rita, adam):
    for user in (bob, charlie, rita, adam):
        client.force_login(user)
        page = client.get(URL)
        assert page.status_code == 200
        assert user.username in page.text


def test_staff_are_told_they_must_use_two_step_verification(client, rita, settings):
    settings.MFA_REQUIRED_FOR_OPCC = True
    with_totp(rita)
    client.force_login(rita)
    page = client.get(URL)
    assert "OPCC staff must use it" in page.text
    assert 'href="/accounts/2fa/"' in page.text


def test_anonymous_is_sent_to_login(client, db):
    assert_redirects_to_login(client.get(URL), URL)
