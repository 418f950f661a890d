"""Repair databases where importing a past annex made its rows into live projects.

The 2015-16 import used to create each row's project as *active* (£0, no partner, no indicators),
so every later return carried it forward as a task. A project that only an import created is now a
record of history: completed at the end of the (past) year whose roll-up names it. It is recognised by
what an import leaves and a person never does: named by a past year's roll-up row, no partner, no
allocation, no indicators or match funding, no reviewer's commentary or flag, and never reported on
(any task a return holds for it is an untouched one in a draft). Those untouched draft tasks go, so
the live returns list only real projects.
"""

from django.db import migrations
from django.utils import timezone

EMPTY_DRAFT_TASK = {
    "return_of__status": "draft",
    "status": "not_started",
    "activity": "",
    "outcomes": "",
    "spend__isnull": True,
    "rag_override": "",
}


def repair(apps, today):
    Project = apps.get_model("returns", "Project")
    ProjectUpdate = apps.get_model("returns", "ProjectUpdate")
    RollUpRow = apps.get_model("reviews", "RollUpRow")
    ended = {}
    for project_id, end_date in RollUpRow.objects.filter(
        project__status="active", rollup__financial_year__end_date__lt=today
    ).values_list("project_id", "rollup__financial_year__end_date"):
        ended[project_id] = max(end_date, ended.get(project_id, end_date))
    candidates = Project.objects.filter(
        pk__in=ended,
        status="active",
        delivery_partner="",
        csf_allocation=0,
        indicators__isnull=True,
        match_funding__isnull=True,
        commentaries__isnull=True,
        flags__isnull=True,
    ).distinct()
    reported = set(
        ProjectUpdate.objects.filter(project__in=candidates)
        .exclude(**EMPTY_DRAFT_TASK)
        .values_list("project_id", flat=True)
    )
    history = [project for project in candidates if project.pk not in reported]
    versioned = any(field.name == "version" for field in Project._meta.concrete_fields)
    for project in history:
        project.status = "completed"
        end = ended[project.pk]
        if project.end_date is None or project.end_date > end:
            project.end_date = end
        fields = ["status", "end_date"]
        if versioned:
            project.version += 1
            fields.append("version")
        project.save(update_fields=fields)
    ProjectUpdate.objects.filter(project__in=[p.pk for p in history], **EMPTY_DRAFT_TASK).delete()
    return history


def complete_history_projects(apps, schema_editor):
    repair(apps, timezone.localdate())


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0006_versioned_base"),
        ("returns", "0008_year_open_close_project_years"),
    ]

    operations = [migrations.RunPython(complete_history_projects, migrations.RunPython.noop)]
