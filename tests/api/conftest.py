"""Fixtures for the read-only API: each persona's token and a world of two boroughs' data.

Birmingham (alice's) and Coventry (bob's) each have a project with an indicator, a submitted Q1 return with an
actual, a draft Q2 return, a shared flag; Birmingham also has an OPCC-only flag carrying MARKER. The 2026-27
annex has one published version.
"""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from boroughs.accounts.tokens import issue_token
from returns.models import FinancialYear, IndicatorActual, Return
from reviews.models import Annex, AnnexColumn, AnnexVersion, Flag, FlagType, Visibility
from reviews.reference import ensure_flag_types
from tests.reviews.conftest import make_project, make_return

MARKER = "Quokka7f3e"  # in every piece of OPCC-only text here; no officer's response may hold it


def bearer(whole):
    return {"Authorization": f"Bearer {whole}"}


class Api:
    """A test client speaking to /api/ with one token."""

    def __init__(self, client, whole):
        self.client, self.headers = client, bearer(whole) if whole else {}

    def get(self, path, **params):
        return self.client.get(f"/api/{path}", params, headers=self.headers)


@pytest.fixture
def api(client):
    """api(user) -> an Api client with a fresh token of that user's; api(None) -> no token at all."""

    def make(user):
        return Api(client, issue_token(user=user, name="Tests")[1] if user else None)

    return make


@pytest.fixture
def year(db):
    year, _ = FinancialYear.get_or_create_for_start(2026)
    year.ensure_periods()
    AnnexColumn.ensure_for_year(year)
    ensure_flag_types(FlagType)
    return year


def flag(return_, *, by, visibility=Visibility.SHARED, note="Missing evidence of outcomes."):
    column = AnnexColumn.objects.for_year(return_.period.year).first()
    return Flag.objects.create(
        borough=return_.borough,
        period=return_.period,
        flag_type=FlagType.objects.first(),
        column=column,
        note=note,
        visibility=visibility,
        raised_by=by,
    )


def report(return_, value):
    """An actual for every indicator of the return's projects."""
    for update in return_.project_updates.all():
        for indicator in update.project.indicators.all():
            IndicatorActual.objects.create(update=update, indicator=indicator, value=Decimal(value))


@pytest.fixture
def world(year, birmingham, coventry, alice, bob, rita):
    q1, q2, _q3, _q4 = year.ensure_periods()
    brum_project, cov_project = make_project(birmingham), make_project(coventry, "Knife crime education")
    brum_q1, cov_q1 = make_return(birmingham, q1, by=alice), make_return(coventry, q1, by=bob)
    brum_q2 = make_return(birmingham, q2, status=Return.Status.DRAFT, by=alice)
    cov_q2 = make_return(coventry, q2, status=Return.Status.DRAFT, by=bob)
    report(brum_q1, "41.50")
    report(cov_q1, "12")
    annex = Annex.objects.create(financial_year=year, title=Annex.default_title(year))
    version = AnnexVersion.objects.create(
        annex=annex, number=1, meeting_date=date(2027, 7, 12), published_by=rita, snapshot={"boroughs": []}
    )
    return SimpleNamespace(
        q1=q1,
        q2=q2,
        brum_project=brum_project,
        cov_project=cov_project,
        brum_indicator=brum_project.indicators.get(),
        cov_indicator=cov_project.indicators.get(),
        brum_q1=brum_q1,
        brum_q2=brum_q2,
        cov_q1=cov_q1,
        cov_q2=cov_q2,
        brum_flag=flag(brum_q1, by=rita),
        brum_secret=flag(brum_q1, by=rita, visibility=Visibility.OPCC_ONLY, note=f"{MARKER} weak evidence"),
        cov_flag=flag(cov_q1, by=rita),
        version=version,
    )
