"""Real-browser tests: Playwright drives Debian's Chromium against the live test server.

Every page a test visits is checked by axe-core and by the Nu HTML Checker (vnu.jar, see nu.py), and any
violation or HTML error fails the test. Without Chromium the tests skip, and without Java or vnu.jar the Nu check
is skipped with a warning, unless REQUIRE_BROWSER=1 (as in CI), when they fail.
"""

import os
import shutil
import warnings

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.cache import cache

from .nu import NuChecker, NuUnavailable

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


@pytest.fixture(scope="session")
def nu():
    """One Nu HTML Checker for the session, or None (with a warning) where Java or vnu.jar is missing."""
    try:
        checker = NuChecker.start()
    except NuUnavailable as error:
        message = f"Nu HTML Checker not run: {error}"
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(message)
        warnings.warn(message, pytest.PytestWarning, stacklevel=1)
        yield None
        return
    yield checker
    checker.stop()


class AxeChecker:
    """Runs axe-core and the Nu checker on each page the test loads; collects what they find to fail the test."""

    def __init__(self, page, axe, nu=None):
        self.page = page
        self.axe = axe
        self.nu = nu
        self.checked = []
        self.violations = []
        self.html_errors = []

    def check(self):
        url = self.page.url
        if not url.startswith("http"):
            return
        results = self.axe.run(self.page)
        self.checked.append(url)
        if results.violations_count:
            self.violations.append(f"{url}\n{results.generate_report()}")
        if self.nu is not None:
            errors = self.nu.errors(self.page.content())
            if errors:
                self.html_errors.append(f"{url}\n" + "\n".join(errors))


@pytest.fixture(autouse=True)
def _fresh_throttles(db):
    # Sign-in throttles live in the cache table, which flushing the database between these tests leaves
    # alone: each test starts with none counted.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def page(page, axe, nu, live_server):
    """A page whose every load is checked with axe-core and the Nu checker. Call `page.axe_check()` after
    in-page changes."""
    checker = AxeChecker(page, axe, nu)
    page.on("load", lambda _: checker.check())
    page.axe_check = checker.check
    page.set_default_timeout(10_000)
    yield page
    assert checker.checked, "axe-core checked no page"
    problems = []
    if checker.violations:
        problems.append("axe-core found accessibility violations:\n" + "\n".join(checker.violations))
    if checker.html_errors:
        problems.append("The Nu HTML Checker found errors:\n" + "\n".join(checker.html_errors))
    assert not problems, "\n".join(problems)


def sign_in(page, live_server, username, password):
    """Fills allauth's sign-in form: "Username" is its `login` field."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
