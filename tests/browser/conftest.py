"""Real-browser tests: Playwright drives Debian's Chromium against the live test server.

Every page a test visits is checked by axe-core, and any violation fails the test.
Without Chromium the tests skip, unless REQUIRE_BROWSER=1 (as in CI), when they fail.
"""

import os
import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.cache import cache

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Django's live server runs in a thread alongside async Playwright internals.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _chromium_path():
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    path = _chromium_path()
    if not path:
        message = "Debian's chromium is not on PATH: apt-get install chromium"
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": path, "headless": True, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def axe():
    return Axe()


class AxeChecker:
    """Runs axe-core on each page the test loads; collects violations to fail the test with."""

    def __init__(self, page, axe):
        self.page = page
        self.axe = axe
        self.checked = []
        self.violations = []

    def check(self):
        url = self.page.url
        if not url.startswith("http"):
            return
        results = self.axe.run(self.page)
        self.checked.append(url)
        if results.violations_count:
            self.violations.append(f"{url}\n{results.generate_report()}")


@pytest.fixture(autouse=True)
def _fresh_throttles(db):
    # Sign-in throttles live in the cache table, which flushing the database between these tests leaves
    # alone: each test starts with none counted.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def page(page, axe, live_server):
    """A page whose every load is checked with axe-core. Call `page.axe_check()` after in-page changes."""
    checker = AxeChecker(page, axe)
    page.on("load", lambda _: checker.check())
    page.axe_check = checker.check
    page.set_default_timeout(10_000)
    yield page
    assert checker.checked, "axe-core checked no page"
    assert not checker.violations, "axe-core found accessibility violations:\n" + "\n".join(checker.violations)


def sign_in(page, live_server, username, password):
    """Fills allauth's sign-in form: "Username" is its `login` field."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
