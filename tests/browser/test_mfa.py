"""Two-step verification in a real browser: an OPCC reviewer, made to set it up, signs in with an authenticator
code and then with a recovery code."""

import pytest
from playwright.sync_api import expect

from tests.boroughs.accounts.conftest import totp_code
from tests.conftest import PASSWORD

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to CSP Returns")
    expect(page.get_by_text("You have signed out.")).to_be_visible()


def test_reviewer_sets_up_two_step_verification_and_signs_in_with_codes(page, live_server, rita, settings):
    settings.MFA_REQUIRED_FOR_OPCC = True

    # Password accepted, but the service stays shut until two-step verification is on.
    sign_in(page, live_server, "rita", PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/accounts/2fa/totp/activate/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-step verification")
    expect(page.get_by_text("OPCC staff must sign in with a code as well as a password")).to_be_visible()
    expect(page.get_by_role("img", name="QR code to add CSP Returns to an authenticator app")).to_be_visible()
    page.goto(f"{live_server.url}/boroughs/")
    expect(page).to_have_url(f"{live_server.url}/accounts/2fa/totp/activate/")

    # A wrong code is refused with the GOV.UK error summary.
    page.get_by_label("Code from your authenticator app").fill("000000")
    page.get_by_role("button", name="Turn on two-step verification").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The code is not correct")
    expect(page).to_have_title("Error: Set up two-step verification – CSP Returns")

    # The authenticator app: the setup key shown on the page, and the code it makes now.
    secret = page.locator("#totp-secret").inner_text().strip()
    page.get_by_label("Code from your authenticator app").fill(totp_code(secret))
    page.get_by_role("button", name="Turn on two-step verification").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    expect(page.get_by_text("Two-step verification is on.")).to_be_visible()
    codes = page.locator("#recovery-codes li")
    expect(codes).to_have_count(10)
    recovery_code = codes.first.inner_text().strip()
    page.get_by_role("button", name="Continue to CSP Returns").click()
    expect(page).to_have_url(f"{live_server.url}/review/")
    sign_out(page)

    # Next time: password, then the code from the app.
    sign_in(page, live_server, "rita", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your code")
    # A password alone opens nothing: any page leads back to the code.
    page.goto(f"{live_server.url}/boroughs/")
    expect(page).to_have_url(f"{live_server.url}/accounts/2fa/authenticate/")
    page.get_by_label("Code", exact=True).fill(totp_code(secret))
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(f"{live_server.url}/review/")
    sign_out(page)

    # Without the phone: a recovery code instead.
    sign_in(page, live_server, "rita", PASSWORD)
    page.get_by_text("I cannot use my authenticator app").click()
    page.get_by_label("Code", exact=True).fill(recovery_code)
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(f"{live_server.url}/review/")
    page.get_by_role("link", name="Your account").click()
    expect(page.get_by_text("On: you sign in with a code from your authenticator app")).to_be_visible()
