"""The projects import: template, preview and apply (returns/imports/projects.py, services/project_imports.py)."""

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from returns.imports.models import SpreadsheetImport
from returns.imports.projects import (
    CHANGED,
    HELP_SHEET,
    INDICATORS_SHEET,
    NEW,
    PROBLEM,
    PROJECT_COLUMNS,
    PROJECTS_SHEET,
    UNCHANGED,
    Change,
    projects_preview,
    projects_template,
)
from returns.imports.reading import read_meta
from returns.models import FinancialYear, Indicator, Project, ProjectUpdate, ProjectYear
from returns.services import project_save
from returns.services.project_imports import ImportConflict, ImportNotApplied, projects_apply
from tests.returns.conftest import make_project
from tests.returns.imports.projects_helpers import (  # noqa: F401 (fixtures)
    INDICATOR_ROWS,
    PROJECT_ROW,
    fill,
    plan_fixture,
    rows_of,
    today_fixture,
    uploaded,
)


def statuses(preview):
    return {row.title: row.status for row in preview.rows}


def state():
    """Everything an import could write, to show that a refused one wrote nothing."""
    return (
        list(Project.objects.values_list("pk", "name", "delivery_partner", "csf_allocation", "version")),
        list(Indicator.objects.values_list("pk", "name", "minimum_target", "aspirational_target", "version")),
        list(ProjectYear.objects.values_list("project_id", "financial_year_id", "csf_allocation")),
        list(Project.priorities.through.objects.values_list("project_id", "planpriority_id")),
        Project.history.count(),
        Indicator.history.count(),
    )


# --- The template ------------------------------------------------------------------------------------------


def test_the_template_holds_the_years_projects_the_choices_and_what_it_is_for(year, plan, projects, coventry):
    youth = projects[0]
    youth.priorities.add(plan.priorities.get(name="Youth violence"))
    make_project(coventry, "Street Pastors", status=Project.Status.CLOSED)  # not in the year: closed
    content = projects_template(year)

    projects_sheet = rows_of(content, PROJECTS_SHEET)
    assert projects_sheet[0] == list(PROJECT_COLUMNS.values())
    assert PROJECT_COLUMNS["allocation"] == "Allocation (£)"
    assert projects_sheet[1:] == [
        ["Birmingham", "Business crime", "St Giles Trust", None, 40000, None],
        ["Birmingham", "Youth violence prevention", "St Giles Trust", None, 40000, "Youth violence"],
    ]
    indicators = rows_of(content, INDICATORS_SHEET)
    assert indicators[0][:4] == ["Borough", "Project", "Indicator", "Unit"]
    assert ["Birmingham", "Youth violence prevention", "Engaged", "Percentage", None, 60, 75, "Yes"] in indicators
    assert len(indicators) == 4

    help_text = "\n".join(str(row[0]) for row in rows_of(content, HELP_SHEET) if row and row[0])
    for name in ("Birmingham", "Coventry", "Wolverhampton", "Domestic abuse and violence", "Rural crime", "Hours"):
        assert name in help_text
    workbook = load_workbook(io.BytesIO(content))
    assert read_meta(workbook) == {"kind": "projects", "year": "2026-27"}


def test_the_template_of_a_year_with_no_projects_has_only_headers(year, plan):
    content = projects_template(year)
    assert len(rows_of(content, PROJECTS_SHEET)) == 1
    assert len(rows_of(content, INDICATORS_SHEET)) == 1


def test_the_template_gives_the_years_own_allocation(year, plan, projects):
    ProjectYear.objects.create(project=projects[1], financial_year=year, csf_allocation=Decimal("12500.50"))
    assert rows_of(projects_template(year), PROJECTS_SHEET)[1][4] == 12500.5


# --- Round trip ----------------------------------------------------------------------------------------


def test_an_unchanged_template_changes_nothing(year, plan, projects, adam):
    import_ = uploaded(year, adam)
    preview = projects_preview(import_=import_)
    assert preview.is_valid
    assert set(statuses(preview).values()) == {UNCHANGED}
    before = state()
    projects_apply(import_=import_, by=adam, seen=preview.seen())
    assert state() == before


