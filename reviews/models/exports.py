"""Files prepared on the background worker: one row per request, with the file once it is built.

Two kinds share one base (PreparedExport): annex exports (AnnexExport) and the analysts' data of a year
(YearDataExport). Slow formats (the PDF, a large year's workbook) are rendered by a task rather than in
the request, so a web process is never held for seconds. The row is the hand-over between the request
that asks, the worker that builds and the page that waits. Transitions are guarded conditional UPDATEs
(`WHERE status = …`) rather than read-then-save, because any number of workers and web processes may
touch the same row.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models
from django.urls import reverse
from django.utils import timezone

from ..permissions import can_see_annex, can_see_opcc_only

ERROR_MAX = 2000
# A PDF takes seconds; an export still waiting after this long has most likely lost its worker (stopped or
# crashed mid-task), so its page offers to ask again rather than leave the person watching forever.
STALE_AFTER = timedelta(minutes=10)


class ExportStateError(Exception):
    """An illegal move, e.g. finishing an export nobody started, or starting one twice."""


def export_path(instance, filename):
    # A random name: nothing the user typed reaches the path, and two exports never collide.
    extension = filename.rsplit(".", 1)[-1]
    return f"exports/{instance.storage_folder}/{uuid.uuid4()}.{extension}"


class PreparedExport(models.Model):
    """What every file built on the worker shares: its status and moves, its stored file, who asked and when.

    Each kind says what it is a file of (`document_name`, `heading`, `caption`), where its page leads back
    to and how to ask again (`back_url`, `back_label`, `prepare_url`), so one status page, one polling
    script and one download view serve them all.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Being prepared"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    # Which moves each transition may make; anything else raises ExportStateError.
    STARTS_FROM = (Status.QUEUED,)
    FINISHES_FROM = (Status.RUNNING,)
    FAILS_FROM = (Status.QUEUED, Status.RUNNING)
    PENDING = (Status.QUEUED, Status.RUNNING)

    format = models.CharField(max_length=10)
    status = models.CharField(max_length=10, choices=Status, default=Status.QUEUED)
    file = models.FileField(upload_to=export_path, max_length=300, blank=True)
    # The name the person downloads, e.g. annex-1-2015-16-v2.pdf, fixed when the file is built.
    filename = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(default=timezone.now)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        abstract = True
        ordering = ["-created", "-pk"]

    def __str__(self):
        return f"{self.get_format_display()} of {self.document_name} ({self.get_status_display().lower()})"

    def get_absolute_url(self):
        return reverse(f"reviews:{self.URL_PREFIX}_status", args=[self.pk])

    def get_format_display(self):
        return self.format.upper()

    @property
    def tag_class(self):
        return {
            self.Status.QUEUED: "govuk-tag--grey",
            self.Status.RUNNING: "govuk-tag--blue",
            self.Status.READY: "govuk-tag--green",
            self.Status.FAILED: "govuk-tag--red",
        }[self.status]

    @property
    def is_done(self):
        return self.status in (self.Status.READY, self.Status.FAILED)

    @property
    def is_stale(self):
        return not self.is_done and timezone.now() - self.created > STALE_AFTER

    def start(self):
        """queued → running. Refuses a second start, so a task delivered twice builds the file once."""
        self._move(self.STARTS_FROM, status=self.Status.RUNNING, started=timezone.now())

    def finish(self, *, content, filename, content_type):
        """running → ready, storing the bytes through the storage API (disk in dev, object storage in prod)."""
        if self.status not in self.FINISHES_FROM:
            raise ExportStateError(f"Cannot finish an export that is {self.status}.")
        self.file.save(filename, ContentFile(content), save=False)
        try:
            self._move(
                self.FINISHES_FROM,
                status=self.Status.READY,
                file=self.file.name,
                filename=filename,
                content_type=content_type,
                size=len(content),
                finished=timezone.now(),
                error="",
            )
        except ExportStateError:
            # Someone else moved the row meanwhile: the bytes we stored belong to nothing.
            self.file.storage.delete(self.file.name)
            self.file = None
            raise

    def fail(self, *, error):
        """queued or running → failed, keeping the error for the page (trimmed: tracebacks can be huge)."""
        self._move(self.FAILS_FROM, status=self.Status.FAILED, error=str(error)[:ERROR_MAX], finished=timezone.now())

    def _move(self, allowed, **changes):
        updated = type(self).objects.filter(pk=self.pk, status__in=allowed).update(**changes)
        if not updated:
            current = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            raise ExportStateError(f"Cannot move an export from {current} to {changes['status']}.")
        for name, value in changes.items():
            if name != "file":
                setattr(self, name, value)

    @property
    def status_json_url(self):
        return reverse(f"reviews:{self.URL_PREFIX}_status_json", args=[self.pk])

    @property
    def download_url(self):
        return reverse(f"reviews:{self.URL_PREFIX}_download", args=[self.pk])


