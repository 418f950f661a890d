"""Fixtures for the reviews app.

The quarterly review: a year with its columns, a project and returns in each state.
The annex: the project's own copy of the 2015-16 annex, imported.
"""

import copy
import json
from decimal import Decimal

import pytest
from django.utils import timezone

from returns.models import FinancialYear, Indicator, Project, Return, SectionStatus
from returns.services import return_start
from reviews.annex.importer import validate
from reviews.demo import DEMO_ANNEX
from reviews.models import Annex, AnnexColumn, FlagType
from reviews.reference import ensure_flag_types
from reviews.services.annex import annex_import

COLUMN_KEYS = ["alignment", "performance", "innovation", "community", "marketing"]


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


@pytest.fixture(scope="session")
def seed_json():
    return json.loads(DEMO_ANNEX.read_text(encoding="utf-8"))


@pytest.fixture
def seed_data(seed_json):
    """A copy each test may change."""
    return copy.deepcopy(seed_json)


@pytest.fixture
def annex_2015(west_midlands, seed_json):
    annex_import(spec=validate(seed_json))
    return Annex.objects.select_related("financial_year").get(financial_year__label="2015-16")


def printed_cells(seed):
    """(borough index, row index, column index, text) for every non-empty cell of an annex file."""
    for b, borough in enumerate(seed["boroughs"]):
        for r, row in enumerate(borough["rows"]):
            for c, key in enumerate(COLUMN_KEYS):
                text = row["cells"].get(key, "")
                if text.strip():
                    yield b, r, c, text


def words(text):
    """Text as a reader sees it: list markers dropped, whitespace collapsed."""
    lines = [line[2:] if line.startswith("- ") else line for line in text.split("\n")]
    return " ".join(" ".join(lines).split())
