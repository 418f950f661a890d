"""Production settings: they fail fast without their environment and pass Django's deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROD_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.prod",
    "SECRET_KEY": "prod-test-" + "k8Qz2vXw9LmN4pR7sT1uY6bC3dF5gH0j" * 2,
    "ALLOWED_HOSTS": "csp-returns.example.org",
    "SITE_URL": "https://csp-returns.example.org",
}


def run_manage(*args, env):
    # The browser tests allow async-unsafe calls in this process; a deployment never would.
    dropped = {
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "SITE_URL",
        "DJANGO_SETTINGS_MODULE",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "MFA_REQUIRED",
        "TRUSTED_PROXY_COUNT",
    }
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_deploy_passes_without_warnings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PROD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    # The one silenced check is security.W021: HSTS preload is an opt-in (tests/test_hygiene.py).
    assert "System check identified no issues (1 silenced)." in result.stdout


def test_prod_refuses_to_start_without_secret_key():
    env = {k: v for k, v in PROD_ENV.items() if k != "SECRET_KEY"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "The environment variable SECRET_KEY must be set." in result.stderr


def test_prod_refuses_to_start_without_allowed_hosts():
    env = {k: v for k, v in PROD_ENV.items() if k != "ALLOWED_HOSTS"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "The environment variable ALLOWED_HOSTS must be set." in result.stderr


def test_prod_never_creates_demo_accounts():
    result = run_manage("seed_demo", env=PROD_ENV)
    assert result.returncode != 0
    assert "Demo data is not allowed" in result.stderr


def account_settings(env):
    code = "from django.conf import settings as s; print(s.MFA_REQUIRED_FOR_OPCC, s.ALLAUTH_TRUSTED_PROXY_COUNT)"
    result = run_manage("shell", "-v", "0", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_prod_requires_two_step_verification_of_opcc_staff_and_reads_addresses_behind_the_proxy():
    assert account_settings(PROD_ENV) == ["True", "1"]
    assert account_settings({**PROD_ENV, "MFA_REQUIRED": "false"}) == ["False", "1"]


def test_development_offers_two_step_verification_without_requiring_it():
    # `make run` prints demo logins that must work with a password alone.
    assert account_settings({"DJANGO_SETTINGS_MODULE": "config.settings.dev"}) == ["False", "0"]


def test_a_bad_forecast_threshold_stops_the_service_with_a_clear_message():
    result = run_manage("check", env={**PROD_ENV, "FORECAST_UNDERSPEND_BELOW": "ninety"})
    assert result.returncode != 0
    assert "FORECAST_UNDERSPEND_BELOW must be a decimal number like 0.90, not 'ninety'." in result.stderr


def test_a_bad_storage_url_stops_the_service_with_a_clear_message():
    result = run_manage("check", env={**PROD_ENV, "STORAGE_URL": "ftp://files.example.org/"})
    assert result.returncode != 0
    assert "STORAGE_URL must start with s3:// or file://" in result.stderr
