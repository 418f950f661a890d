from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from returns.services.imports import imports_prune


class Command(BaseCommand):
    help = "Delete spreadsheet uploads (and their files) older than --days. Run it daily, like prune_annex_exports."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7, help="Keep uploads made in the last DAYS days.")

    def handle(self, *args, days, **options):
        count = imports_prune(older_than=timezone.now() - timedelta(days=days))
        self.stdout.write(f"Deleted {count} upload{'s' if count != 1 else ''} older than {days} days.")
