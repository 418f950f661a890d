"""The uploaded spreadsheet kept between its preview and its confirmation."""

import uuid

from django.conf import settings
from django.db import models


def import_path(instance, filename):
    # A random name: nothing the user typed reaches the storage path.
    return f"imports/{instance.uuid}.xlsx"


class SpreadsheetImport(models.Model):
    """One upload. Previewed as often as asked; applied at most once, and only by the person who uploaded it."""

    class Kind(models.TextChoices):
        QUARTER = "quarter", "A quarter's figures for a return"
        PROJECTS = "projects", "A year's projects"

    class Status(models.TextChoices):
        PREVIEWED = "previewed", "Waiting for confirmation"
        APPLIED = "applied", "Applied"
        DISCARDED = "discarded", "Discarded"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=20, choices=Kind)
    status = models.CharField(max_length=20, choices=Status, default=Status.PREVIEWED)
    file = models.FileField(upload_to=import_path, max_length=300)
    original_name = models.CharField(max_length=255)
    # What the import is for: a return (QUARTER) or a financial year (PROJECTS).
    return_of = models.ForeignKey(
        "returns.Return", on_delete=models.CASCADE, null=True, blank=True, related_name="imports"
    )
    financial_year = models.ForeignKey(
        "returns.FinancialYear", on_delete=models.CASCADE, null=True, blank=True, related_name="imports"
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="quarter", return_of__isnull=False, financial_year__isnull=True)
                    | models.Q(kind="projects", return_of__isnull=True, financial_year__isnull=False)
                ),
                name="import_is_for_a_return_or_a_year",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.original_name}"
