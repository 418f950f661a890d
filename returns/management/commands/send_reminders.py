from datetime import date

from django.core.management.base import BaseCommand

from returns.reminders import send_reminders
from returns.tasks import schedule_daily_reminders


class Command(BaseCommand):
    help = "Send today's return reminders and the weekly digest. Safe to run many times a day (e.g. from cron)."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=date.fromisoformat, help="Act as if today were this date (YYYY-MM-DD).")
        parser.add_argument(
            "--on-worker",
            action="store_true",
            help="Queue a daily reminders task on the worker instead (it reschedules itself every morning).",
        )

    def handle(self, *args, date=None, on_worker=False, **options):
        if on_worker:
            result = schedule_daily_reminders()
            self.stdout.write(f"Queued the daily reminders task ({result.id}).")
            return
        count = send_reminders(date)
        self.stdout.write(f"Queued {count} reminder email{'s' if count != 1 else ''}.")
