#!/usr/bin/env python3
"""Smoke test of the README's first command: `make run` serves the demo and the demo people can sign in.

Starts `make run` on a free port, with the default SQLite database (no DATABASE_URL), in its own process group;
waits for the sign-in page; signs in as a CSP officer and as the OPCC reviewer, each with their own cookies, and
checks that each lands on their own home page; then stops everything `make run` started (runserver and the
db_worker beside it), pass or fail. Standard library only, so any Python 3 runs it.

    python3 .ci/smoke_run.py [--timeout SECONDS]
"""

import argparse
import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode, urljoin, urlsplit
from urllib.request import HTTPCookieProcessor, Request, build_opener

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "csp-demo-2026"  # the README's demo password (make run's DEMO_PASSWORD default)


class Failed(Exception):
    pass


class Page(HTMLParser):
    """The forms (action, method, inputs) and the <h1> text of a page."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.forms, self._form, self._in_h1, self.h1 = [], None, False, ""
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = {"action": attrs.get("action", ""), "method": attrs.get("method", "get"), "inputs": []}
            self.forms.append(self._form)
        elif tag == "input" and self._form is not None and attrs.get("name"):
            self._form["inputs"].append(attrs)
        elif tag == "h1":
            self._in_h1 = True

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "h1":
            self._in_h1 = False

    def handle_data(self, data):
        if self._in_h1:
            self.h1 += data

    @property
    def heading(self):
        return " ".join(self.h1.split())


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, server, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise Failed(f"`make run` exited with status {server.returncode} before serving")
        try:
            with build_opener().open(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (URLError, ConnectionError, TimeoutError, HTTPError):
            pass
        time.sleep(1)
    raise Failed(f"{url} did not answer 200 within {timeout} s")


def sign_in(base, username):
    """Sign in through the login form as a browser would; returns (opener, final URL, page) of the home page."""
    opener = build_opener(HTTPCookieProcessor(CookieJar()))
    with opener.open(f"{base}/accounts/login/", timeout=30) as response:
        login_url, page = response.url, Page(response.read().decode())
    forms = [f for f in page.forms if any(i.get("type") == "password" for i in f["inputs"])]
    if len(forms) != 1:
        raise Failed(f"expected one sign-in form on {login_url}, found {len(forms)}")
    form = forms[0]
    # The form's own fields (the CSRF token among them); unticked boxes are not sent.
    fields = {
        i["name"]: i.get("value", "")
        for i in form["inputs"]
        if i.get("type") not in ("checkbox", "radio", "submit") or "checked" in i
    }
    names = [i["name"] for i in form["inputs"]]
    # Django's form calls it "username"; django-allauth's calls it "login".
    user_field = next((name for name in ("login", "username") if name in names), None)
    if user_field is None or "password" not in names:
        raise Failed(f"the sign-in form on {login_url} has no username or password field: {names}")
    if "csrfmiddlewaretoken" not in fields:
        raise Failed(f"the sign-in form on {login_url} has no CSRF token")
    fields.update({user_field: username, "password": PASSWORD})
    request = Request(
        urljoin(login_url, form["action"]), data=urlencode(fields).encode(), headers={"Referer": login_url}
    )
    with opener.open(request, timeout=30) as response:
        after, page = response.url, Page(response.read().decode())
    if urlsplit(after).path == urlsplit(login_url).path:
        raise Failed(f"{username} was not signed in: still on {after} ({page.heading!r})")
    with opener.open(f"{base}/", timeout=30) as response:  # redirects are followed
        return response.url, Page(response.read().decode()), fields, user_field


def check(base, username, path, heading, what):
    url, page, fields, user_field = sign_in(base, username)
    landed = urlsplit(url).path
    if landed != path or not heading(page.heading):
        raise Failed(f"{username}'s home page: expected {what} at {path}, got {landed} with heading {page.heading!r}")
    print(
        f"  ok: {username} signed in (form fields: {', '.join(sorted(fields))}; name in {user_field!r}); "
        f"/ led to {landed}, heading {page.heading!r}: {what}"
    )


def stop(server):
    """Stop the whole process group: make, runserver (and its reloader) and the db_worker."""
    try:
        os.killpg(server.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            server.wait(timeout=0.5)
            os.killpg(server.pid, 0)  # raises once no process of the group is left
        except subprocess.TimeoutExpired:
            continue
        except ProcessLookupError:
            return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGKILL)
    server.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=int, default=300, help="seconds to wait for the server (default 300)")
    options = parser.parse_args()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    # As a user on a fresh clone types it: no DATABASE_URL (SQLite in the clone), dev settings.
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["PORT"] = str(port)
    # CI cancelling this script must not leave the server behind: signals become a normal exit, through `finally`.
    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(sig, lambda signum, frame: sys.exit(128 + signum))
    with tempfile.NamedTemporaryFile("w+", prefix="make-run-", suffix=".log", delete=False) as log:
        print(f"Smoke test: `make run` on {base} (output in {log.name})", flush=True)
        server = subprocess.Popen(
            ["make", "--no-print-directory", "run"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so stop() reaches the worker and the reloader too
        )
        started = time.monotonic()
        try:
            wait_for(f"{base}/accounts/login/", server, options.timeout)
            print(f"  ok: /accounts/login/ answered 200 after {time.monotonic() - started:.0f} s")
            check(
                base,
                "officer.birmingham",
                "/boroughs/birmingham/",
                lambda h: h == "Birmingham",
                "the officer's borough page",
            )
            check(base, "reviewer", "/review/", lambda h: h.startswith("Returns for "), "the OPCC review grid")
        except (Failed, OSError) as error:
            log.seek(0)
            tail = log.read().splitlines()[-60:]
            print(f"FAILED: {error}\n--- last lines of `make run` ---", *tail, "---", sep="\n", file=sys.stderr)
            return 1
        finally:
            stop(server)
    os.unlink(log.name)
    print("Smoke test passed: `make run` serves the demo, and the officer and the reviewer sign in to their pages.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
