"""Several hosts, one database: two app servers and two workers, and an export that crosses between them.

Run by `make scale-demo`, which makes a fresh PostgreSQL database with the demo data first. This command then
starts two gunicorn instances (ports A and B) and two workers (`db_worker --worker-id scale-demo-1/2`), all with
the same DATABASE_URL and the same file storage (STORAGE_URL), as separate hosts would be. It signs in as the
demo reviewer on A, spreads page loads across A and B with the same session (sessions live in the database),
asks A for the 2015-16 annex PDF, waits for it on B, downloads it from B, and says which worker built it. It stops
everything it started, pass or fail. Only loopback addresses; every wait is bounded.
"""

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, Request, build_opener

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_tasks_db.models import DBTaskResult

YEAR = "2015-16"
PAGES = ["/review/", "/annex/", f"/annex/{YEAR}/", "/search/?q=domestic", f"/annex/{YEAR}/versions/"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Command(BaseCommand):
    help = "Two app servers and two workers on one database: an export asked of one is downloaded from the other."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="reviewer")
        parser.add_argument("--password", default=os.environ.get("DEMO_PASSWORD", "csp-demo-2026"))
        parser.add_argument("--timeout", type=int, default=120, help="Seconds to wait for each step.")

    def handle(self, *args, username, password, timeout, **options):
        if not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
            raise CommandError("The scale demo needs PostgreSQL: set DATABASE_URL=postgres://…")
        self.timeout = timeout
        files = Path(tempfile.mkdtemp(prefix="csp-scale-demo-"))
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
            "DEBUG": "false",
            # Shared by every process, as object storage would be between hosts (STORAGE_URL=s3://… there).
            "STORAGE_URL": f"file://{files}",
        }
        ports = {"A": free_port(), "B": free_port()}
        self.processes = []
        try:
            for name, port in ports.items():
                self._start(name, [sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", "2",
                                   "--bind", f"127.0.0.1:{port}", "--access-logfile", "-"], env)  # fmt: skip
            for n in (1, 2):
                self._start(f"worker {n}", [sys.executable, "manage.py", "db_worker", "--worker-id",
                                            f"scale-demo-{n}", "--interval", "0.5", "--no-reload"], env)  # fmt: skip
            base = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
            for url in base.values():
                self._wait_until_serving(url)
            self._demo(base, username, password)
        finally:
            self._stop_all()

    def _start(self, name, argv, env):
        prefix = f"scale-demo-{name.replace(' ', '-')}-"
        with tempfile.NamedTemporaryFile(prefix=prefix, suffix=".log", delete=False) as log:
            process = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.processes.append((name, process, log.name))
        self.stdout.write(f"Started {name} (pid {process.pid}); log: {log.name}")

    def _stop_all(self):
        for _, process, _ in self.processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for name, process, _ in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            self.stdout.write(f"Stopped {name}")

    def _wait_until_serving(self, url):
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            for name, process, log in self.processes:
                if process.poll() is not None:
                    raise CommandError(f"{name} exited with status {process.returncode}; see {log}")
            try:
                build_opener().open(f"{url}/accounts/login/", timeout=5)
                return
            except (URLError, ConnectionError, TimeoutError):
                time.sleep(0.5)
        raise CommandError(f"{url} did not start serving within {self.timeout} s")

    def _demo(self, base, username, password):
        jar = CookieJar()
        browser = build_opener(HTTPCookieProcessor(jar))

        def csrf():
            return next(cookie.value for cookie in jar if cookie.name == "csrftoken")

        browser.open(f"{base['A']}/accounts/login/", timeout=30)
        form = urlencode({"login": username, "password": password, "csrfmiddlewaretoken": csrf()}).encode()
        signed_in = browser.open(Request(f"{base['A']}/accounts/login/", data=form), timeout=30)
        if "/accounts/login/" in signed_in.url:
            raise CommandError(f"Could not sign in as {username} on A (is MFA required? Use the demo data).")
        self.stdout.write(f"Signed in as {username} on A; the same session cookie is used on both instances.")

        for n, path in enumerate(PAGES * 2):
            instance = "AB"[n % 2]
            started = time.monotonic()
            response = browser.open(base[instance] + path, timeout=30)
            took = (time.monotonic() - started) * 1000
            self.stdout.write(f"  {instance} {response.status} {took:6.0f} ms  {path}")

        asked = browser.open(
            Request(
                f"{base['A']}/annex/{YEAR}/export/pdf/prepare/",
                data=urlencode({"csrfmiddlewaretoken": csrf()}).encode(),
            ),
            timeout=30,
        )
        match = re.search(r"/annex/exports/(\d+)/", asked.url)
        if not match:
            raise CommandError(f"Asking A for the PDF did not lead to its status page (got {asked.url}).")
        export_id = match.group(1)
        self.stdout.write(f"Asked A for the {YEAR} annex PDF: export {export_id}, queued for the workers.")

        deadline = time.monotonic() + self.timeout
        status = ""
        while time.monotonic() < deadline:
            status = browser.open(f"{base['B']}/annex/exports/{export_id}/status.json", timeout=30).read().decode()
            if '"ready"' in status or '"failed"' in status:
                break
            time.sleep(1)
        if '"ready"' not in status:
            raise CommandError(f"Export {export_id} was not ready on B within {self.timeout} s: {status}")
        try:
            pdf = browser.open(f"{base['B']}/annex/exports/{export_id}/download/", timeout=60).read()
        except HTTPError as error:
            raise CommandError(f"Downloading export {export_id} from B failed: {error}") from error
        if not pdf.startswith(b"%PDF"):
            raise CommandError(f"What B served for export {export_id} is not a PDF.")
        built_by = (
            DBTaskResult.objects.filter(task_path__endswith="build_annex_export", status="SUCCESSFUL")
            .order_by("-finished_at")
            .values_list("worker_ids", flat=True)
            .first()
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Export {export_id}: asked of A, built by {', '.join(built_by or ['a worker'])}, "
                f"downloaded from B ({len(pdf):,} bytes of PDF)."
            )
        )
