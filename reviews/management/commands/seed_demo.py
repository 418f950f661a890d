"""Demo data for `make run`. It lives in the top app because it seeds every app's data."""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from boroughs.demo import seed_people
from returns.demo import seed_returns
from reviews.demo import seed_annex, seed_annex_export, seed_reviews

DEFAULT_PASSWORD = "csp-demo-2026"


class Command(BaseCommand):
    help = "Create or refresh the demo boroughs, people and data. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD)
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the demo logins.")

    def handle(self, *args, password, quiet_logins, **options):
        if not getattr(settings, "DEMO_DATA_ALLOWED", False):
            raise CommandError("Demo data is not allowed with these settings (DEMO_DATA_ALLOWED is off).")
        with transaction.atomic():
            logins = seed_people(password=password)
            seed_returns()
            seed_reviews()
            seed_annex()
            demo_export = seed_annex_export()
        if quiet_logins:
            return
        width = max(len(username) for username, _ in logins)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {password})"))
        for username, description in logins:
            self.stdout.write(f"  {username.ljust(width)}  {description}")
        if demo_export:
            self.stdout.write(f"\nA demo PDF export runs on the worker: {demo_export.get_absolute_url()}")
        self.stdout.write("")
