from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import dateformat, timezone
from simple_history.models import HistoricalRecords

from boroughs.locking import Versioned
from boroughs.models import Borough, borough_scope

MONEY = {"max_digits": 12, "decimal_places": 2}
# Long enough for a thorough answer, short enough that a stray 100,000-character paste is refused
# with a message rather than stored. Forms state these limits to the user.
NARRATIVE_MAX = 5000
SHORT_TEXT_MAX = 200


class FinancialYear(models.Model):
    """A UK financial year, 1 April to 31 March, labelled like "2015-16".

    A year is *open* once it has its reporting periods, which only an OPCC admin's "open the year"
    (returns/services/years.py), the demo or the annex import create: never a page load. It is *closed*
    once its annex is published and an admin closes it (reviews/services/years.py): then its periods are
    closed too, and its returns and roll-ups cannot change.
    """

    label = models.CharField(max_length=7, unique=True, help_text="For example 2015-16.")
    start_date = models.DateField()
    end_date = models.DateField()
    closed_at = models.DateTimeField(
        null=True, blank=True, help_text="Once closed, the year's returns and roll-ups cannot be changed."
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-start_date"]
        permissions = [("manage_years", "Can open and close financial years")]

    def __str__(self):
        return self.label

    @staticmethod
    def label_for_start(year):
        return f"{year}-{(year + 1) % 100:02d}"

    @classmethod
    def get_or_create_for_start(cls, year):
        return cls.objects.get_or_create(
            label=cls.label_for_start(year),
            defaults={"start_date": date(year, 4, 1), "end_date": date(year + 1, 3, 31)},
        )

    @classmethod
    def get_or_create_for_label(cls, label):
        """ "2015-16" -> the year starting 1 April 2015. Raises ValueError for a malformed label."""
        start, _, end = label.partition("-")
        if not (start.isdigit() and end.isdigit() and len(start) == 4 and len(end) == 2):
            raise ValueError(f"{label!r} is not a financial year like 2015-16")
        if (int(start) + 1) % 100 != int(end):
            raise ValueError(f"{label!r} is not a financial year like 2015-16")
        return cls.get_or_create_for_start(int(start))

    @classmethod
    def start_year_for(cls, day):
        return day.year if day.month >= 4 else day.year - 1

    @classmethod
    def opened(cls):
        """Years an admin has opened (they have periods), newest first."""
        return cls.objects.filter(periods__isnull=False).distinct()

    @classmethod
    def current(cls, today=None):
        """The open year covering today, or None. A pure read: page loads never create years or periods."""
        today = today or timezone.localdate()
        return cls.opened().filter(start_date__lte=today, end_date__gte=today).first()

    @property
    def start_year(self):
        return self.start_date.year

    @property
    def is_closed(self):
        return self.closed_at is not None

    def close(self, *, by):
        if self.is_closed:
            raise ValidationError(f"{self.label} is already closed.")
        self.closed_at, self.closed_by = timezone.now(), by

    def ensure_periods(self):
        """The year's four quarters, created with default dates if missing.

        For the open-year service's callers that already hold the year (the demo, tests): never a page.
        """
        existing = {p.quarter: p for p in self.periods.all()}
        for quarter in ReportingPeriod.Quarter:
            if quarter not in existing:
                existing[quarter] = ReportingPeriod.objects.create(
                    year=self, quarter=quarter, **ReportingPeriod.default_dates(self, quarter)
                )
        return [existing[q] for q in sorted(existing)]


class ReportingPeriod(models.Model):
    """A UK financial quarter in which every active borough files one return."""

    class Quarter(models.IntegerChoices):
        Q1 = 1, "Q1 (April to June)"
        Q2 = 2, "Q2 (July to September)"
        Q3 = 3, "Q3 (October to December)"
        Q4 = 4, "Q4 (January to March)"

    DEFAULT_DAYS_TO_FILE = 30

    year = models.ForeignKey(FinancialYear, on_delete=models.PROTECT, related_name="periods")
    quarter = models.PositiveSmallIntegerField(choices=Quarter)
    start_date = models.DateField()
    end_date = models.DateField()
    opens_on = models.DateField(help_text="Officers can start the return from this date.")
    due_on = models.DateField(help_text="Returns are due by the end of this day.")
    closed_at = models.DateTimeField(
        null=True, blank=True, help_text="Once closed, no return of this period can be started or changed."
    )
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["year__start_date", "quarter"]
        constraints = [models.UniqueConstraint(fields=["year", "quarter"], name="one_period_per_quarter")]
        permissions = [("manage_periods", "Can set due dates and extensions")]

    def __str__(self):
        return f"{self.year.label} Q{self.quarter}"

    @property
    def short_label(self):
        return f"Q{self.quarter} {self.year.label}"

    @classmethod
    def default_dates(cls, year, quarter):
        # Q1 starts in April; Q4 runs January to March of the following calendar year.
        first_month = 4 + 3 * (quarter - 1)
        start = date(year.start_date.year + (first_month - 1) // 12, (first_month - 1) % 12 + 1, 1)
        next_month = first_month + 3
        end = date(year.start_date.year + (next_month - 1) // 12, (next_month - 1) % 12 + 1, 1) - timedelta(days=1)
        return {
            "start_date": start,
            "end_date": end,
            # Opening on the quarter's last day lets officers prepare before it closes.
            "opens_on": end,
            "due_on": end + timedelta(days=cls.DEFAULT_DAYS_TO_FILE),
        }

    def is_open(self, today=None):
        return self.closed_at is None and (today or timezone.localdate()) >= self.opens_on

    @property
    def is_closed(self):
        return self.closed_at is not None

    def close(self, *, by):
        if self.is_closed:
            raise ValidationError(f"{self.short_label} is already closed.")
        self.closed_at, self.closed_by = timezone.now(), by

    def reopen(self):
        if not self.is_closed:
            raise ValidationError(f"{self.short_label} is not closed.")
        if self.year.is_closed:
            raise ValidationError(f"{self.year.label} is closed, so its periods cannot be reopened.")
        self.closed_at, self.closed_by = None, None

    def previous(self):
        return ReportingPeriod.objects.filter(start_date__lt=self.start_date).order_by("-start_date").first()


class PeriodExtension(models.Model):
    """A later due date for one borough, with the reason the OPCC agreed it."""

    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="extensions")
    borough = models.ForeignKey(Borough, on_delete=models.CASCADE, related_name="extensions")
    due_on = models.DateField("New due date")
    reason = models.TextField(max_length=1000)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["period", "borough"], name="one_extension_per_borough")]

    def __str__(self):
        return f"{self.borough} {self.period}: {self.due_on}"


