"""An OPCC admin's year of projects from a spreadsheet: keeping the upload, and applying its preview.

Applying goes through the same services as the project and indicator forms (project_save, indicator_save),
so a new active project joins its borough's open returns and every change is in the history, with who made
it and "Imported from <file>" as the reason. It is all or nothing: one transaction, and any problem,
conflict or second confirmation raises before or during it, so nothing is written.
"""

from django.db import transaction
from django.utils import timezone

from boroughs.locking import EditConflict

from ..imports.models import SpreadsheetImport
from ..imports.projects import NEW, UNCHANGED, projects_preview
from ..models import FinancialYear, Indicator, Project, ProjectYear
from .projects import indicator_save, project_save


class ImportNotApplied(Exception):
    """Nothing was applied. `str(error)` says why, for the person confirming."""


class ImportConflict(ImportNotApplied):
    """Someone changed what the preview showed after it was shown."""


def projects_upload(*, year, upload, by):
    """Keep an uploaded file (already checked by the form) until it is previewed and confirmed."""
    return SpreadsheetImport.objects.create(
        kind=SpreadsheetImport.Kind.PROJECTS,
        financial_year=year,
        file=upload,
        original_name=upload.name[:255],
        uploaded_by=by,
    )


@transaction.atomic
def projects_apply(*, import_, by, seen):
    """Apply the upload as its preview shows it now, if that is what the person saw (`seen`: Preview.seen()).

    Raises ImportNotApplied (already applied, someone else's upload, problems in the file) or ImportConflict
    (a matched project or indicator saved since the preview, or one added with a new row's name), and then
    nothing is written. Returns the preview that was applied.
    """
    seen = seen or {}
    import_ = (
        SpreadsheetImport.objects.select_for_update(of=("self",)).select_related("financial_year").get(pk=import_.pk)
    )
    if import_.status == SpreadsheetImport.Status.APPLIED:
        raise ImportNotApplied(f"{import_.original_name} has already been applied: nothing has changed.")
    if import_.status != SpreadsheetImport.Status.PREVIEWED or import_.uploaded_by_id != by.pk:
        raise ImportNotApplied(f"{import_.original_name} cannot be applied: upload it again.")
    year = import_.financial_year
    if year.is_closed:
        raise ImportNotApplied(f"{year.label} is closed: its projects can no longer change.")
    preview = projects_preview(import_=import_)
    if not preview.is_valid:
        raise ImportNotApplied("The file has problems, so nothing has been applied. Correct them and upload it again.")
    moved = _moved_since(preview, seen or {})
    if moved:
        raise ImportConflict(
            f"Someone changed {', '.join(moved)} after you saw the preview, so nothing has been applied. "
            "Check the changes below again before you confirm."
        )
    reason = f"Imported from {import_.original_name}"[:100]
    versions = {kind: {int(pk): v for pk, v in seen.get(kind, {}).items()} for kind in ("projects", "indicators")}
    try:
        _apply(preview, versions, by=by, reason=reason)
    except EditConflict as conflict:
        # Saved by someone between the check above and the row lock: the transaction undoes what was done.
        raise ImportConflict(
            f"Someone changed {conflict.current} while this was being applied, so nothing has been applied. "
            "Check the changes below again before you confirm."
        ) from conflict
    import_.status, import_.applied_at = SpreadsheetImport.Status.APPLIED, timezone.now()
    import_.save(update_fields=["status", "applied_at"])
    return preview


def _apply(preview, versions, *, by, reason):
    year = preview.year
    projects = {}
    is_current = year == FinancialYear.current()
    for row in preview.projects:
        project = row.target or Project(borough=row.values["borough"])
        projects[row.key] = project
        if row.status == UNCHANGED:
            continue
        values = row.values
        project.name, project.delivery_partner = values["name"], values["delivery_partner"]
        project.description = values["description"]
        if row.status == NEW or is_current:
            # The project's own allocation is its current year's; a later year's waits in its ProjectYear
            # until the year before closes (services/years.py::projects_roll_over).
            project.csf_allocation = values["allocation"]
        _stamp(project, by, reason)
        project_save(
            project=project,
            priorities=values["priorities"],
            version=versions["projects"].get(project.pk),
            by=by,
        )
        _fund(project, year, values["allocation"], by, reason)
    for row in preview.indicators:
        if row.status == UNCHANGED:
            continue
        indicator = row.target or Indicator(project=projects[row.key])
        for name, value in row.values.items():
            setattr(indicator, name, value)
        _stamp(indicator, by, reason)
        indicator_save(indicator=indicator, version=versions["indicators"].get(indicator.pk), by=by)


def _moved_since(preview, seen):
    """Names of what the preview matched differently, or at another version, than what the person saw."""
    moved = []
    for kind, rows in (("projects", preview.projects), ("indicators", preview.indicators)):
        was = dict(seen.get(kind, {}))
        for row in rows:
            if row.target is None:
                continue
            if was.pop(str(row.target.pk), None) != row.target.version:
                moved.append(row.title)
        if was:  # matched then, not now: a renamed project would be added again as new
            moved.append(f"{len(was)} other {kind[:-1] if len(was) == 1 else kind}")
    return moved


def _stamp(instance, by, reason):
    # The history records who and why, also outside a request (simple_history reads these attributes).
    instance._history_user = by
    instance._change_reason = reason


def _fund(project, year, allocation, by, reason):
    """The project is funded in `year` with `allocation`: its ProjectYear, as opening a year records it."""
    funded = ProjectYear.objects.filter(project=project, financial_year=year).first()
    if funded is not None and funded.csf_allocation == allocation:
        return
    funded = funded or ProjectYear(project=project, financial_year=year)
    funded.csf_allocation = allocation
    _stamp(funded, by, reason)
    funded.save()
