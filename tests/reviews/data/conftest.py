"""A year in every state for the analysts' data: draft, submitted, accepted and changes requested returns;
open, resolved and OPCC-only flags; risks; both engagement logs; user text that looks like formulas or lists."""

import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from returns.models import CommunityEngagement, IndicatorActual, OpccEngagement, ProjectUpdate, Return, Risk
from reviews.data import build
from reviews.models import AnnexColumn, Decision, Flag, FlagType, Visibility
from tests.reviews.conftest import make_project, make_return

# User text a spreadsheet would run as a formula, one per prefix the guard knows.
FORMULA_TEXT = {
    "activity": "=cmd|' /C calc'!A0",
    "rag_reason": "+1 better than it looks",
    "risk": "@x risk",
    "title": "-2 people",
}
LIST_TEXT = "- first item\n- second item"


@pytest.fixture
def mixed_year(year, periods, birmingham, coventry, alice, bob, rita):
    project = make_project(birmingham, name="Youth violence")
    make_project(coventry, name="Night-time economy")
    q1 = make_return(birmingham, periods[0], status=Return.Status.ACCEPTED, by=alice)
    q2 = make_return(birmingham, periods[1], status=Return.Status.CHANGES_REQUESTED, by=alice)
    q3 = make_return(birmingham, periods[2], status=Return.Status.SUBMITTED, by=alice)
    make_return(birmingham, periods[3], status=Return.Status.DRAFT, by=alice)
    make_return(coventry, periods[0], status=Return.Status.SUBMITTED, by=bob)
    Decision.objects.create(
        return_of=q1, kind=Decision.Kind.ACCEPT, by=rita, from_status="submitted", to_status="accepted"
    )
    Decision.objects.create(
        return_of=q2,
        kind=Decision.Kind.REQUEST_CHANGES,
        by=rita,
        from_status="submitted",
        to_status="changes_requested",
    )
    indicator = project.indicators.get()
    for return_, value, spend in ((q1, 30, "1234.50"), (q2, 10, "800"), (q3, None, None)):
        update = ProjectUpdate.objects.get(return_of=return_, project=project)
        update.spend = Decimal(spend) if spend else None
        update.expected_spend = Decimal("5000")
        update.save()
        IndicatorActual.objects.create(update=update, indicator=indicator, value=value)
    q1_update = ProjectUpdate.objects.get(return_of=q1, project=project)
    q1_update.activity, q1_update.outcomes = FORMULA_TEXT["activity"], LIST_TEXT
    q1_update.rag_override, q1_update.rag_reason = "green", FORMULA_TEXT["rag_reason"]
    q1_update.save()
    Risk.objects.create(
        return_of=q1,
        description=FORMULA_TEXT["risk"],
        project=project,
        likelihood=4,
        impact=4,
        mitigation="Weekly checks",
        owner="CSP manager",
    )
    CommunityEngagement.objects.create(
        return_of=q1,
        date=date(2026, 5, 14),
        title=FORMULA_TEXT["title"],
        description="Street meeting",
        people_reached=40,
    )
    OpccEngagement.objects.create(
        return_of=q1, date=date(2026, 6, 2), what="Launch with the PCC", pcc_involvement="pcc_attended", logo_used=True
    )
    kinds = list(FlagType.objects.all()[:2])
    column = AnnexColumn.objects.for_year(year).first()
    Flag.objects.create(
        borough=birmingham, period=periods[0], flag_type=kinds[0], project=project, note="Open, shared", raised_by=rita
    )
    resolved = Flag.objects.create(
        borough=birmingham, period=periods[0], flag_type=kinds[1], column=column, note="Fixed", raised_by=rita
    )
    resolved.resolve(by=rita, resolution="Evidence sent")
    resolved.save()
    Flag.objects.create(
        borough=coventry,
        period=periods[0],
        flag_type=kinds[0],
        project=coventry.projects.get(),
        note="OPCC-only note",
        visibility=Visibility.OPCC_ONLY,
        raised_by=rita,
    )
    return year


def read_xlsx(year, user):
    return load_workbook(io.BytesIO(build(year, user, "xlsx")[0]))


def read_zip(year, user):
    with zipfile.ZipFile(io.BytesIO(build(year, user, "zip")[0])) as archive:
        return {name: archive.read(name).decode("utf-8-sig") for name in archive.namelist()}


def sheet_rows(worksheet):
    """[{header: cell}] for a sheet read back: the header row, then one dict of cells per row."""
    rows = list(worksheet.iter_rows())
    headers = [cell.value for cell in rows[0]]
    return [dict(zip(headers, row, strict=False)) for row in rows[1:]]
