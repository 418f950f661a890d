"""Throughput under load: gunicorn (2 workers, config.settings.bench) on a loopback port, driven by wrk.

Each page is hit by 2 wrk threads over 16 connections for a few seconds, signed in: the requests take turns
over 16 sessions of the page's persona, so they do not all queue on one session row (every request saves its
session). Only 127.0.0.1 is ever used.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

from .pages import client_for
from .stats import parse_wrk

HOST = "127.0.0.1"
SESSIONS = 16
LUA = """
local cookies = {%s}
local path = "%s"
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", path, {["Cookie"] = "%s=" .. cookies[(i %% #cookies) + 1]})
end
"""


def wrk_missing():
    return shutil.which("wrk") is None


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(*, workers=2):
    """A gunicorn serving config.settings.bench on a free loopback port; yields its base URL."""
    port = free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.bench"}
    binary = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [str(binary), "config.wsgi", f"--workers={workers}", f"--bind={HOST}:{port}", "--timeout=300"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    base = f"http://{HOST}:{port}"
    try:
        _wait_until_up(base, process)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _wait_until_up(base, process, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped: {process.stderr.read().decode()[-2000:]}")
        try:
            urllib.request.urlopen(f"{base}/accessibility/", timeout=5)
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer within a minute")


def session_cookies(user, n=SESSIONS):
    """n signed-in sessions of this user, stored in the database gunicorn reads."""
    return [client_for(user).cookies[settings.SESSION_COOKIE_NAME].value for _ in range(n)]


def check(base, path, cookie):
    """The status one signed-in request gets (a redirect is not followed: it would be measured by mistake)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    request = urllib.request.Request(base + path, headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"})
    try:
        return urllib.request.build_opener(NoRedirect).open(request, timeout=300).status
    except urllib.error.HTTPError as error:
        return error.code


def hammer(base, path, cookies, *, seconds):
    """wrk's figures for one path: 2 threads, 16 connections, `seconds` long."""
    script = LUA % (", ".join(f'"{c}"' for c in cookies), path.replace('"', "%22"), settings.SESSION_COOKIE_NAME)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        command = ["wrk", "-t2", "-c16", f"-d{seconds}s", "--timeout", "60s", "--latency", "-s", handle.name, base]
        output = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 120, check=False).stdout
    finally:
        os.unlink(handle.name)
    return parse_wrk(output)
