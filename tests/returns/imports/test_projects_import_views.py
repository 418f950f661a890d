"""The projects import pages: who may use them, upload → preview → confirm, and every file that will not do."""

import html
import io
import re

import pytest
from django.utils import timezone
from django.utils.html import strip_tags
from openpyxl import Workbook

from boroughs.roles import OPCC_ADMIN
from returns.imports.models import SpreadsheetImport
from returns.imports.projects import INDICATORS_SHEET, PROJECTS_SHEET, projects_template
from returns.models import FinancialYear, Indicator, Project
from returns.services import project_save
from tests.conftest import assert_redirects_to_login, make_user
from tests.returns.conftest import PDF_BYTES, office_bytes
from tests.returns.imports.projects_helpers import (  # noqa: F401 (fixtures)
    INDICATOR_ROWS,
    PROJECT_ROW,
    XLSX,
    fill,
    plan_fixture,
    today_fixture,
    uploaded,
    xlsx_upload,
)

UPLOAD = "/years/2026-27/projects/import/"
TEMPLATE = "/years/2026-27/projects/import/template/"


def preview_url(import_):
    return f"/years/{import_.financial_year.label}/projects/import/{import_.uuid}/"


def text(response):
    return " ".join(html.unescape(strip_tags(response.content.decode())).split())


def upload(client, content, name="projects.xlsx"):
    return client.post(UPLOAD, {"file": xlsx_upload(content, name), "submit": ""})


def confirm(client, page_response, url):
    seen = re.search(r'name="seen" value="([^"]*)"', page_response.content.decode()).group(1)
    return client.post(url, {"seen": seen, "submit": ""})


# --- Who may ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["alice", "bob", "charlie", "rita"])
def test_only_opcc_admins_may_import_projects(client, request, year, adam, persona):
    import_ = uploaded(year, adam)
    client.force_login(request.getfixturevalue(persona))
    for url in (UPLOAD, TEMPLATE, preview_url(import_)):
        assert client.get(url).status_code == 403, url
    assert client.post(UPLOAD, {"file": xlsx_upload(projects_template(year))}).status_code == 403
    assert client.post(preview_url(import_), {"seen": ""}).status_code == 403
    assert not SpreadsheetImport.objects.exclude(pk=import_.pk).exists()


def test_anonymous_is_sent_to_sign_in(client, year, adam):
    import_ = uploaded(year, adam)
    for url in (UPLOAD, TEMPLATE, preview_url(import_)):
        assert_redirects_to_login(client.get(url), url)


def test_admin_reaches_every_page(client, year, plan, adam):
    client.force_login(adam)
    page = client.get(UPLOAD)
    assert page.status_code == 200
    assert "Import projects for 2026-27" in text(page)
    assert TEMPLATE in page.content.decode()
    template = client.get(TEMPLATE)
    assert template.status_code == 200
    assert template["Content-Type"] == XLSX
    assert 'filename="projects-2026-27.xlsx"' in template["Content-Disposition"]
    assert client.get(preview_url(uploaded(year, adam))).status_code == 200


def test_another_admins_upload_is_not_found(client, year, adam):
    other = make_user("amir", role=OPCC_ADMIN)
    import_ = uploaded(year, other)
    client.force_login(adam)
    assert client.get(preview_url(import_)).status_code == 404
    assert client.post(preview_url(import_), {"seen": ""}).status_code == 404


def test_closed_unopened_and_unknown_years_take_no_import(client, year, adam):
    client.force_login(adam)
    FinancialYear.get_or_create_for_start(2015)  # history: no periods
    for label in ("2015-16", "2030-31", "not-a-year", "2026-27x"):
        assert client.get(f"/years/{label}/projects/import/").status_code == 404, label
        assert client.get(f"/years/{label}/projects/import/template/").status_code == 404, label
    import_ = uploaded(year, adam)
    FinancialYear.objects.filter(pk=year.pk).update(closed_at=timezone.now())
    assert client.get(UPLOAD).status_code == 404
    assert client.get(preview_url(import_)).status_code == 404


