from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reviews.annex.importer import AnnexFileError, load
from reviews.services.annex import annex_import


class Command(BaseCommand):
    help = "Load an annex JSON file (format: reviews/README.md) into its financial year. Atomic and idempotent."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The annex JSON file.")

    def handle(self, *args, path, **options):
        try:
            raw = Path(path).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        try:
            spec = load(raw)
        except AnnexFileError as error:
            lines = "\n".join(f"  {problem}" for problem in error.problems)
            raise CommandError(f"{path} was not imported; nothing was changed. Problems:\n{lines}") from None
        report = annex_import(spec=spec)
        for warning in report.warnings:
            self.stderr.write(self.style.WARNING(warning))
        if not report.changed_anything:
            self.stdout.write(f"Annex {report.year} is already up to date: nothing changed.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported annex {report.year}: {len(report.created)} created, {len(report.changed)} changed."
            )
        )
        for line in report.created:
            self.stdout.write(f"  created {line}")
        for line in report.changed:
            self.stdout.write(f"  changed {line}")
