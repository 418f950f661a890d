from datetime import date

from django.db import models
from django.urls import reverse
from django.utils import timezone

from boroughs.models import Borough


class FinancialYearQuerySet(models.QuerySet):
    def containing(self, day):
        return self.filter(start_date__lte=day, end_date__gte=day)


class FinancialYear(models.Model):
    """A UK financial year, 1 April to 31 March, labelled like "2015-16"."""

    label = models.CharField(max_length=7, unique=True, help_text="For example 2015-16.")
    start_date = models.DateField()
    end_date = models.DateField()

    objects = FinancialYearQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]

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
    def current(cls):
        year, _ = cls.get_or_create_for_start(cls.start_year_for(timezone.localdate()))
        return year


class ProjectQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(borough__in=Borough.objects.for_user(user))

    def active(self):
        return self.filter(status=Project.Status.ACTIVE)


class Project(models.Model):
    """A piece of work a partnership funds from the Community Safety Fund."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        CLOSED = "closed", "Closed"

    borough = models.ForeignKey(Borough, on_delete=models.PROTECT, related_name="projects")
    name = models.CharField(max_length=200)
    delivery_partner = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True, max_length=5000)
    status = models.CharField(max_length=10, choices=Status, default=Status.ACTIVE)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["borough__name", "name"]
        constraints = [models.UniqueConstraint(fields=["borough", "name"], name="project_name_unique_in_borough")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("project_detail", args=[self.borough.slug, self.pk])