class AnnexExportQuerySet(models.QuerySet):
    def for_user(self, user):
        """Exports are as private as the annex."""
        return self.all() if can_see_annex(user) else self.none()

    def of(self, *, annex, version=None, fmt):
        """Exports of one document: the draft (version None) or one published version, in one format."""
        return self.filter(annex=annex, version=version, format=fmt)


class AnnexExport(PreparedExport):
    """The annex's draft or one published version, in one format (the PDF; any format may be queued)."""

    URL_PREFIX = "export"

    annex = models.ForeignKey("reviews.Annex", on_delete=models.CASCADE, related_name="exports")
    # Empty for the draft; a published version otherwise (versions are never deleted).
    version = models.ForeignKey(
        "reviews.AnnexVersion", on_delete=models.CASCADE, null=True, blank=True, related_name="exports"
    )

    objects = AnnexExportQuerySet.as_manager()

    class Meta(PreparedExport.Meta):
        indexes = [models.Index(fields=["annex", "-created"], name="annex_export_recent")]

    @property
    def storage_folder(self):
        return str(self.annex_id)

    @property
    def document_name(self):
        year = self.annex.financial_year.label
        return f"version {self.version.number} of the {year} annex" if self.version_id else f"the {year} draft annex"

    @property
    def heading(self):
        what = f"version {self.version.number}" if self.version_id else "the draft"
        return f"{self.get_format_display()} of {what}"

    @property
    def caption(self):
        return f"{self.annex.label} {self.annex.financial_year}"

    @property
    def back_url(self):
        if self.version_id:
            return reverse("reviews:version_detail", args=[self.annex.financial_year.label, self.version.number])
        return self.annex.get_absolute_url()

    @property
    def back_label(self):
        return f"version {self.version.number}" if self.version_id else "the draft"

    @property
    def prepare_url(self):
        label = self.annex.financial_year.label
        if self.version_id:
            return reverse("reviews:export_prepare_version", args=[label, self.version.number, self.format])
        return reverse("reviews:export_prepare_draft", args=[label, self.format])


class YearDataExportQuerySet(models.QuerySet):
    def for_user(self, user):
        """The analysts' data holds OPCC-only flags: OPCC staff who see every borough and OPCC-only text."""
        return self.all() if can_see_annex(user) and can_see_opcc_only(user) else self.none()


class YearDataExport(PreparedExport):
    """The analysts' data of one financial year (reviews/data/), built on the worker when the year is large."""

    URL_PREFIX = "year_data_export"
    FORMAT_NAMES = {"xlsx": "XLSX workbook", "zip": "CSV ZIP"}  # the CSV files, one per sheet, in a ZIP

    financial_year = models.ForeignKey("returns.FinancialYear", on_delete=models.CASCADE, related_name="+")

    objects = YearDataExportQuerySet.as_manager()

    class Meta(PreparedExport.Meta):
        indexes = [models.Index(fields=["financial_year", "-created"], name="year_data_export_recent")]

    def get_format_display(self):
        return self.FORMAT_NAMES.get(self.format, self.format.upper())

    @property
    def storage_folder(self):
        return f"year-data/{self.financial_year_id}"

    @property
    def document_name(self):
        return f"the {self.financial_year.label} data for analysts"

    @property
    def heading(self):
        return f"{self.get_format_display()} of the {self.financial_year.label} data"

    @property
    def caption(self):
        return "Data for analysts"

    @property
    def back_url(self):
        return reverse("reviews:year_data", args=[self.financial_year.label])

    @property
    def back_label(self):
        return f"the {self.financial_year.label} data"

    @property
    def prepare_url(self):
        return reverse("reviews:year_data_prepare", args=[self.financial_year.label, self.format])