def test_round_trip_makes_what_the_forms_would(client, year, plan, adam, birmingham, coventry):
    """The same project typed into the forms (for Coventry) and imported (for Birmingham) comes out the same."""
    client.force_login(adam)
    priority = plan.priorities.get(name="Youth violence")
    response = client.post(
        "/boroughs/coventry/projects/add/",
        {
            "name": "Knife crime education",
            "delivery_partner": "Prince's Trust",
            "description": "Workshops in schools",
            "priorities": [priority.pk],
            "csf_allocation": "25,000",
            "status": "active",
            "save": "",
        },
    )
    assert response.status_code == 302, response.text
    by_form = Project.objects.get(borough=coventry)
    for name, unit, baseline, minimum, aspiration, higher in (
        ("Pupils reached", "count", "", "1000", "1500", "yes"),
        ("Repeat incidents", "percent", "20", "15", "10", "no"),
    ):
        response = client.post(
            f"/boroughs/coventry/projects/{by_form.pk}/indicators/add/",
            {
                "name": name,
                "unit": unit,
                "baseline": baseline,
                "minimum_target": minimum,
                "aspirational_target": aspiration,
                "higher_is_better": higher,
                "save": "",
            },
        )
        assert response.status_code == 302, response.text

    import_ = uploaded(year, adam, projects=[PROJECT_ROW], indicators=INDICATOR_ROWS)
    preview = projects_preview(import_=import_)
    assert statuses(preview) == {
        "Birmingham: Knife crime education": NEW,
        "Birmingham: Knife crime education: Pupils reached": NEW,
        "Birmingham: Knife crime education: Repeat incidents": NEW,
    }
    projects_apply(import_=import_, by=adam, seen=preview.seen())
    imported = Project.objects.get(borough=birmingham)

    fields = [
        "name",
        "delivery_partner",
        "description",
        "csf_allocation",
        "status",
        "start_date",
        "end_date",
        "version",
    ]
    assert {f: getattr(imported, f) for f in fields} == {f: getattr(by_form, f) for f in fields}
    assert list(imported.priorities.all()) == list(by_form.priorities.all()) == [priority]
    indicator_fields = ["name", "unit", "baseline", "minimum_target", "aspirational_target", "higher_is_better"]
    assert list(imported.indicators.values(*indicator_fields)) == list(by_form.indicators.values(*indicator_fields))
    # The import also records the year's allocation, as opening a year does.
    assert ProjectYear.objects.get(project=imported, financial_year=year).csf_allocation == Decimal("25000")
    # And the history says who and why.
    record = imported.history.latest()
    assert record.history_user == adam
    assert record.history_change_reason == "Imported from projects.xlsx"
    assert imported.indicators.first().history.latest().history_user == adam
    import_.refresh_from_db()
    assert import_.status == SpreadsheetImport.Status.APPLIED
    assert import_.applied_at is not None


def test_a_new_project_joins_its_boroughs_open_returns_as_the_form_does(year, plan, projects, draft, adam):
    import_ = uploaded(year, adam, projects=[PROJECT_ROW], indicators=INDICATOR_ROWS, keep=True)
    projects_apply(import_=import_, by=adam, seen=projects_preview(import_=import_).seen())
    assert draft.project_updates.filter(project__name="Knife crime education").exists()


def test_existing_projects_are_matched_by_borough_and_name_and_updated_not_duplicated(year, plan, projects, adam):
    youth = projects[0]
    referrals = youth.indicators.get(name="Referrals received")
    rows = [
        ["  birmingham ", "YOUTH   violence prevention", "Barnardo's", "", "45,000", "youth violence; Rural crime"],
        ["Birmingham", "Business crime", "St Giles Trust", None, 40000, None],
    ]
    indicators = [
        ["Birmingham", "youth violence prevention", "referrals RECEIVED", "count", None, 130, 170, "yes"],
    ]
    import_ = uploaded(year, adam, projects=rows, indicators=indicators)
    preview = projects_preview(import_=import_)
    assert preview.is_valid, preview.problem_rows
    row = preview.projects[0]
    assert row.status == CHANGED
    assert row.target == youth
    assert row.changes == [
        Change("Delivery partner", "St Giles Trust", "Barnardo's"),
        Change("Allocation for 2026-27", "£40,000.00", "£45,000.00"),
        Change("Plan priorities", "", "Rural crime; Youth violence"),
    ]
    assert preview.projects[1].status == UNCHANGED
    assert preview.indicators[0].changes == [
        Change("Minimum target", "120", "130"),
        Change("Aspirational target", "160", "170"),
    ]

    count = Project.objects.count(), Indicator.objects.count()
    projects_apply(import_=import_, by=adam, seen=preview.seen())
    assert (Project.objects.count(), Indicator.objects.count()) == count
    youth.refresh_from_db()
    referrals.refresh_from_db()
    assert youth.name == "Youth violence prevention"  # matched, never renamed
    assert youth.delivery_partner == "Barnardo's"
    assert youth.csf_allocation == Decimal("45000")
    assert youth.version == 2
    assert sorted(p.name for p in youth.priorities.all()) == ["Rural crime", "Youth violence"]
    assert (referrals.name, referrals.minimum_target, referrals.aspirational_target) == (
        "Referrals received",
        Decimal("130"),
        Decimal("170"),
    )
    assert referrals.version == 2
    assert ProjectYear.objects.get(project=youth, financial_year=year).csf_allocation == Decimal("45000")
    # Left out of the file: kept as it is.
    assert youth.indicators.filter(name="Engaged").exists()


