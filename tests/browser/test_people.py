"""People in a real browser: an OPCC admin invites an officer through the pages, and the officer opens the emailed
link, chooses a password and signs in to their borough. axe-core checks every page on the way."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.conftest import PASSWORD

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_invites_an_officer_who_sets_a_password(page, live_server, adam, alice):
    sign_in(page, live_server, "adam", PASSWORD)
    page.get_by_role("link", name="People").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    expect(page.get_by_role("link", name="Alice")).to_be_visible()

    page.get_by_role("button", name="Invite someone").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invite someone")
    page.get_by_label("First name").fill("Dee")
    page.get_by_label("Last name").fill("Dudley")
    page.get_by_label("Email address").fill("dee.dudley@dudley.gov.uk")
    page.get_by_label("CSP officer").check()

    # Forgetting the borough is caught, with everything typed kept.
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the boroughs this officer files returns for")
    expect(page).to_have_title("Error: Invite someone – CSP Returns")
    expect(page.get_by_label("Email address")).to_have_value("dee.dudley@dudley.gov.uk")
    page.get_by_label("Dudley").check()
    page.get_by_role("button", name="Send invitation").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Dee Dudley")
    expect(page.get_by_text("We have sent Dee Dudley an invitation at dee.dudley@dudley.gov.uk.")).to_be_visible()
    expect(page.locator("#history")).to_contain_text("Invited: CSP officer of Dudley")
    assert len(mail.outbox) == 1
    link = re.search(r"(http://\S+/people/welcome/\S+/)", mail.outbox[0].body).group(1)
    assert link.startswith("http://testserver/")  # SITE_URL, whatever host the browser used
    link = link.replace("http://testserver", live_server.url)

    # The other pages an admin reaches from here pass axe too: the new invitation, deactivation, their own account.
    page.get_by_role("link", name="Send a new invitation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Send Dee Dudley a new invitation")
    page.go_back()
    page.get_by_role("link", name="Deactivate the account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Deactivate Dee Dudley’s account")
    page.goto(f"{live_server.url}/people/{adam.pk}/")
    expect(page.get_by_text("This is your own account.")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to CSP Returns")

    # The officer, from the email.
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose your password")
    expect(page.get_by_text("Your username is dee.dudley.")).to_be_visible()
    page.get_by_label("Password", exact=True).fill("dudley-partnership-2026")
    page.get_by_label("Confirm password").fill("dudley-partnership-2026")
    page.get_by_role("button", name="Set password").click()
    expect(page.get_by_text("Your password has been set. Sign in with your username, dee.dudley.")).to_be_visible()

    sign_in(page, live_server, "dee.dudley", "dudley-partnership-2026")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dudley")
    expect(page.get_by_role("link", name="People")).to_have_count(0)
    page.goto(f"{live_server.url}/boroughs/birmingham/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")

    # The link is spent.
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("This invitation link does not work")