def test_the_year_list_links_to_the_import(client, year, adam):
    client.force_login(adam)
    assert UPLOAD in client.get("/years/").content.decode()


# --- Upload, preview, confirm ---------------------------------------------------------------------------


def test_upload_preview_and_confirm(client, year, plan, projects, adam):
    client.force_login(adam)
    content = fill(client.get(TEMPLATE).content, projects=[PROJECT_ROW], indicators=INDICATOR_ROWS, keep=True)
    response = upload(client, content)
    import_ = SpreadsheetImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == preview_url(import_)
    assert (import_.kind, import_.financial_year, import_.uploaded_by) == ("projects", year, adam)

    page = client.get(preview_url(import_))
    body = text(page)
    assert "Projects: 1 new, 0 changed, 2 unchanged" in body
    assert "Indicators: 2 new, 0 changed, 3 unchanged" in body
    assert "Birmingham: Knife crime education" in body
    assert "Apply these changes" in body
    assert not Project.objects.filter(name="Knife crime education").exists()  # nothing until confirmed

    response = confirm(client, page, preview_url(import_))
    assert response.status_code == 302
    assert response["Location"] == "/years/"
    follow = client.get("/years/")
    assert "2026-27 projects imported: 1 project added, 0 changed; 2 indicators added, 0 changed." in text(follow)
    project = Project.objects.get(name="Knife crime education")
    assert project.indicators.count() == 2

    # A second click (the first one did it): nothing more.
    again = confirm(client, page, preview_url(import_))
    assert again.status_code == 302
    assert "has already been applied: nothing has changed" in text(client.get(again["Location"]))
    assert Project.objects.filter(name="Knife crime education").count() == 1
    assert "was applied on" in text(client.get(preview_url(import_)))


def test_a_change_shows_before_and_after(client, year, plan, projects, adam):
    client.force_login(adam)
    rows = [["Birmingham", "youth violence prevention", "St Giles Trust", None, "45000", None]]
    upload(client, fill(projects_template(year), projects=rows, indicators=[]))
    body = text(client.get(preview_url(SpreadsheetImport.objects.get())))
    assert "Projects: 0 new, 1 changed, 0 unchanged" in body
    assert "Allocation for 2026-27 £40,000.00 → becomes £45,000.00" in body


def test_problems_are_listed_by_row_and_nothing_can_be_applied(client, year, plan, projects, adam):
    client.force_login(adam)
    rows = [PROJECT_ROW, ["Birmingham", "Business crime", "", "", "twelve", ""]]
    upload(client, fill(projects_template(year), projects=rows, indicators=INDICATOR_ROWS))
    import_ = SpreadsheetImport.objects.get()
    page = client.get(preview_url(import_))
    body = text(page)
    assert page.status_code == 200
    assert "<title>Error: Check the projects" in page.content.decode()
    assert "There is a problem" in body
    assert "Projects sheet, row 3: Allocation (£): 'twelve' is not a number" in body
    assert 'href="#projects-row-3"' in page.content.decode()
    assert 'id="projects-row-3"' in page.content.decode()
    assert "Apply these changes" not in body
    # Even a hand-made POST applies nothing.
    response = client.post(preview_url(import_), {"seen": ""})
    assert response.status_code == 302
    assert "nothing has been applied" in text(client.get(response["Location"]))
    assert not Project.objects.filter(name="Knife crime education").exists()