def test_a_later_years_allocation_waits_in_its_project_year(plan, projects, adam, year):
    """Importing into a year opened ahead leaves the project's current allocation alone."""
    later, _ = FinancialYear.get_or_create_for_start(2027)
    later.ensure_periods()
    rows = [["Birmingham", "Business crime", "St Giles Trust", None, 50000, None]]
    import_ = uploaded(later, adam, projects=rows, indicators=[])
    preview = projects_preview(import_=import_)
    assert preview.projects[0].changes == [
        Change("Allocation for 2027-28", "£40,000.00", "£50,000.00"),
    ]
    projects_apply(import_=import_, by=adam, seen=preview.seen())
    business = projects[1]
    business.refresh_from_db()
    assert business.csf_allocation == Decimal("40000")
    assert ProjectYear.objects.get(project=business, financial_year=later).csf_allocation == Decimal("50000")


def test_a_project_closed_when_the_year_was_opened_continues_when_imported(year, plan, projects, adam):
    later, _ = FinancialYear.get_or_create_for_start(2027)
    later.ensure_periods()
    youth, business = projects
    ProjectYear.objects.create(project=youth, financial_year=year, csf_allocation=Decimal("40000"))
    ProjectYear.objects.create(project=youth, financial_year=later, csf_allocation=Decimal("40000"))
    ProjectYear.objects.create(project=business, financial_year=year, csf_allocation=Decimal("40000"))
    rows = [["Birmingham", "Business crime", "St Giles Trust", None, 40000, None]]
    import_ = uploaded(later, adam, projects=rows, indicators=[])
    preview = projects_preview(import_=import_)
    assert preview.projects[0].changes == [Change("Funded in 2027-28", "No", "Yes")]
    projects_apply(import_=import_, by=adam, seen=preview.seen())
    assert ProjectYear.objects.filter(project=business, financial_year=later).exists()


# --- Problems ------------------------------------------------------------------------------------------