class Plan(models.Model):
    """A Police and Crime Plan, covering one or more financial years."""

    name = models.CharField(max_length=200)
    years = models.ManyToManyField(FinancialYear, related_name="plans", blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class PlanPriorityQuerySet(models.QuerySet):
    def for_year(self, year):
        if year is None:  # no open year: no plan applies (not "the plans linked to no year")
            return self.none()
        return self.filter(plan__years=year).distinct()


class PlanPriority(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="priorities")
    name = models.CharField(max_length=SHORT_TEXT_MAX)
    order = models.PositiveSmallIntegerField(default=0)

    objects = PlanPriorityQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "order", "name"]
        verbose_name_plural = "plan priorities"
        constraints = [models.UniqueConstraint(fields=["plan", "name"], name="priority_name_unique_in_plan")]

    def __str__(self):
        return self.name


class ProjectQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(borough_scope(user))

    def active(self):
        return self.filter(status=Project.Status.ACTIVE)

    def carried_into(self, year):
        """Active projects a return of `year` reports on: those funded in that year, or in no year yet.

        An admin opening a year records which projects continue into it (ProjectYear); a project added
        during a year has no such record and is carried while it is active.
        """
        return self.filter(Project.carried_into_q(year))


class Project(Versioned):
    """A piece of work a partnership funds from the Community Safety Fund."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        CLOSED = "closed", "Closed"
        # Finished at a year's end: not continued into the next year, or a past annex's row (history).
        COMPLETED = "completed", "Completed"

    borough = models.ForeignKey(Borough, on_delete=models.PROTECT, related_name="projects")
    name = models.CharField(max_length=SHORT_TEXT_MAX)
    delivery_partner = models.CharField(max_length=SHORT_TEXT_MAX, blank=True)
    description = models.TextField(blank=True, max_length=NARRATIVE_MAX)
    priorities = models.ManyToManyField(PlanPriority, blank=True, related_name="projects")
    csf_allocation = models.DecimalField(
        "Community Safety Fund allocation for the year", **MONEY, default=Decimal(0), validators=[MinValueValidator(0)]
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.ACTIVE)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = ProjectQuerySet.as_manager()

    history = HistoricalRecords(m2m_fields=[priorities])

    class Meta:
        ordering = ["borough__name", "name"]
        constraints = [models.UniqueConstraint(fields=["borough", "name"], name="project_name_unique_in_borough")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("project_detail", args=[self.borough.slug, self.pk])

    @staticmethod
    def carried_into_q(year):
        """ProjectQuerySet.carried_into's rule as a condition on the project's own row, so a page can combine it
        with others in one filter (the thematic view): as `pk__in` a subquery of its own, it read every project
        of every year once more (a fifth of that view's main query at 300 boroughs)."""
        funded_in_year = ProjectYear.objects.filter(project=models.OuterRef("pk"), financial_year=year)
        funded_at_all = ProjectYear.objects.filter(project=models.OuterRef("pk"))
        return models.Q(status=Project.Status.ACTIVE) & (models.Exists(funded_in_year) | ~models.Exists(funded_at_all))


class ProjectYear(models.Model):
    """A project funded in a financial year, with that year's allocation.

    Written when an admin opens a year: each continued project gets a row for the new year (and one
    for the year it continues from). A project's returns are those of its years (ProjectQuerySet.carried_into).
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="funded_years")
    financial_year = models.ForeignKey(FinancialYear, on_delete=models.PROTECT, related_name="funded_projects")
    csf_allocation = models.DecimalField(
        "Community Safety Fund allocation for the year", **MONEY, default=Decimal(0), validators=[MinValueValidator(0)]
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["financial_year__start_date", "project"]
        constraints = [
            models.UniqueConstraint(fields=["project", "financial_year"], name="one_project_year_per_project")
        ]

    def __str__(self):
        return f"{self.project} {self.financial_year}"


class MatchFundingQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(borough_scope(user, "project__borough"))


class MatchFunding(Versioned):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="match_funding")
    source = models.CharField(max_length=SHORT_TEXT_MAX)
    amount = models.DecimalField(**MONEY, validators=[MinValueValidator(0)])

    objects = MatchFundingQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name_plural = "match funding"

    def __str__(self):
        return f"{self.source}: £{self.amount}"


class Rag(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"

    @classmethod
    def worst(cls, rags):
        """A project is only as green as its weakest indicator; None when nothing is reported yet."""
        for rag in (cls.RED, cls.AMBER, cls.GREEN):
            if rag in rags:
                return rag
        return None


class IndicatorQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(borough_scope(user, "project__borough"))


class Indicator(Versioned):
    """A measure a project reports each quarter, with the targets it is judged against."""

    class Unit(models.TextChoices):
        COUNT = "count", "Count"
        PERCENT = "percent", "Percentage"
        POUNDS = "pounds", "Pounds (£)"
        HOURS = "hours", "Hours"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(max_length=SHORT_TEXT_MAX)
    unit = models.CharField(max_length=10, choices=Unit, default=Unit.COUNT)
    baseline = models.DecimalField(**MONEY, null=True, blank=True)
    minimum_target = models.DecimalField(**MONEY)
    aspirational_target = models.DecimalField(**MONEY)
    higher_is_better = models.BooleanField(default=True)

    objects = IndicatorQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "pk"]

    def __str__(self):
        return self.name

    @property
    def is_cumulative(self):
        # Counts, money and hours add up over the year; a percentage is a rate, so it does not.
        return self.unit != self.Unit.PERCENT

    def year_to_date(self, values):
        values = [v for v in values if v is not None]
        if not values:
            return None
        total = sum(values, Decimal(0))
        return total if self.is_cumulative else (total / len(values)).quantize(Decimal("0.01"))

    def rag_for(self, value, quarter):
        """Red below the minimum target, amber up to the aspirational one, green at or beyond it.

        Cumulative targets are for the whole year, so the year-to-date `value` is compared with
        the share of the target due by the end of `quarter`.
        """
        if value is None:
            return None
        share = Decimal(quarter) / 4 if self.is_cumulative else Decimal(1)
        minimum, aspiration = self.minimum_target * share, self.aspirational_target * share
        if not self.higher_is_better:
            value, minimum, aspiration = -value, -minimum, -aspiration
        if value >= aspiration:
            return Rag.GREEN
        if value >= minimum:
            return Rag.AMBER
        return Rag.RED

    def format_value(self, value):
        if value is None:
            return ""
        text = f"{value.normalize():f}" if value == value.to_integral() else f"{value:.2f}"
        if self.unit == self.Unit.PERCENT:
            return f"{text}%"
        if self.unit == self.Unit.POUNDS:
            return f"£{value:,.2f}"
        if self.unit == self.Unit.HOURS:
            return f"{text} hours"
        return text


class ReturnQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(borough_scope(user))

    def with_snapshot(self):
        """The returns with their snapshot, which `Return.objects` leaves out: for the pages of one return."""
        return self.defer(None)


class ReturnManager(models.Manager.from_queryset(ReturnQuerySet)):
    def get_queryset(self):
        # A submitted return's snapshot is everything it reported, about 13 KB of JSON, read and decoded with every
        # Return loaded: a list of returns (search, the bulk views, the officer's dashboard) never shows it, so it is
        # left out unless asked for (with_snapshot); read from an instance without it, it is fetched then.
        return super().get_queryset().defer("snapshot")


class Return(models.Model):
    """One borough's report for one quarter."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        # The review moves returns through these; officers may edit again only in CHANGES_REQUESTED.
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        RESUBMITTED = "resubmitted", "Resubmitted"
        ACCEPTED = "accepted", "Accepted"

    EDITABLE = frozenset({Status.DRAFT, Status.CHANGES_REQUESTED})
    # With the OPCC: pages show the return as submitted (its snapshot), whatever happens to the live projects.
    FROZEN = frozenset({Status.SUBMITTED, Status.RESUBMITTED, Status.ACCEPTED})
    # Allowed moves, by method: the officer submits, the review requests changes, accepts or reopens.
    TRANSITIONS = {
        "submit": {Status.DRAFT: Status.SUBMITTED, Status.CHANGES_REQUESTED: Status.RESUBMITTED},
        "request_changes": {Status.SUBMITTED: Status.CHANGES_REQUESTED, Status.RESUBMITTED: Status.CHANGES_REQUESTED},
        "accept": {Status.SUBMITTED: Status.ACCEPTED, Status.RESUBMITTED: Status.ACCEPTED},
        # Reopening sends an accepted return back to the officer, with the admin's reason.
        "reopen": {Status.ACCEPTED: Status.CHANGES_REQUESTED},
    }

    borough = models.ForeignKey(Borough, on_delete=models.PROTECT, related_name="returns")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="returns")
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    alignment_statement = models.TextField(blank=True, max_length=NARRATIVE_MAX)
    priorities = models.ManyToManyField(PlanPriority, blank=True, related_name="returns")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    # What the return reported when last submitted, as JSON (overview.take_snapshot): project names, partners,
    # allocations, indicator targets, actuals and RAG, logs. Written only by services.return_submit.
    snapshot = models.JSONField(null=True, blank=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)

    objects = ReturnManager()

    # The snapshot is a copy of rows that keep their own history; earlier ones stay on reviews' decisions.
    history = HistoricalRecords(m2m_fields=[priorities], excluded_fields=["snapshot"])

    class Meta:
        ordering = ["-period__start_date", "borough__name"]
        constraints = [models.UniqueConstraint(fields=["borough", "period"], name="one_return_per_borough_period")]
        permissions = [("file_return", "Can start, edit and submit their borough's returns")]

    def __str__(self):
        return f"{self.borough} {self.period}"

    def get_absolute_url(self):
        return reverse("return_detail", args=[self.pk])

    @property
    def is_editable(self):
        return self.status in self.EDITABLE and not self.period.is_closed

    @property
    def is_frozen(self):
        """Pages show the snapshot, not live data. (A return submitted before snapshots existed has none.)"""
        return self.status in self.FROZEN and self.snapshot is not None

    @property
    def lock_reason(self):
        """Why the borough can no longer change this return, in words for the officer; None while it can."""
        if self.period.is_closed:
            period = self.period
            by = f" by {_name(period.closed_by)}" if period.closed_by_id else ""
            when = _when(period.closed_at)
            return f"{period.short_label} was closed{by} at {when} – its returns can no longer be changed."
        if self.status in self.EDITABLE:
            return None
        if self.submitted_at:
            verb = "Resubmitted" if self.status == self.Status.RESUBMITTED else "Submitted"
            by = f" by {_name(self.submitted_by)}" if self.submitted_by_id else ""
            accepted = " and accepted by the OPCC" if self.status == self.Status.ACCEPTED else ""
            return f"{verb}{by} at {_when(self.submitted_at)}{accepted} – it can no longer be changed."
        return f"This return is {self.get_status_display().lower()} – it can no longer be changed."

    def ensure_editable(self):
        reason = self.lock_reason
        if reason:
            raise ReturnLocked(reason)

    def _move(self, transition):
        # A closed year's returns are the record: no decision moves them (its periods are closed too,
        # which is what is_editable checks).
        if self.period_id and self.period.year.is_closed:
            raise IllegalTransition(f"{self.period.year.label} is closed: its returns cannot change.")
        target = self.TRANSITIONS[transition].get(self.status)
        if target is None:
            raise IllegalTransition(f"Cannot {transition} a return that is {self.get_status_display().lower()}.")
        self.status = target

    def submit(self, *, by):
        self._move("submit")
        self.submitted_by = by
        self.submitted_at = timezone.now()

    # Who decided and why is recorded by reviews.Decision; these only guard the status.
    def request_changes(self):
        self._move("request_changes")

    def accept(self):
        self._move("accept")

    def reopen(self):
        self._move("reopen")


