"""The annex the Police and Crime Board receives, and the versions published for its meetings."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from boroughs.locking import Versioned
from returns.models import FinancialYear

from ..permissions import can_see_annex


class AnnexQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.all() if can_see_annex(user) else self.none()


class Annex(Versioned):
    """The document the Police and Crime Board receives for a financial year."""

    financial_year = models.OneToOneField(FinancialYear, on_delete=models.PROTECT, related_name="annex")
    label = models.CharField(max_length=50, default="Annex 1")
    title = models.CharField(max_length=300)
    introduction = models.TextField(blank=True, max_length=20000)
    # The "Performance summary" appendix: the board view's charts and figures, after the borough tables.
    include_performance_summary = models.BooleanField("Include the performance summary appendix", default=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = AnnexQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-financial_year__start_date"]
        verbose_name_plural = "annexes"
        permissions = [("publish_annex", "Can publish an annex version for the board")]

    def __str__(self):
        return f"{self.label}: {self.title}"

    def get_absolute_url(self):
        return reverse("reviews:annex_preview", args=[self.financial_year.label])

    @classmethod
    def default_title(cls, year):
        return f"Outcome Reporting for Local Police and Crime Board Community Safety Activity {year.label}"

    def update_details(self, *, label, title, introduction, expected_version):
        return self.save_if_version(
            expected_version, label=label, title=title, introduction=introduction, updated=timezone.now()
        )

    def next_version_number(self):
        return (self.versions.aggregate(models.Max("number"))["number__max"] or 0) + 1


class AnnexVersionQuerySet(models.QuerySet):
    def metadata(self):
        """Versions without their snapshots: each holds the whole annex (megabytes at national scale).

        Every page that lists or mentions versions reads them this way; only a version's own page, its
        diff and its downloads read the snapshot.
        """
        return self.defer("snapshot").select_related("published_by")


class AnnexVersion(models.Model):
    """A version of the annex published for a board meeting. Immutable: later edits make a new draft."""

    annex = models.ForeignKey(Annex, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    meeting_date = models.DateField("Date of the board meeting")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(default=timezone.now)
    # The assembled annex as published (reviews.annex.assembly.AssembledAnnex.to_snapshot()).
    snapshot = models.JSONField()

    objects = AnnexVersionQuerySet.as_manager()

    class Meta:
        ordering = ["annex", "-number"]
        constraints = [models.UniqueConstraint(fields=["annex", "number"], name="annex_version_number_unique")]
        get_latest_by = "number"

    def __str__(self):
        return f"{self.annex.label} {self.annex.financial_year} version {self.number}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError("A published annex version cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("A published annex version cannot be deleted.")