def test_a_conflict_on_confirm_applies_nothing_and_shows_the_preview_again(client, year, plan, projects, adam):
    client.force_login(adam)
    rows = [PROJECT_ROW, ["Birmingham", "Youth violence prevention", "Barnardo's", None, 40000, None]]
    upload(client, fill(projects_template(year), projects=rows, indicators=INDICATOR_ROWS))
    import_ = SpreadsheetImport.objects.get()
    page = client.get(preview_url(import_))
    youth = projects[0]
    youth.description = "Changed by an officer meanwhile"
    project_save(project=youth, priorities=[], version=youth.version, by=adam)

    response = confirm(client, page, preview_url(import_))
    assert response.status_code == 409
    assert "Someone changed Birmingham: Youth violence prevention after you saw the preview" in text(response)
    assert "Changed by an officer meanwhile" in text(response)  # the fresh preview: description will be blanked
    assert not Project.objects.filter(name="Knife crime education").exists()
    youth.refresh_from_db()
    assert youth.delivery_partner == "St Giles Trust"
    # Confirming the fresh preview goes through.
    assert confirm(client, response, preview_url(import_)).status_code == 302
    youth.refresh_from_db()
    assert youth.delivery_partner == "Barnardo's"


def test_a_tampered_confirmation_is_a_conflict(client, year, plan, projects, adam):
    client.force_login(adam)
    upload(client, fill(projects_template(year), projects=[PROJECT_ROW], indicators=INDICATOR_ROWS, keep=True))
    response = client.post(preview_url(SpreadsheetImport.objects.get()), {"seen": "forged"})
    assert response.status_code == 409
    assert not Project.objects.filter(name="Knife crime education").exists()


# --- Files that will not do --------------------------------------------------------------------------------


def _plain_workbook():
    workbook = Workbook()
    workbook.active.title = PROJECTS_SHEET
    workbook.active.append(["Borough", "Project"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (PDF_BYTES, "projects.xlsx", "is not an Excel spreadsheet (XLSX)"),
        (office_bytes("word"), "projects.xlsx", "is not an Excel spreadsheet (XLSX)"),
        (b"PK\x03\x04 not really a zip", "projects.xlsx", "not an Excel spreadsheet"),
        (office_bytes("xl"), "projects.xlsx", "is damaged and cannot be opened"),
        (None, "projects.csv", "must be an Excel spreadsheet (XLSX)"),
        ("plain", "projects.xlsx", "is not a template from this service"),
        ("no-columns", "projects.xlsx", "has no column 'Delivery partner'"),
        ("too-big", "projects.xlsx", "must be smaller than 10MB"),
        ("chart", "projects.xlsx", "is damaged and cannot be"),
    ],
)
def test_a_file_that_will_not_do_gets_a_message_by_the_field(client, year, plan, adam, content, name, message):
    client.force_login(adam)
    if content is None:
        content = projects_template(year)
    elif content == "plain":
        content = _plain_workbook()
    elif content == "no-columns":

        def drop(workbook):
            workbook[PROJECTS_SHEET].delete_cols(3)

        content = fill(projects_template(year), edit=drop)
    elif content == "chart":

        def chart(workbook):
            workbook.remove(workbook[INDICATORS_SHEET])
            workbook.create_chartsheet(INDICATORS_SHEET)

        content = fill(projects_template(year), edit=chart)
    elif content == "too-big":
        content = projects_template(year) + b"\0" * (10 * 1024 * 1024)
    response = upload(client, content, name)
    assert response.status_code == 200
    body = text(response)
    assert "There is a problem" in body
    assert message in body
    assert body.count(message) == 2  # in the summary, and beside the field
    assert not SpreadsheetImport.objects.exists()


def test_the_hint_points_at_this_page_not_a_return(client, year, plan, adam):
    client.force_login(adam)
    body = text(upload(client, _plain_workbook()))
    assert "Import projects" in body
    assert "task list" not in body


def test_no_file_gets_a_message(client, year, adam):
    client.force_login(adam)
    response = client.post(UPLOAD, {"submit": ""})
    assert response.status_code == 200
    assert "Select a file" in text(response)


def test_indicators_left_out_are_kept(client, year, plan, projects, adam):
    client.force_login(adam)
    page_count = Indicator.objects.count()
    upload(client, fill(projects_template(year), indicators=[]))
    page = client.get(preview_url(SpreadsheetImport.objects.get()))
    assert confirm(client, page, preview_url(SpreadsheetImport.objects.get())).status_code == 302
    assert Indicator.objects.count() == page_count