def _name(user):
    return user.get_full_name() or user.username


def _when(moment):
    """'3:04pm on 5 August 2026' (GOV.UK style, not Django's 'p.m.'), in the service's time zone."""
    local = timezone.localtime(moment)
    return f"{dateformat.format(local, 'g:i')}{dateformat.format(local, 'A').lower()} on {local:%-d %B %Y}"


class IllegalTransition(ValidationError):
    """A status change the return's current status does not allow."""


class ReturnLocked(IllegalTransition):
    """An edit to a return the borough may no longer change: sent to the OPCC, or in a closed period."""


class SectionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"


class ReturnScopedQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(return_in_scope(user))


def return_in_scope(user):
    return borough_scope(user, "return_of__borough")


class ReturnSection(Versioned):
    """The state of one of a return's fixed sections (the projects each have their own)."""

    class Key(models.TextChoices):
        ALIGNMENT = "alignment", "Alignment to the Police and Crime Plan"
        RISKS = "risks", "Risks"
        COMMUNITY = "community", "Community engagement"
        OPCC = "opcc", "Engagement with the OPCC and marketing"
        EVIDENCE = "evidence", "Evidence"

    return_of = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(max_length=20, choices=Key)
    status = models.CharField(max_length=20, choices=SectionStatus, default=SectionStatus.NOT_STARTED)
    updated = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    objects = ReturnScopedQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["return_of", "key"], name="one_section_per_key")]

    def __str__(self):
        return self.get_key_display()


