"""The History tab: who changed what, when, and the values before and after.

Every model that matters keeps its changes with django-simple-history. Here a return's (or a
roll-up's) historical rows are read with one query per model, whatever their number, and each
version is compared with the one before by django-simple-history's own `diff_against`, in Python
(ids, not related objects, and no many-to-many fields: no queries). Officers see their return's
history without OPCC-only text: historical commentary and flags are filtered by the visibility
they had at the time.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache

from django.contrib.auth import get_user_model
from django.db.models import Value

from boroughs.formats import govuk_datetime
from returns.models import (
    CommunityEngagement,
    Evidence,
    Indicator,
    IndicatorActual,
    OpccEngagement,
    Project,
    ProjectUpdate,
    Return,
    ReturnSection,
    Risk,
)
from returns.overview import submitted_names

from ..models import AnnexColumn, ColumnCommentary, Flag, ProjectCommentary, RollUpCell, RollUpRow, Visibility
from ..permissions import can_see_opcc_only

# Bookkeeping, not content: never shown as a change.
IGNORED = {
    "id",
    "version",
    "updated",
    "updated_by",
    "created",
    "return_of",
    "uuid",
    "size",
    "file",
    "started_by",
    "uploaded_by",
    "rollup",
    "borough",
    "period",
    "update",
    "raised_by",
    "resolved_by",
    "submitted_by",
    "submitted_at",
}


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class Entry:
    at: datetime
    who: str
    subject: str
    action: str  # "added", "changed" or "removed"
    changes: list = field(default_factory=list)
    reason: str = ""


@cache
def _fields(model):
    """The fields a History tab shows, in the model's order (fixed for the process: kept once worked out).

    Links to other rows name the entry ("Risk: …", "Project: …") rather than appear as ids, and many-to-many
    fields are left out, so diffing never touches the database.
    """
    return tuple(
        f for f in _history(model).model.tracked_fields if f.editable and not f.is_relation and f.name not in IGNORED
    )


def _show(model_field, value):
    if value is None or value == "":
        return ""
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, date):  # a datetime too: GOV.UK style, never str()'s "2026-11-28 20:07:41.250743+00:00"
        return govuk_datetime(value)
    return str(value)


def _values(record, fields):
    """Every field with a value, as changes from nothing: an added object, or the first version a reader may see."""
    changes = [Change(f.verbose_name, "", _show(f, getattr(record, f.attname))) for f in fields]
    return [c for c in changes if c.after]


def _diff(previous, record, fields):
    """What changed between two consecutive versions of one object, by django-simple-history's own diff."""
    by_name = {f.name: f for f in fields}
    delta = record.diff_against(previous, included_fields=list(by_name))
    changes = {}
    for change in delta.changes:
        model_field = by_name[change.field]
        before, after = _show(model_field, change.old), _show(model_field, change.new)
        if before != after:  # None and "" both show as empty: not a change a reader could see.
            changes[change.field] = Change(model_field.verbose_name, before, after)
    # The delta comes sorted by field name; the page lists fields as the form does.
    return [changes[name] for name in by_name if name in changes]


def _entries(records, model, subject_of, users, *, reason_of=None):
    """Turn one model's historical rows into entries, diffing each version against the one before (no queries)."""
    fields = _fields(model)
    by_object = defaultdict(list)
    for record in records:
        by_object[record.id].append(record)
    entries = []
    for versions in by_object.values():
        versions.sort(key=lambda r: (r.history_date, r.history_id))
        previous = None
        for record in versions:
            if record.history_type == "+":
                action, changes = "added", _values(record, fields)
            elif record.history_type == "-":
                action, changes = "removed", []
            elif previous is None:
                # The first version this reader may see (earlier ones were OPCC-only): show it whole.
                action, changes = "changed", _values(record, fields)
            else:
                action, changes = "changed", _diff(previous, record, fields)
                if not changes:
                    previous = record
                    continue
            entries.append(
                Entry(
                    at=record.history_date,
                    who=users.get(record.history_user_id, "the system"),
                    subject=subject_of(record),
                    action=action,
                    changes=changes,
                    reason=(reason_of(record) if reason_of else "") or record.history_change_reason or "",
                )
            )
            previous = record
    return entries


@cache
def _history(model):
    """`model.history`, built once per process: django-simple-history's descriptor makes a new manager class on every
    access. A manager without an instance holds no data, only the historical model, so keeping it shows nothing stale.
    """
    return model.history


def _users(*record_lists):
    ids = {r.history_user_id for records in record_lists for r in records if r.history_user_id}
    return {u.pk: u.get_full_name() or u.username for u in get_user_model().objects.filter(pk__in=ids)}


