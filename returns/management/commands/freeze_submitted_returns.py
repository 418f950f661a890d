from django.core.management.base import BaseCommand

from returns.services.returns import returns_freeze_unsnapshotted


class Command(BaseCommand):
    help = (
        "Keep what each return with the OPCC reported (its snapshot), for returns submitted before snapshots "
        "existed. Run once after upgrading; safe to run again."
    )

    def handle(self, *args, **options):
        count = returns_freeze_unsnapshotted()
        self.stdout.write(f"Kept the submitted figures of {count} return{'s' if count != 1 else ''}.")
