"""Every model the History tabs speak of keeps its changes: who, when, before and after."""

from datetime import date
from decimal import Decimal

import pytest
from simple_history.models import registered_models

from boroughs.reference import ensure_west_midlands
from returns.models import (
    CommunityEngagement,
    Evidence,
    FinancialYear,
    Indicator,
    IndicatorActual,
    MatchFunding,
    OpccEngagement,
    PeriodExtension,
    Project,
    ProjectUpdate,
    ReportingPeriod,
    Return,
    ReturnSection,
    Risk,
)
from reviews.models import (
    Annex,
    AnnexColumn,
    BoroughRollUp,
    ColumnCommentary,
    Flag,
    ProjectCommentary,
    RollUpCell,
    RollUpRow,
)

TRACKED = {
    ReportingPeriod,
    PeriodExtension,
    Project,
    MatchFunding,
    Indicator,
    Return,
    ReturnSection,
    ProjectUpdate,
    IndicatorActual,
    Risk,
    CommunityEngagement,
    OpccEngagement,
    Evidence,
    ColumnCommentary,
    ProjectCommentary,
    Flag,
    AnnexColumn,
    Annex,
    BoroughRollUp,
    RollUpRow,
    RollUpCell,
}


def test_every_model_named_in_the_history_requirement_is_tracked():
    tracked = {model for model in registered_models.values() if model._meta.app_label in ("returns", "reviews")}
    assert tracked >= TRACKED


@pytest.fixture
def world(db, django_user_model):
    from boroughs.models import Borough

    ensure_west_midlands(Borough)
    year, _ = FinancialYear.get_or_create_for_start(2026)
    period = year.ensure_periods()[0]
    borough = Borough.objects.get(slug="birmingham")
    project = Project.objects.create(borough=borough, name="Business crime", csf_allocation=Decimal("1000"))
    return_ = Return.objects.create(borough=borough, period=period)
    return {"year": year, "period": period, "borough": borough, "project": project, "return": return_}


def change(obj, **values):
    for name, value in values.items():
        setattr(obj, name, value)
    obj.save()
    newest, previous = type(obj).history.filter(id=obj.pk).order_by("-history_id")[:2]
    return {c.field: (c.old, c.new) for c in newest.diff_against(previous).changes}


@pytest.mark.parametrize(
    ("make", "edit", "field", "before", "after"),
    [
        (lambda w: w["project"], {"delivery_partner": "Facewatch"}, "delivery_partner", "", "Facewatch"),
        (
            lambda w: Indicator.objects.create(
                project=w["project"], name="Reports", minimum_target=1, aspirational_target=9
            ),
            {"minimum_target": Decimal("5")},
            "minimum_target",
            Decimal("1"),
            Decimal("5"),
        ),
        (
            lambda w: MatchFunding.objects.create(project=w["project"], source="BID", amount=Decimal("10")),
            {"amount": Decimal("20")},
            "amount",
            Decimal("10"),
            Decimal("20"),
        ),
        (
            lambda w: PeriodExtension.objects.create(
                period=w["period"], borough=w["borough"], due_on=date(2026, 8, 30), reason="Outage"
            ),
            {"due_on": date(2026, 9, 6)},
            "due_on",
            date(2026, 8, 30),
            date(2026, 9, 6),
        ),
        (
            lambda w: CommunityEngagement.objects.create(
                return_of=w["return"], date=date(2026, 5, 1), title="Road show", description="x", people_reached=40
            ),
            {"people_reached": 55},
            "people_reached",
            40,
            55,
        ),
        (
            lambda w: OpccEngagement.objects.create(
                return_of=w["return"], date=date(2026, 5, 2), what="Launch", pcc_involvement="invited"
            ),
            {"logo_used": True},
            "logo_used",
            False,
            True,
        ),
        (
            lambda w: Annex.objects.create(financial_year=w["year"], title="Outcome Reporting"),
            {"title": "Outcome Reporting 2026-27"},
            "title",
            "Outcome Reporting",
            "Outcome Reporting 2026-27",
        ),
        (
            lambda w: BoroughRollUp.objects.create(borough=w["borough"], financial_year=w["year"]),
            {"position": 3},
            "position",
            0,
            3,
        ),
    ],
)
def test_a_change_is_recorded_with_before_and_after(world, make, edit, field, before, after):
    obj = make(world)
    assert obj.history.filter(history_type="+").count() == 1
    assert change(obj, **edit)[field] == (before, after)


def test_rollup_cells_and_rows_are_recorded(world):
    rollup = BoroughRollUp.objects.create(borough=world["borough"], financial_year=world["year"])
    AnnexColumn.ensure_for_year(world["year"])
    column = AnnexColumn.objects.for_year(world["year"]).first()
    row = RollUpRow.objects.create(rollup=rollup, project=world["project"], position=1)
    cell = RollUpCell.objects.create(rollup=rollup, row=row, column=column, text="Before")
    assert change(cell, text="After")["text"] == ("Before", "After")
    assert change(row, hidden=True, hidden_reason="Not CSF funded")["hidden"] == (False, True)