class ProjectUpdate(Versioned):
    """What a return says about one project this quarter."""

    return_of = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="project_updates")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="updates")
    status = models.CharField(max_length=20, choices=SectionStatus, default=SectionStatus.NOT_STARTED)
    activity = models.TextField("Activity this quarter", blank=True, max_length=NARRATIVE_MAX)
    outcomes = models.TextField("Outcomes achieved", blank=True, max_length=NARRATIVE_MAX)
    spend = models.DecimalField("Spend this quarter", **MONEY, null=True, blank=True)
    # The officer's estimate for the quarters still to come; with spend to date it gives the forecast outturn.
    expected_spend = models.DecimalField(
        "Expected spend for the rest of the year", **MONEY, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    rag_override = models.CharField("Your RAG rating", max_length=10, choices=Rag, blank=True)
    rag_reason = models.TextField("Why you rated it differently", blank=True, max_length=1000)
    updated = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    objects = ReturnScopedQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["project__name"]
        constraints = [models.UniqueConstraint(fields=["return_of", "project"], name="one_update_per_project")]

    def __str__(self):
        return f"{self.project} in {self.return_of}"


class IndicatorActual(models.Model):
    update = models.ForeignKey(ProjectUpdate, on_delete=models.CASCADE, related_name="actuals")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="actuals")
    value = models.DecimalField(**MONEY, null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["update", "indicator"], name="one_actual_per_indicator")]

    def __str__(self):
        return f"{self.indicator_id}: {self.value}"


