"""An officer makes an API token on their account page, copies it once, uses it, and revokes it.

axe-core checks every page on the way (the list, the form with its errors, the token shown once, the revoke page).
"""

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.conftest import PASSWORD

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_creates_uses_and_revokes_a_token(page, live_server, alice):
    sign_in(page, live_server, "alice", PASSWORD)
    page.goto(f"{live_server.url}/accounts/")
    page.get_by_role("link", name="Manage your API tokens").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API tokens")
    expect(page.get_by_text("You have no API tokens.")).to_be_visible()

    page.get_by_role("button", name="Create an API token").click()
    page.get_by_label("What is the token for?").fill("Quarterly dashboard")
    page.get_by_role("button", name="Create token").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose when the token stops working")
    expect(page.get_by_label("What is the token for?")).to_have_value("Quarterly dashboard")
    page.get_by_label("In 90 days").check()
    page.get_by_role("button", name="Create token").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your new API token")
    whole = page.get_by_label("Token for Quarterly dashboard").input_value()
    assert whole.startswith("csp_")
    api = Client()
    assert api.get("/api/returns/", headers={"Authorization": f"Bearer {whole}"}).status_code == 200

    page.get_by_role("button", name="Done").click()
    expect(page.get_by_role("cell", name="Quarterly dashboard", exact=True)).to_be_visible()
    expect(page.get_by_text(whole)).to_have_count(0)  # shown once, never again
    page.get_by_role("link", name="Revoke the token for Quarterly dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Revoke the token for Quarterly dashboard?")
    page.get_by_role("button", name="Yes, revoke it").click()
    expect(page.get_by_text("has been revoked")).to_be_visible()
    expect(page.locator("td .govuk-tag")).to_have_text("Revoked")
    assert api.get("/api/returns/", headers={"Authorization": f"Bearer {whole}"}).status_code == 401
