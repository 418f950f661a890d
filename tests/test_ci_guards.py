"""CI's guards: a run that must use PostgreSQL fails on any other database instead of passing there."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_a_run_that_requires_postgresql_fails_without_it():
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PYTEST_ADDOPTS")}
    env["REQUIRE_POSTGRES"] = "1"
    # Collecting is enough: the guard runs as the session starts, before any test (and without running this one).
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", __file__],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == pytest.ExitCode.USAGE_ERROR, output
    assert "REQUIRE_POSTGRES=1 but the tests would run on sqlite (django.db.backends.sqlite3)" in output
