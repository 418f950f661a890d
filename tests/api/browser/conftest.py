"""The token pages in a real browser: the browser tests' fixtures (Chromium, axe-core on every page) reused."""

from tests.browser.conftest import _fresh_throttles, axe, browser_type_launch_args, page, sign_in  # noqa: F401
