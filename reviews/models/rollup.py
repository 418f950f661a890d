"""The annual roll-up: a borough's year in the annex, one cell of text per column and one row per project.

The roll-up is the one source of truth for the annex: the roll-up page edits it, the preview, the
exports and the published versions are made from it.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from boroughs.locking import Versioned
from boroughs.models import Borough, borough_scope
from returns.models import FinancialYear, Project

# The columns of the annex as the OPCC has used them since 2015-16. A new year starts from these
# (or from the year before); after that they are edited as reference data, never read from here.
STANDARD_COLUMNS = [
    ("alignment", "Alignment to Police and Crime Plan", ""),
    ("performance", "Performance: Impact and Risk Assessment", "performance"),
    ("innovation", "Innovation Items/what is exceeding targets", "description"),
    ("community", "Community engagement", "community"),
    ("marketing", "Marketing or engagement with OPCC on projects", ""),
]


class AnnexColumnQuerySet(models.QuerySet):
    def for_year(self, year):
        return self.filter(financial_year=year)


class AnnexColumn(models.Model):
    """One column of a year's annex table. Reference data, ordered and editable per financial year."""

    class Role(models.TextChoices):
        # What a project row puts in this column; at most one column of a year has each role.
        NONE = "", "Annual commentary only"
        PERFORMANCE = "performance", "Project performance and impact assessment"
        DESCRIPTION = "description", "Project name and description"
        COMMUNITY = "community", "Project community-engagement notes"

    financial_year = models.ForeignKey(FinancialYear, on_delete=models.PROTECT, related_name="annex_columns")
    key = models.SlugField(max_length=40, help_text="A short stable name used in imports and exports.")
    heading = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)
    role = models.CharField(max_length=20, choices=Role, default=Role.NONE, blank=True)

    objects = AnnexColumnQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["financial_year", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["financial_year", "key"], name="annex_column_key_unique_in_year"),
            models.UniqueConstraint(
                fields=["financial_year", "role"], condition=~Q(role=""), name="annex_column_role_unique_in_year"
            ),
        ]

    def __str__(self):
        return f"{self.financial_year}: {self.heading}"

    @classmethod
    def ensure_for_year(cls, year):
        """Give a year its columns: a copy of the previous year's, or the standard five."""
        existing = list(cls.objects.for_year(year))
        if existing:
            return existing
        # The latest earlier year that has columns, read in the same query as its columns.
        source_year = (
            cls.objects.filter(financial_year__start_date__lt=year.start_date)
            .order_by("-financial_year__start_date")
            .values("financial_year")[:1]
        )
        template = [
            (c.key, c.heading, c.role) for c in cls.objects.filter(financial_year__in=source_year).order_by("order")
        ] or STANDARD_COLUMNS
        return cls.objects.bulk_create(
            cls(financial_year=year, key=key, heading=heading, role=role, order=index)
            for index, (key, heading, role) in enumerate(template, start=1)
        )


class RollUpQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(borough_scope(user))

    def for_annex(self, annex):
        return self.filter(financial_year_id=annex.financial_year_id)

    def in_annex_order(self):
        return self.select_related("borough").order_by("position", "borough__name")


class BoroughRollUp(models.Model):
    """A borough's year in the annex: the annual text of each column and one row per project."""

    borough = models.ForeignKey(Borough, on_delete=models.PROTECT, related_name="rollups")
    financial_year = models.ForeignKey(FinancialYear, on_delete=models.PROTECT, related_name="rollups")
    # Order of the boroughs in the year's annex; equal positions fall back to alphabetical.
    position = models.PositiveIntegerField(default=0)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = RollUpQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["financial_year", "position", "borough__name"]
        constraints = [
            models.UniqueConstraint(fields=["borough", "financial_year"], name="one_rollup_per_borough_year")
        ]
        verbose_name = "borough roll-up"

    def __str__(self):
        return f"{self.borough} {self.financial_year}"


class RollUpRowQuerySet(models.QuerySet):
    def for_annex(self, annex):
        return self.filter(rollup__financial_year_id=annex.financial_year_id)


class RollUpRow(Versioned):
    """A project's row in the annex table. Its text lives in one RollUpCell per column."""

    rollup = models.ForeignKey(BoroughRollUp, on_delete=models.CASCADE, related_name="rows")
    # Empty for a row that continues the table without naming a project (the 2015-16 annex has some).
    project = models.ForeignKey(Project, on_delete=models.SET_NULL, null=True, blank=True, related_name="rollup_rows")
    position = models.PositiveIntegerField(default=0)
    hidden = models.BooleanField(default=False, help_text="Hidden rows stay in the roll-up but not in the annex.")
    hidden_reason = models.TextField(blank=True, max_length=2000)
    updated = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = RollUpRowQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["rollup", "position", "pk"]
        verbose_name = "roll-up row"

    def __str__(self):
        return f"{self.rollup}: {self.title or 'row'} ({self.position})"

    @property
    def title(self):
        return self.project.name if self.project_id else ""

    def hide(self, *, reason, expected_version, by):
        if not reason.strip():
            raise ValidationError("Give a reason for hiding the row.")
        return self.save_if_version(
            expected_version, hidden=True, hidden_reason=reason.strip(), updated_by=by, updated=timezone.now()
        )

    def show(self, *, expected_version, by):
        return self.save_if_version(
            expected_version, hidden=False, hidden_reason="", updated_by=by, updated=timezone.now()
        )


class RollUpCellQuerySet(models.QuerySet):
    def for_annex(self, annex):
        return self.filter(rollup__financial_year_id=annex.financial_year_id)


class RollUpCell(Versioned):
    """The text of one column: the borough's annual text (no row) or a project row's cell.

    Text keeps its shape as plain text: paragraphs are separated by a blank line and list items
    are lines starting "- ". It is never stored as HTML, so every output escapes it its own way.
    """

    rollup = models.ForeignKey(BoroughRollUp, on_delete=models.CASCADE, related_name="cells")
    row = models.ForeignKey(RollUpRow, on_delete=models.CASCADE, null=True, blank=True, related_name="cells")
    column = models.ForeignKey(AnnexColumn, on_delete=models.PROTECT, related_name="cells")
    text = models.TextField(blank=True, max_length=20000)
    updated = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = RollUpCellQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["rollup", "column"], condition=Q(row__isnull=True), name="one_annual_cell_per_column"
            ),
            models.UniqueConstraint(
                fields=["row", "column"], condition=Q(row__isnull=False), name="one_row_cell_per_column"
            ),
        ]
        verbose_name = "roll-up cell"

    def __str__(self):
        return f"{self.rollup} {self.column.key}"

    @property
    def is_annual(self):
        return self.row_id is None

    def save_text(self, *, text, expected_version, by):
        return self.save_if_version(expected_version, text=text, updated_by=by, updated=timezone.now())