def test_each_problem_is_named_on_its_row_and_nothing_is_applied(year, plan, projects, adam, coventry):
    make_project(coventry, "Old scheme", status=Project.Status.CLOSED)
    rows = [
        ["Birmingham", "Knife crime education", "", "", "twelve", ""],  # row 2
        ["Narnia", "Lamp post", "", "", 100, ""],  # row 3
        ["Birmingham", "Business crime", "", "", 100, "World peace"],  # row 4
        ["Birmingham", "business  crime", "", "", 100, ""],  # row 5: the same project again
        ["Coventry", "Old scheme", "", "", 100, ""],  # row 6: closed
        ["Birmingham", "", "", "", -5, ""],  # row 7
        ["Birmingham", "Fine project", "", "", "£1,000.50", "Rural crime"],  # row 8: no problem
    ]
    indicators = [
        ["Birmingham", "Fine project", "Visits", "Count", None, "lots", 10, "Yes"],  # row 2
        ["Birmingham", "Fine project", "Calls", "Count", None, 10, 5, "Yes"],  # row 3
        ["Birmingham", "Fine project", "Share", "Percentage", None, 90, 120, "Yes"],  # row 4
        ["Birmingham", "Fine project", "Reoffending", "Furlongs", None, 10, 20, "maybe"],  # row 5
        ["Birmingham", "Not in the file", "Visits", "Count", None, 1, 2, "Yes"],  # row 6
        ["Birmingham", "Fine project", "Visits", "Count", None, 1, 2, "Yes"],  # row 7: Visits again
        ["Birmingham", "Fine project", "Calls avoided", "Count", None, 5, 10, "No"],  # row 8: lower is better
    ]
    import_ = uploaded(year, adam, projects=rows, indicators=indicators)
    before = state()
    preview = projects_preview(import_=import_)
    assert not preview.is_valid
    problems = {(row.sheet, row.number): row.problems for row in preview.problem_rows}
    assert problems == {
        ("Projects", 2): ["Allocation (£): 'twelve' is not a number"],
        ("Projects", 3): ["'Narnia' is not a borough: use a name listed on the 'How to fill this in' sheet"],
        ("Projects", 4): ["'World peace' is not a priority of the 2026-27 Police and Crime Plan"],
        ("Projects", 5): ["Birmingham: business  crime is already on row 4"],
        ("Projects", 6): [
            "Coventry's Old scheme is closed: reopen it on its page first, or give this project another name"
        ],
        ("Projects", 7): ["Enter the project", "The allocation cannot be negative"],
        ("Indicators", 2): ["Minimum target: 'lots' is not a number"],
        ("Indicators", 3): [
            "The aspirational target must be at least the minimum target when a higher number is better"
        ],
        ("Indicators", 4): ["The aspirational target must be 100% or less"],
        ("Indicators", 5): [
            "'Furlongs' is not a unit: use Count, Percentage, Pounds (£) or Hours",
            "Enter Yes or No in 'Higher is better', not 'maybe'",
        ],
        ("Indicators", 6): ["Birmingham: Not in the file is not on the 'Projects' sheet: add it there"],
        ("Indicators", 7): ["Birmingham: Fine project: Visits is already on row 2"],
        ("Indicators", 8): ["When lower is better, the aspirational target must be at most the minimum target"],
    }
    with pytest.raises(ImportNotApplied, match="problems"):
        projects_apply(import_=import_, by=adam, seen=preview.seen())
    assert state() == before
    import_.refresh_from_db()
    assert import_.status == SpreadsheetImport.Status.PREVIEWED


def test_a_good_file_with_one_bad_row_applies_nothing(year, plan, projects, adam):
    rows = [PROJECT_ROW, ["Birmingham", "Business crime", "St Giles Trust", None, "forty thousand", None]]
    import_ = uploaded(year, adam, projects=rows, indicators=INDICATOR_ROWS)
    preview = projects_preview(import_=import_)
    assert [(r.number, r.status) for r in preview.projects] == [(2, NEW), (3, PROBLEM)]
    before = state()
    with pytest.raises(ImportNotApplied):
        projects_apply(import_=import_, by=adam, seen=preview.seen())
    assert state() == before
    assert not Project.objects.filter(name="Knife crime education").exists()


def test_a_formula_is_refused_never_evaluated(year, plan, projects, adam):
    def formulas(workbook):
        workbook[PROJECTS_SHEET]["E2"] = "=1000*40"
        workbook[INDICATORS_SHEET]["F2"] = "=SUM(1,2)"

    import_ = uploaded(year, adam, projects=[PROJECT_ROW], indicators=INDICATOR_ROWS, edit=formulas)
    preview = projects_preview(import_=import_)
    assert preview.projects[0].problems == ["'Allocation (£)' holds a formula: type the figure itself"]
    assert preview.indicators[0].problems == ["'Minimum target' holds a formula: type the figure itself"]
    with pytest.raises(ImportNotApplied):
        projects_apply(import_=import_, by=adam, seen=preview.seen())
    assert not Project.objects.filter(name="Knife crime education").exists()


def test_an_empty_projects_sheet_is_a_problem_of_the_file(year, plan, adam):
    preview = projects_preview(import_=uploaded(year, adam, projects=[], indicators=[]))
    assert preview.file_problem == "The 'Projects' sheet has no projects: fill in a row for each"
    assert not preview.is_valid


def test_another_years_template_is_refused(year, plan, adam):
    later, _ = FinancialYear.get_or_create_for_start(2027)
    later.ensure_periods()
    preview = projects_preview(import_=uploaded(year, adam, projects_template(later)))
    assert preview.file_problem.startswith("The selected file is the template for 2027-28, not 2026-27.")


