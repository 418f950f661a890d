"""The quarterly review of returns: commentary per annex column and per project, flags, decisions."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from boroughs import locking
from boroughs.locking import Versioned
from boroughs.models import Borough, borough_scope
from returns.models import Project, Rag, ReportingPeriod, Return

from ..permissions import can_see_opcc_only

REVIEW_TEXT_MAX = 10000
REASON_MAX = 5000


class Visibility(models.TextChoices):
    SHARED = "shared", "Shared with the partnership"
    OPCC_ONLY = "opcc", "OPCC only"


class ReviewEditConflict(locking.EditConflict):
    """Another reviewer saved the same commentary after this one loaded it. `current` is theirs."""


class ReviewNotAllowed(ValidationError):
    """A review action this user may not take on this return (for example, their own borough's)."""


class ReviewScopedQuerySet(models.QuerySet):
    def for_user(self, user):
        """What this user may read: their boroughs' items, and OPCC-only items only for OPCC staff."""
        scoped = self.filter(borough_scope(user))
        if not can_see_opcc_only(user):
            scoped = scoped.filter(visibility=Visibility.SHARED)
        return scoped


class Commentary(Versioned):
    """Reviewer text with a RAG rating, visibility and a version for optimistic locking."""

    borough = models.ForeignKey(Borough, on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=REVIEW_TEXT_MAX)
    rag = models.CharField("Reviewer RAG rating", max_length=10, choices=Rag, blank=True)
    visibility = models.CharField(max_length=10, choices=Visibility, default=Visibility.SHARED)
    updated = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = ReviewScopedQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_shared(self):
        return self.visibility == Visibility.SHARED

    def save_changes(self, *, expected_version, by, **changes):
        """Write only if nobody has saved since `expected_version`; otherwise raise ReviewEditConflict."""
        return self.save_if_version(
            expected_version,
            conflict=ReviewEditConflict,
            related=["updated_by"],
            updated=timezone.now(),
            updated_by=by,
            **changes,
        )


class ColumnCommentary(Commentary):
    """The OPCC's view of one annex column for one borough and quarter."""

    column = models.ForeignKey("reviews.AnnexColumn", on_delete=models.PROTECT, related_name="commentaries")

    history = HistoricalRecords()

    class Meta:
        ordering = ["period__start_date", "column__order"]
        verbose_name_plural = "column commentaries"
        constraints = [
            models.UniqueConstraint(fields=["borough", "period", "column"], name="one_commentary_per_column")
        ]

    def __str__(self):
        return f"{self.borough} {self.period}: {self.column.heading}"


class ProjectCommentary(Commentary):
    """The performance and impact assessment of one project in one quarter."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="commentaries")

    history = HistoricalRecords()

    class Meta:
        ordering = ["period__start_date", "project__name"]
        verbose_name_plural = "project commentaries"
        constraints = [models.UniqueConstraint(fields=["period", "project"], name="one_commentary_per_project")]

    def __str__(self):
        return f"{self.project} {self.period}"


class FlagTypeQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class FlagType(models.Model):
    """A kind of evidence-quality problem. Reference data: the OPCC can add, rename and retire kinds."""

    key = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True, help_text="Retired kinds stay on old flags but cannot be chosen.")

    objects = FlagTypeQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class FlagQuerySet(ReviewScopedQuerySet):
    def open(self):
        return self.filter(status=Flag.Status.OPEN)

    def carried_into(self, borough, period):
        """Open flags raised in this borough's earlier quarters: the actions the borough still owes."""
        return self.filter(borough=borough).filter(Flag.carried_into_q(period))


class Flag(models.Model):
    """An evidence-quality problem on a column or a project. Open until a reviewer resolves it."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"

    borough = models.ForeignKey(Borough, on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="+")
    flag_type = models.ForeignKey(FlagType, on_delete=models.PROTECT, related_name="flags")
    column = models.ForeignKey(
        "reviews.AnnexColumn", on_delete=models.PROTECT, null=True, blank=True, related_name="flags"
    )
    project = models.ForeignKey(Project, on_delete=models.PROTECT, null=True, blank=True, related_name="flags")
    note = models.TextField(blank=True, max_length=REVIEW_TEXT_MAX)
    visibility = models.CharField(max_length=10, choices=Visibility, default=Visibility.SHARED)
    status = models.CharField(max_length=10, choices=Status, default=Status.OPEN)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(default=timezone.now)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.TextField(blank=True, max_length=REASON_MAX)

    objects = FlagQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["raised_at", "pk"]
        constraints = [
            # A flag is about something: an annex column or a project (never both, never neither).
            models.CheckConstraint(
                condition=Q(column__isnull=False, project__isnull=True)
                | Q(column__isnull=True, project__isnull=False),
                name="flag_on_column_or_project",
            )
        ]

    def __str__(self):
        return f"{self.flag_type} ({self.subject})"

    @staticmethod
    def carried_into_q(period):
        """The rule for a flag carried into `period` (of the same borough): still open, raised in an earlier quarter.

        A condition rather than only a queryset, so a page can read a quarter's own flags and the carried ones in one
        query (reviews/selectors/feedback.py)."""
        return Q(status=Flag.Status.OPEN, period__start_date__lt=period.start_date)

    @property
    def subject(self):
        return self.column.heading if self.column_id else self.project.name

    @property
    def is_open(self):
        return self.status == self.Status.OPEN

    @property
    def is_shared(self):
        return self.visibility == Visibility.SHARED

    def resolve(self, *, by, resolution=""):
        if not self.is_open:
            raise ValidationError("This flag is already resolved.")
        self.status = self.Status.RESOLVED
        self.resolved_by, self.resolved_at, self.resolution = by, timezone.now(), resolution


class DecisionQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(borough_scope(user, "return_of__borough"))


class Decision(models.Model):
    """Who moved a return where, when and why: the review half of the return's timeline."""

    class Kind(models.TextChoices):
        REQUEST_CHANGES = "request_changes", "Changes requested"
        ACCEPT = "accept", "Accepted"
        REOPEN = "reopen", "Reopened"

    return_of = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(max_length=20, choices=Kind)
    reason = models.TextField(blank=True, max_length=REASON_MAX)
    # Section keys the reason points at ("alignment", "projects", "risks"...), shown on those sections.
    sections = models.JSONField(default=list, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    from_status = models.CharField(max_length=20, choices=Return.Status)
    to_status = models.CharField(max_length=20, choices=Return.Status)
    # The return as it was submitted, frozen when it is sent back, so resubmission never loses it.
    snapshot = models.JSONField(null=True, blank=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        permissions = [
            ("review_return", "Can review returns: comment, flag, request changes and accept"),
            ("reopen_return", "Can reopen an accepted return"),
            ("view_opcc_only", "Can see OPCC-only review comments"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.return_of}"
