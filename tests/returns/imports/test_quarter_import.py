"""The quarter import's template, preview and apply (services), away from the views."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from boroughs.roles import CSP_OFFICER
from returns.imports.models import SpreadsheetImport
from returns.imports.quarter import INDICATORS, SPEND, check_upload, quarter_preview, quarter_template
from returns.imports.reading import MAX_ROWS, ImportFileError, read_meta
from returns.models import IndicatorActual, ProjectUpdate, ReturnLocked, SectionStatus
from returns.services import EditConflict, project_update_save, return_start
from returns.services.imports import ImportNotApplicable, quarter_apply, quarter_upload
from tests.conftest import make_user

from ..conftest import make_project
from .conftest import fill, row_of, xlsx_upload

YOUTH, BUSINESS = "Youth violence prevention", "Business crime"
REFERRALS, ENGAGED, BUSINESS_REFERRALS = "Referrals received", "Engaged", "Referrals engaged"
FIGURES = {(YOUTH, REFERRALS): 70, (YOUTH, ENGAGED): 62.6, (BUSINESS, BUSINESS_REFERRALS): "1,204"}
SPEND_FIGURES = {YOUTH: (10000, "£5,000.50"), BUSINESS: (0, None)}


def upload_filled(return_, by, **kwargs):
    content = fill(quarter_template(return_), **kwargs)
    return quarter_upload(return_=return_, upload=xlsx_upload(content), by=by)


def actuals_of(return_):
    return {
        (a.update.project.name, a.indicator.name): a.value
        for a in IndicatorActual.objects.filter(update__return_of=return_).select_related(
            "update__project", "indicator"
        )
    }


def spends_of(return_):
    return {u.project.name: (u.spend, u.expected_spend) for u in return_.project_updates.select_related("project")}


# --- The template ----------------------------------------------------------------------------------------


def test_the_template_lists_every_indicator_with_its_targets_and_last_quarter(draft, alice, q1, birmingham):
    earlier = return_start(borough=birmingham, period=q1, by=alice)
    q1_youth = earlier.project_updates.get(project__name=YOUTH)
    referrals = q1_youth.project.indicators.get(name=REFERRALS)
    IndicatorActual.objects.create(update=q1_youth, indicator=referrals, value=Decimal("33"))

    workbook = load_workbook(io.BytesIO(quarter_template(draft)))
    assert workbook.sheetnames == ["How to fill this in", INDICATORS, SPEND, "meta"]
    sheet = workbook[INDICATORS]
    assert [c.value for c in sheet[1]] == [
        "Project",
        "Indicator",
        "Unit",
        "Baseline",
        "Minimum target (year)",
        "Aspirational target (year)",
        "Better when",
        "Last quarter's actual",
        "This quarter's actual",
    ]
    assert sheet.freeze_panes == "A2"
    row = row_of(workbook, INDICATORS, YOUTH, REFERRALS)
    assert [c.value for c in row[2:9]] == ["Count", None, 120, 160, "Higher", 33, None]
    assert row[8].protection.locked is False
    assert row[8].fill.fgColor.rgb.endswith("FFF2CC")
    assert row[1].protection.locked is True
    assert sheet.protection.sheet
    assert row[8].number_format == "#,##0"
    assert len(list(sheet.iter_rows(min_row=2))) == 3
    spend = workbook[SPEND]
    assert [c.value for c in spend[1]][3:] == ["Spend this quarter (£)", "Expected spend for the rest of the year (£)"]
    assert row_of(workbook, SPEND, BUSINESS)[1].value == 40000
    assert workbook["meta"].sheet_state == "veryHidden"


def test_the_template_is_pre_filled_with_what_the_return_holds(draft, alice, youth):
    referrals = youth.project.indicators.get(name=REFERRALS)
    IndicatorActual.objects.create(update=youth, indicator=referrals, value=Decimal("12"))
    ProjectUpdate.objects.filter(pk=youth.pk).update(spend=Decimal("250.50"), expected_spend=Decimal("900"))
    workbook = load_workbook(io.BytesIO(quarter_template(draft)))
    assert row_of(workbook, INDICATORS, YOUTH, REFERRALS)[8].value == 12
    assert [c.value for c in row_of(workbook, SPEND, YOUTH)[3:5]] == [250.5, 900]


def test_an_untouched_template_changes_nothing(draft, alice):
    import_ = upload_filled(draft, alice)
    preview = quarter_preview(import_=import_)
    assert not preview.refused
    assert not preview.problems
    assert not preview.changes
    assert not preview.can_apply


# --- The round trip --------------------------------------------------------------------------------------


def test_the_round_trip_gives_what_the_forms_give(client, draft, alice, bob, coventry, q2, youth):
    # Coventry gets the same projects and fills them in on the forms; Birmingham imports the same figures.
    make_project(
        coventry,
        YOUTH,
        indicators=[(REFERRALS, "count", 120, 160), (ENGAGED, "percent", 60, 75)],
    )
    make_project(coventry, BUSINESS)
    theirs = return_start(borough=coventry, period=q2, by=bob)
    client.force_login(bob)
    for update in theirs.project_updates.select_related("project"):
        fields = {
            f"indicator_{i.pk}": str(FIGURES[(update.project.name, i.name)]) for i in update.project.indicators.all()
        }
        spend, expected = SPEND_FIGURES[update.project.name]
        data = {
            "activity": "",
            "outcomes": "",
            "spend": str(spend),
            "expected_spend": expected or "",
            "rag_override": "",
            "rag_reason": "",
            "version": str(update.version),
            "later": "",
            **fields,
        }
        response = client.post(f"/returns/{theirs.pk}/projects/{update.pk}/", data)
        assert response.status_code == 302, response.content.decode()[:3000]

    import_ = upload_filled(draft, alice, actuals=FIGURES, spend=SPEND_FIGURES)
    preview = quarter_preview(import_=import_)
    assert not preview.problems, [r.problems for r in preview.problems]
    assert len(preview.changes) == 6  # three actuals, two spends, one expected spend
    quarter_apply(import_=import_, by=alice)

    assert actuals_of(draft) == actuals_of(theirs)
    assert actuals_of(draft)[(YOUTH, ENGAGED)] == Decimal("62.60")
    mine, forms = spends_of(draft), spends_of(theirs)
    assert {k: v[0] for k, v in mine.items()} == {k: v[0] for k, v in forms.items()}
    assert mine[YOUTH] == (Decimal("10000.00"), Decimal("5000.50"))
    statuses = set(draft.project_updates.values_list("status", flat=True))
    assert statuses == set(theirs.project_updates.values_list("status", flat=True)) == {SectionStatus.IN_PROGRESS}
    import_.refresh_from_db()
    assert import_.status == SpreadsheetImport.Status.APPLIED
    assert import_.applied_at


def test_applying_keeps_the_narratives_and_a_completed_task_completed(draft, alice, youth):
    youth.activity, youth.rag_override, youth.rag_reason = "Mentoring", "green", "Good term"
    youth.status = SectionStatus.COMPLETED
    youth.save()
    import_ = upload_filled(draft, alice, actuals=FIGURES, spend=SPEND_FIGURES)
    quarter_apply(import_=import_, by=alice)
    youth.refresh_from_db()
    assert (youth.activity, youth.rag_override, youth.rag_reason) == ("Mentoring", "green", "Good term")
    assert youth.status == SectionStatus.COMPLETED
    assert youth.updated_by == alice


def test_applying_writes_history_like_the_forms(draft, alice, youth):
    before = youth.history.count()
    import_ = upload_filled(draft, alice, actuals=FIGURES, spend=SPEND_FIGURES)
    quarter_apply(import_=import_, by=alice)
    assert youth.history.count() == before + 1
    latest = youth.history.first()
    assert latest.spend == Decimal("10000.00")
    assert latest.history_type == "~"
    assert IndicatorActual.history.filter(update_id=youth.pk, history_type="+").count() == 2


def test_a_cleared_cell_clears_the_figure(draft, alice, youth):
    quarter_apply(import_=upload_filled(draft, alice, actuals=FIGURES, spend=SPEND_FIGURES), by=alice)
    import_ = upload_filled(draft, alice, actuals={(YOUTH, REFERRALS): None})
    preview = quarter_preview(import_=import_)
    assert [(c.what, c.before, c.after) for c in preview.changes] == [(REFERRALS, "70", "blank")]
    quarter_apply(import_=import_, by=alice)
    assert actuals_of(draft)[(YOUTH, REFERRALS)] is None


# --- Problems: nothing applied, each named on its row -------------------------------------------------------


def problems_of(preview):
    return {(row.sheet, row.number): row.problems for row in preview.problems}


def test_a_row_with_an_error_applies_nothing_and_the_preview_names_the_row(draft, alice):
    figures = {**FIGURES, (YOUTH, ENGAGED): "twelve"}
    import_ = upload_filled(draft, alice, actuals=figures, spend=SPEND_FIGURES)
    preview = quarter_preview(import_=import_)
    # Business crime's one row is 2; Youth's are 3 (Engaged, by pk order: Referrals received is first) …
    workbook = load_workbook(import_.file.open("rb"))
    number = row_of(workbook, INDICATORS, YOUTH, ENGAGED)[0].row
    assert problems_of(preview) == {(INDICATORS, number): ["'twelve' is not a number"]}
    assert not preview.can_apply
    with pytest.raises(ImportNotApplicable, match="problems"):
        quarter_apply(import_=import_, by=alice)
    assert all(value is None for value in actuals_of(draft).values())
    assert spends_of(draft)[YOUTH] == (None, None)
    import_.refresh_from_db()
    assert import_.status == SpreadsheetImport.Status.PREVIEWED


@pytest.mark.parametrize(
    ("spend", "message"),
    [
        (("lots", None), "'lots' is not a number"),
        ((-10, None), "Spend this quarter cannot be negative"),
        ((10, "-£5"), "Expected spend for the rest of the year cannot be negative"),
        (("£1,000.505", None), "at most 2 decimal places"),
    ],
)
def test_money_cells_must_be_amounts(draft, alice, spend, message):
    preview = quarter_preview(import_=upload_filled(draft, alice, spend={YOUTH: spend}))
    (problems,) = problems_of(preview).values()
    assert len(problems) == 1
    assert message in problems[0]
    assert not preview.can_apply


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ((YOUTH, REFERRALS), 12.5, "whole number"),
        ((YOUTH, ENGAGED), 101, "100% or less"),
        ((YOUTH, REFERRALS), "NaN", "'NaN' is not a number"),
    ],
)
def test_indicator_cells_follow_the_units_rules_as_the_form_does(draft, alice, key, value, message):
    preview = quarter_preview(import_=upload_filled(draft, alice, actuals={key: value}))
    (problems,) = problems_of(preview).values()
    assert message in problems[0]


def test_an_indicator_not_in_the_return_is_named(draft, alice):
    def rename(workbook):
        workbook[INDICATORS]["B2"].value = "Referrals"

    preview = quarter_preview(import_=upload_filled(draft, alice, edit=rename))
    assert problems_of(preview) == {(INDICATORS, 2): [f"indicator 'Referrals' is not in this return for {BUSINESS}"]}


def test_a_project_not_in_the_return_is_named(draft, alice):
    def add(workbook):
        workbook[INDICATORS].append(["Knife crime", "Referrals", None, None, None, None, None, None, 5])
        workbook[SPEND].append(["Knife crime", None, None, 5])

    preview = quarter_preview(import_=upload_filled(draft, alice, edit=add))
    assert problems_of(preview) == {
        (INDICATORS, 5): ["project 'Knife crime' is not in this return"],
        (SPEND, 4): ["project 'Knife crime' is not in this return"],
    }


def test_a_row_twice_is_a_problem(draft, alice):
    def copy(workbook):
        workbook[INDICATORS].append([c.value for c in workbook[INDICATORS][2]])

    preview = quarter_preview(import_=upload_filled(draft, alice, edit=copy))
    assert problems_of(preview) == {(INDICATORS, 5): [f"indicator '{BUSINESS_REFERRALS}' is already on row 2"]}


def test_a_completed_task_cannot_lose_its_figures(draft, alice, youth):
    quarter_apply(import_=upload_filled(draft, alice, actuals=FIGURES, spend=SPEND_FIGURES), by=alice)
    ProjectUpdate.objects.filter(pk=youth.pk).update(status=SectionStatus.COMPLETED)
    preview = quarter_preview(import_=upload_filled(draft, alice, actuals={(YOUTH, REFERRALS): None}))
    (problems,) = problems_of(preview).values()
    assert problems == [f"{REFERRALS} cannot be blank: {YOUTH} is marked as completed"]


def test_a_formula_cell_is_refused_and_not_evaluated(draft, alice):
    preview = quarter_preview(import_=upload_filled(draft, alice, actuals={(YOUTH, REFERRALS): "=1+1"}))
    (problems,) = problems_of(preview).values()
    assert problems == ["'This quarter's actual' holds a formula: type the figure itself"]
    assert "2" not in [row.after for row in preview.rows]


def test_spend_beyond_the_allocation_is_noted_not_refused(draft, alice):
    preview = quarter_preview(import_=upload_filled(draft, alice, spend={YOUTH: (50000, None)}))
    assert preview.can_apply
    (row,) = preview.changes
    assert "£10,000.00 more than the £40,000.00 allocation" in row.notes[0]


def test_ten_thousand_rows_are_refused_with_a_message(draft, alice):
    def grow(workbook):
        for n in range(10_000):
            workbook[INDICATORS].append([YOUTH, f"Indicator {n}", None, None, None, None, None, None, n])

    preview = quarter_preview(import_=upload_filled(draft, alice, edit=grow))
    assert preview.refused.startswith(f"The sheet has more than {MAX_ROWS:,} filled rows")
    assert not preview.can_apply


# --- Whose template ------------------------------------------------------------------------------------------


def test_another_boroughs_template_is_refused(draft, bob, coventry, q2):
    make_project(coventry, "Coventry project")
    theirs = return_start(borough=coventry, period=q2, by=bob)
    with pytest.raises(ImportFileError, match="another partnership's template, not Birmingham's"):
        check_upload(xlsx_upload(quarter_template(theirs)), draft)


def test_another_quarters_template_is_refused(draft, alice, birmingham, q1):
    earlier = return_start(borough=birmingham, period=q1, by=alice)
    with pytest.raises(ImportFileError, match="template for Q1 2026-27, not Q2 2026-27"):
        check_upload(xlsx_upload(quarter_template(earlier)), draft)


def test_a_stored_file_of_another_return_is_refused_in_the_preview_too(draft, alice, birmingham, q1):
    earlier = return_start(borough=birmingham, period=q1, by=alice)
    import_ = SpreadsheetImport.objects.create(
        kind=SpreadsheetImport.Kind.QUARTER, return_of=draft, uploaded_by=alice, original_name="x.xlsx"
    )
    import_.file.save("x.xlsx", xlsx_upload(quarter_template(earlier)))
    assert "not Q2 2026-27" in quarter_preview(import_=import_).refused


def test_the_template_says_whose_it_is(draft):
    workbook = load_workbook(io.BytesIO(quarter_template(draft)), read_only=True)
    assert read_meta(workbook) == {
        "kind": "quarter",
        "borough": "birmingham",
        "return": str(draft.pk),
        "period": "Q2 2026-27",
    }


# --- Applying: once, by its uploader, to an editable return, at the versions previewed ---------------------------


def test_a_change_since_the_preview_is_a_conflict_and_nothing_is_applied(draft, alice, youth):
    import_ = upload_filled(draft, alice, actuals=FIGURES, spend=SPEND_FIGURES)
    seen = quarter_preview(import_=import_).versions
    project_update_save(
        update=youth,
        activity="Typed on the page",
        outcomes="",
        spend=Decimal("1"),
        rag_override="",
        rag_reason="",
        actuals={},
        completed=False,
        version=youth.version,
        by=alice,
    )
    with pytest.raises(EditConflict):
        quarter_apply(import_=import_, by=alice, versions=seen)
    assert all(value is None for value in actuals_of(draft).values())
    assert spends_of(draft)[YOUTH] == (Decimal("1.00"), None)
    import_.refresh_from_db()
    assert import_.status == SpreadsheetImport.Status.PREVIEWED


def test_applying_twice_applies_once(draft, alice, youth):
    import_ = upload_filled(draft, alice, actuals=FIGURES, spend=SPEND_FIGURES)
    quarter_apply(import_=import_, by=alice)
    version = ProjectUpdate.objects.get(pk=youth.pk).version
    with pytest.raises(ImportNotApplicable, match="already been applied"):
        quarter_apply(import_=import_, by=alice)
    assert ProjectUpdate.objects.get(pk=youth.pk).version == version


def test_only_the_uploader_can_apply(draft, alice, birmingham):
    colleague = make_user("colleague", role=CSP_OFFICER, boroughs=[birmingham])
    import_ = upload_filled(draft, alice, actuals=FIGURES)
    with pytest.raises(PermissionDenied):
        quarter_apply(import_=import_, by=colleague)


def test_a_locked_return_is_refused(submitted, alice):
    import_ = SpreadsheetImport.objects.create(
        kind=SpreadsheetImport.Kind.QUARTER, return_of=submitted, uploaded_by=alice, original_name="x.xlsx"
    )
    with pytest.raises(ReturnLocked):
        quarter_apply(import_=import_, by=alice)


def test_a_newer_upload_discards_the_older(draft, alice):
    older = upload_filled(draft, alice, actuals=FIGURES)
    upload_filled(draft, alice, actuals=FIGURES)
    older.refresh_from_db()
    assert older.status == SpreadsheetImport.Status.DISCARDED
    with pytest.raises(ImportNotApplicable, match="newer file"):
        quarter_apply(import_=older, by=alice)


# --- Cost -------------------------------------------------------------------------------------------------------


def preview_queries(return_, by):
    import_ = upload_filled(return_, by)
    with CaptureQueriesContext(connection) as queries:
        quarter_preview(import_=import_)
    return len(queries)


def test_the_preview_costs_the_same_for_two_projects_as_for_eight(draft, alice, birmingham):
    two = preview_queries(draft, alice)
    for n in range(6):
        project = make_project(birmingham, f"Extra project {n}")
        draft.project_updates.create(project=project)
    assert preview_queries(draft, alice) == two