def test_a_file_gone_from_storage_is_a_message_not_a_crash(year, plan, adam):
    import_ = uploaded(year, adam)
    import_.file.storage.delete(import_.file.name)
    assert "Upload it again" in projects_preview(import_=import_).file_problem


# --- Version checks and applying once -------------------------------------------------------------------


def test_a_project_changed_since_the_preview_is_a_conflict_and_nothing_is_applied(year, plan, projects, adam):
    youth = projects[0]
    rows = [
        PROJECT_ROW,
        ["Birmingham", "Youth violence prevention", "St Giles Trust", None, 45000, None],
    ]
    import_ = uploaded(year, adam, projects=rows, indicators=INDICATOR_ROWS)
    seen = projects_preview(import_=import_).seen()
    youth.delivery_partner = "Someone else"
    project_save(project=youth, priorities=[], version=youth.version, by=adam)
    before = state()
    with pytest.raises(ImportConflict, match="Birmingham: Youth violence prevention"):
        projects_apply(import_=import_, by=adam, seen=seen)
    assert state() == before
    import_.refresh_from_db()
    assert import_.status == SpreadsheetImport.Status.PREVIEWED


def test_a_project_added_since_the_preview_with_a_new_rows_name_is_a_conflict(year, plan, projects, adam, birmingham):
    import_ = uploaded(year, adam, projects=[PROJECT_ROW], indicators=INDICATOR_ROWS)
    seen = projects_preview(import_=import_).seen()
    make_project(birmingham, "Knife crime education")
    with pytest.raises(ImportConflict, match="Knife crime education"):
        projects_apply(import_=import_, by=adam, seen=seen)
    assert Project.objects.filter(name="Knife crime education").count() == 1


def test_a_missing_or_tampered_preview_record_is_a_conflict(year, plan, projects, adam):
    import_ = uploaded(year, adam, projects=[PROJECT_ROW], indicators=INDICATOR_ROWS, keep=True)
    with pytest.raises(ImportConflict):
        projects_apply(import_=import_, by=adam, seen=None)
    assert not Project.objects.filter(name="Knife crime education").exists()


def test_an_import_is_applied_once(year, plan, projects, adam):
    import_ = uploaded(year, adam, projects=[PROJECT_ROW], indicators=INDICATOR_ROWS, keep=True)
    seen = projects_preview(import_=import_).seen()
    projects_apply(import_=import_, by=adam, seen=seen)
    history = Project.history.count(), Indicator.history.count(), ProjectUpdate.objects.count()
    with pytest.raises(ImportNotApplied, match="already been applied"):
        projects_apply(import_=import_, by=adam, seen=seen)
    assert (Project.history.count(), Indicator.history.count(), ProjectUpdate.objects.count()) == history
    assert Project.objects.filter(name="Knife crime education").count() == 1


def test_only_the_uploader_applies_an_import(year, plan, projects, adam, rita):
    import_ = uploaded(year, adam, projects=[PROJECT_ROW], indicators=INDICATOR_ROWS, keep=True)
    with pytest.raises(ImportNotApplied):
        projects_apply(import_=import_, by=rita, seen=projects_preview(import_=import_).seen())
    assert not Project.objects.filter(name="Knife crime education").exists()


# --- Speed ---------------------------------------------------------------------------------------------


def _preview_queries(year, adam, count):
    rows = [["Birmingham", f"Project {n}", "Partner", "", 1000 + n, "Youth violence"] for n in range(count)]
    indicators = [["Birmingham", f"Project {n}", "Visits", "Count", None, 1, 2, "Yes"] for n in range(count)]
    import_ = uploaded(year, adam, projects=rows, indicators=indicators)
    with CaptureQueriesContext(connection) as queries:
        preview = projects_preview(import_=import_)
    assert preview.is_valid
    return len(queries)


def test_the_preview_costs_the_same_for_2_rows_as_for_60(year, plan, projects, adam, birmingham):
    for n in range(0, 60, 2):  # half of them exist already, with indicators and priorities
        project = make_project(birmingham, f"Project {n}")
        project.priorities.add(plan.priorities.first())
    assert _preview_queries(year, adam, 2) == _preview_queries(year, adam, 60)
