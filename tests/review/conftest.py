"""Fixtures for the quarterly review: a year with its columns, a project and returns in each state."""

from decimal import Decimal

import pytest
from django.utils import timezone

from returns.models import FinancialYear, Indicator, Project, Return, SectionStatus
from returns.services import return_start
from reviews.models import AnnexColumn, FlagType
from reviews.review_reference import ensure_flag_types


@pytest.fixture
def year(db):
    year, _ = FinancialYear.get_or_create_for_start(2026)
    year.ensure_periods()
    AnnexColumn.ensure_for_year(year)
    ensure_flag_types(FlagType)
    return year


@pytest.fixture
def periods(year):
    return year.ensure_periods()


@pytest.fixture
def columns(year):
    return {c.key: c for c in AnnexColumn.objects.for_year(year)}


def make_project(borough, name="Domestic abuse advocacy"):
    project = Project.objects.create(
        borough=borough, name=name, description="Advocates for victims.", csf_allocation=Decimal("25000")
    )
    Indicator.objects.create(project=project, name="Referrals", minimum_target=100, aspirational_target=150)
    return project


def make_return(borough, period, *, status=Return.Status.SUBMITTED, by=None):
    """A return with every section complete, moved straight to `status` (the review starts from there)."""
    return_ = return_start(borough=borough, period=period, by=by)
    return_.sections.update(status=SectionStatus.COMPLETED)
    return_.project_updates.update(status=SectionStatus.COMPLETED, activity="Ran 12 sessions.")
    return_.alignment_statement = "Supports the Plan's domestic abuse priority."
    return_.status = status
    if status != Return.Status.DRAFT:
        return_.submitted_by, return_.submitted_at = by, timezone.now()
    return_.save()
    return return_


@pytest.fixture
def project(birmingham):
    return make_project(birmingham)


@pytest.fixture
def submitted(birmingham, periods, project, alice):
    return make_return(birmingham, periods[0], by=alice)
