from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from reviews.services.exports import exports_prune


class Command(BaseCommand):
    help = "Delete prepared annex exports (and their files) older than --days. Run it daily, like send_reminders."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30, help="Keep exports made in the last DAYS days.")

    def handle(self, *args, days, **options):
        count = exports_prune(older_than=timezone.now() - timedelta(days=days))
        self.stdout.write(f"Deleted {count} export{'s' if count != 1 else ''} older than {days} days.")
