"""The Nu HTML Checker (vnu.jar, from npm's `vnu-jar`) as a local HTTP service for the browser tests.

One checker runs per test session on a free loopback port; each page a browser test loads is posted to it, and
its errors fail the test, as axe-core's violations do. Only messages of type "error" count: those are the
conformance failures the issue asks for; "info" warnings are advice, not failures.
"""

import json
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

JAR = Path(__file__).resolve().parents[2] / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# The JVM takes tens of seconds to load the schemas on a busy machine.
START_TIMEOUT = 180
CHECK_TIMEOUT = 60

# Exact messages that are the checker's mistakes, not ours. Each needs a reason; nothing is filtered broadly.
KNOWN_FALSE_POSITIVES: dict[str, str] = {}


class NuUnavailable(Exception):
    """Java or vnu.jar is missing, or the checker did not start."""


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class NuChecker:
    def __init__(self, process, port):
        self.process = process
        self.url = f"http://127.0.0.1:{port}/?out=json"

    @classmethod
    def start(cls):
        java = shutil.which("java")
        if not java:
            raise NuUnavailable("Java is not on PATH (apt-get install default-jre-headless)")
        if not JAR.exists():
            raise NuUnavailable(f"{JAR} is missing: run `npm ci`")
        port = _free_port()
        process = subprocess.Popen(
            [
                java,
                "-Xmx512m",
                "-cp",
                str(JAR),
                "-Dnu.validator.servlet.bind-address=127.0.0.1",
                "nu.validator.servlet.Main",
                str(port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        checker = cls(process, port)
        checker._wait_until_ready()
        return checker

    def _wait_until_ready(self):
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise NuUnavailable(f"the Nu checker exited with code {self.process.returncode}")
            try:
                self.messages("<!doctype html><html lang=en><title>ready</title>")
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.5)
            else:
                return
        self.stop()
        raise NuUnavailable(f"the Nu checker did not answer within {START_TIMEOUT} seconds")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def messages(self, html):
        request = urllib.request.Request(
            self.url,
            data=html.encode("utf-8"),
            headers={"Content-Type": "text/html; charset=utf-8"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=CHECK_TIMEOUT) as response:
            return json.load(response)["messages"]

    def errors(self, html):
        """The checker's errors for a document, one readable line each."""
        lines = []
        for message in self.messages(html):
            # "non-document-error" is the checker failing to read the document: that must not pass silently.
            if message.get("type") not in ("error", "non-document-error"):
                continue
            if message.get("message") in KNOWN_FALSE_POSITIVES:
                continue
            where = f"line {message['lastLine']}" if "lastLine" in message else "document"
            extract = message.get("extract", "").replace("\n", " ")
            lines.append(f"  {where}: {message['message']}\n    {extract}")
        return lines