def _names(project_ids, indicator_ids, year_id):
    """({project id: name}, {indicator id: name}, {column id: heading} of the year, if any) in one query."""

    def named(queryset, kind, name):
        # No ordering (nor on the union): these only fill dictionaries.
        return queryset.order_by().annotate(kind=Value(kind)).values_list("kind", "pk", name)

    parts = [
        named(Project.objects.filter(pk__in=project_ids), "project", "name"),
        named(Indicator.objects.filter(pk__in=indicator_ids), "indicator", "name"),
    ]
    if year_id is not None:
        parts.append(named(AnnexColumn.objects.filter(financial_year_id=year_id), "column", "heading"))
    names = {"project": {}, "indicator": {}, "column": {}}
    if project_ids or indicator_ids or year_id is not None:
        for kind, pk, name in parts[0].union(*parts[1:], all=True).order_by():
            names[kind][pk] = name
    return names["project"], names["indicator"], names["column"]


def return_history(return_, user):
    """Every recorded change to the return, its sections, tasks, logs, files and review, newest first."""
    pk = return_.pk
    where = {"borough_id": return_.borough_id, "period_id": return_.period_id}
    records = {
        Return: list(_history(Return).filter(id=pk)),
        ReturnSection: list(_history(ReturnSection).filter(return_of_id=pk)),
        ProjectUpdate: list(_history(ProjectUpdate).filter(return_of_id=pk)),
        IndicatorActual: list(_history(IndicatorActual).filter(update__return_of_id=pk)),
        Risk: list(_history(Risk).filter(return_of_id=pk)),
        CommunityEngagement: list(_history(CommunityEngagement).filter(return_of_id=pk)),
        OpccEngagement: list(_history(OpccEngagement).filter(return_of_id=pk)),
        Evidence: list(_history(Evidence).filter(return_of_id=pk)),
    }
    review = {
        ColumnCommentary: _history(ColumnCommentary).filter(**where),
        ProjectCommentary: _history(ProjectCommentary).filter(**where),
        Flag: _history(Flag).filter(**where),
    }
    hide = not can_see_opcc_only(user)
    for model, queryset in review.items():
        # What was OPCC-only when it was written stays out of an officer's view, even if shared later.
        records[model] = list(queryset.filter(visibility=Visibility.SHARED) if hide else queryset)

    updates = {u.id: u for u in records[ProjectUpdate]}
    project_ids = {u.project_id for u in updates.values()} | {
        r.project_id for model in (Risk, Evidence, ProjectCommentary, Flag) for r in records[model] if r.project_id
    }
    projects, indicators, columns = _names(
        project_ids,
        {a.indicator_id for a in records[IndicatorActual]},
        return_.period.year_id if records[ColumnCommentary] else None,
    )
    if return_.is_frozen:
        # With the OPCC, the return names its projects and indicators as submitted, whatever they are called now.
        submitted_projects, submitted_indicators = submitted_names(return_.snapshot)
        projects.update(submitted_projects)
        indicators.update(submitted_indicators)
    users = _users(*records.values())

    def project_name(project_id):
        return projects.get(project_id, "a project")

    def update_project(update_id):
        update = updates.get(update_id)
        return project_name(update.project_id) if update else "a project"

    subjects = {
        Return: lambda r: "Return",
        ReturnSection: lambda r: f"Section: {dict(ReturnSection.Key.choices).get(r.key, r.key)}",
        ProjectUpdate: lambda r: f"Project: {project_name(r.project_id)}",
        IndicatorActual: lambda r: (
            f"Actual: {indicators.get(r.indicator_id, 'an indicator')} ({update_project(r.update_id)})"
        ),
        Risk: lambda r: f"Risk: {r.description[:80]}",
        CommunityEngagement: lambda r: f"Community engagement: {r.title}",
        OpccEngagement: lambda r: f"Engagement with the OPCC: {r.what[:80]}",
        Evidence: lambda r: f"Evidence: {r.original_name}",
        ColumnCommentary: lambda r: f"OPCC commentary: {columns.get(r.column_id, 'a column')}",
        ProjectCommentary: lambda r: f"OPCC assessment: {project_name(r.project_id)}",
        Flag: lambda r: "Evidence flag",
    }
    entries = []
    for model, model_records in records.items():
        entries += _entries(model_records, model, subjects[model], users)
    return sorted(entries, key=lambda e: e.at, reverse=True)


def rollup_history(rollup):
    """Every recorded change to a borough's annual roll-up: cells, and rows moved, hidden and shown."""
    cells = list(_history(RollUpCell).filter(rollup_id=rollup.pk))
    rows = list(_history(RollUpRow).filter(rollup_id=rollup.pk))
    columns = dict(AnnexColumn.objects.filter(financial_year_id=rollup.financial_year_id).values_list("pk", "heading"))
    row_projects = {r.id: r.project_id for r in rows}
    projects = dict(Project.objects.filter(pk__in={p for p in row_projects.values() if p}).values_list("pk", "name"))
    users = _users(cells, rows)

    def row_name(row_id):
        project_id = row_projects.get(row_id)
        return projects.get(project_id, "Project row") if project_id else "Project row"

    def cell_subject(record):
        where = "Annual text" if record.row_id is None else row_name(record.row_id)
        return f"{where}: {columns.get(record.column_id, 'a column')}"

    entries = _entries(cells, RollUpCell, cell_subject, users)
    entries += _entries(rows, RollUpRow, lambda r: f"Row: {row_name(r.id)}", users)
    return sorted(entries, key=lambda e: e.at, reverse=True)