class Risk(Versioned):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    return_of = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="risks")
    description = models.TextField(max_length=1000)
    project = models.ForeignKey(Project, on_delete=models.SET_NULL, null=True, blank=True, related_name="risks")
    likelihood = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    impact = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    mitigation = models.TextField(max_length=NARRATIVE_MAX)
    owner = models.CharField(max_length=SHORT_TEXT_MAX)
    status = models.CharField(max_length=10, choices=Status, default=Status.OPEN)

    objects = ReturnScopedQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.description[:80]

    @property
    def score(self):
        return self.likelihood * self.impact

    @property
    def band(self):
        # The usual 5×5 matrix: 1–4 low, 5–12 medium, 15–25 high.
        if self.score >= 15:
            return "High"
        if self.score >= 5:
            return "Medium"
        return "Low"


class CommunityEngagement(Versioned):
    return_of = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="community_engagements")
    date = models.DateField()
    title = models.CharField(max_length=SHORT_TEXT_MAX)
    description = models.TextField(max_length=NARRATIVE_MAX)
    people_reached = models.PositiveIntegerField("Number of people reached")
    partners = models.CharField(max_length=500, blank=True)

    objects = ReturnScopedQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "pk"]

    def __str__(self):
        return self.title


class OpccEngagement(Versioned):
    class Pcc(models.TextChoices):
        PCC_ATTENDED = "pcc_attended", "The PCC attended"
        DEPUTY_ATTENDED = "deputy_attended", "The Deputy PCC attended"
        INVITED = "invited", "Invited, but did not attend"
        NOT_INVITED = "not_invited", "Not invited"

    return_of = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="opcc_engagements")
    date = models.DateField()
    what = models.TextField("What happened", max_length=1000)
    pcc_involvement = models.CharField("PCC or Deputy PCC", max_length=20, choices=Pcc)
    logo_used = models.BooleanField("PCC logo used", default=False)

    objects = ReturnScopedQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "pk"]

    def __str__(self):
        return self.what[:80]


