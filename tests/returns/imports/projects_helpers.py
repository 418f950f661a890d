"""Helpers for the projects import tests: fill a downloaded template the way an OPCC admin would, and upload it.

Test modules import `plan_fixture` and `today_fixture` to get the `plan` and (autouse) `today` fixtures."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from returns.imports.projects import INDICATORS_SHEET, PROJECTS_SHEET, projects_template
from returns.models import Plan, PlanPriority
from returns.services.project_imports import projects_upload

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TODAY = date(2026, 11, 28)  # inside 2026-27, the `year` fixture: it is the current year


@pytest.fixture(name="today", autouse=True)
def today_fixture(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)
    return TODAY


@pytest.fixture(name="plan")
def plan_fixture(year):
    plan = Plan.objects.create(name="Police and Crime Plan 2025-29")
    plan.years.add(year)
    for order, name in enumerate(["Domestic abuse and violence", "Youth violence", "Rural crime"]):
        PlanPriority.objects.create(plan=plan, name=name, order=order)
    return plan


def rows_of(content, sheet):
    workbook = load_workbook(io.BytesIO(content))
    return [list(row) for row in workbook[sheet].iter_rows(values_only=True)]


def fill(content, *, projects=None, indicators=None, keep=False, edit=None):
    """The template `content` with its Projects and Indicators rows replaced (or, with `keep`, added to)."""
    workbook = load_workbook(io.BytesIO(content))
    for name, rows in ((PROJECTS_SHEET, projects), (INDICATORS_SHEET, indicators)):
        if rows is None:
            continue
        sheet = workbook[name]
        if not keep and sheet.max_row > 1:
            sheet.delete_rows(2, sheet.max_row - 1)
        for row in rows:
            sheet.append(list(row))
    if edit:
        edit(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_upload(content, name="projects.xlsx"):
    return SimpleUploadedFile(name, content, content_type=XLSX)


def uploaded(year, by, content=None, *, name="projects.xlsx", **filling):
    """A SpreadsheetImport of the year's template, filled with `filling` (see `fill`)."""
    content = content if content is not None else projects_template(year)
    if filling:
        content = fill(content, **filling)
    return projects_upload(year=year, upload=xlsx_upload(content, name), by=by)


PROJECT_ROW = [
    "Birmingham",
    "Knife crime education",
    "Prince's Trust",
    "Workshops in schools",
    25000,
    "Youth violence",
]
INDICATOR_ROWS = [
    ["Birmingham", "Knife crime education", "Pupils reached", "Count", None, 1000, 1500, "Yes"],
    ["Birmingham", "Knife crime education", "Repeat incidents", "Percentage", 20, 15, 10, "No"],
]