def evidence_path(instance, filename):
    # The stored name carries no user input beyond the extension we chose, so it cannot collide or traverse.
    return f"evidence/{instance.return_of.borough_id}/{instance.return_of_id}/{instance.uuid}.{instance.extension}"


class Evidence(models.Model):
    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word document"
        XLSX = "xlsx", "Excel spreadsheet"
        CSV = "csv", "CSV"
        PNG = "png", "PNG image"
        JPEG = "jpeg", "JPEG image"

    CONTENT_TYPES = {
        Kind.PDF: "application/pdf",
        Kind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Kind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        Kind.CSV: "text/csv",
        Kind.PNG: "image/png",
        Kind.JPEG: "image/jpeg",
    }
    MAX_BYTES = 10 * 1024 * 1024

    uuid = models.UUIDField(unique=True)
    return_of = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="evidence")
    project = models.ForeignKey(Project, on_delete=models.SET_NULL, null=True, blank=True, related_name="evidence")
    file = models.FileField(upload_to=evidence_path, max_length=300)
    original_name = models.CharField(max_length=255)
    kind = models.CharField(max_length=10, choices=Kind)
    size = models.PositiveIntegerField()
    description = models.CharField(max_length=SHORT_TEXT_MAX, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = ReturnScopedQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name_plural = "evidence"

    def __str__(self):
        return self.original_name

    @property
    def extension(self):
        return "jpg" if self.kind == self.Kind.JPEG else self.kind

    @property
    def content_type(self):
        return self.CONTENT_TYPES[self.kind]


# Defined in its own module to keep this one readable; imported here so Django finds it.
from .imports.models import SpreadsheetImport  # noqa: E402, F401
