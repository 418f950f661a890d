import json

import pytest
from django.core.management import CommandError, call_command
from django.forms.models import model_to_dict

from boroughs.models import Borough
from returns.models import Project
from reviews.annex.importer import AnnexFileError, load, validate
from reviews.demo import DEMO_ANNEX
from reviews.models import Annex, AnnexColumn, BoroughRollUp, RollUpCell, RollUpRow
from reviews.services import annex as services
from tests.reviews.conftest import COLUMN_KEYS

pytestmark = pytest.mark.django_db


def _state():
    """Everything the import writes, with versions and timestamps, to prove a second import writes nothing."""
    models = [Annex, AnnexColumn, BoroughRollUp, RollUpRow, RollUpCell]
    state = {
        model.__name__: [model_to_dict(o) | {"pk": o.pk} for o in model.objects.order_by("pk")] for model in models
    }
    state["updated"] = sorted(str(c.updated) for c in RollUpCell.objects.all())
    state["projects"] = sorted(Project.objects.values_list("borough__name", "name", "updated"))
    state["boroughs"] = list(Borough.objects.values_list("name", flat=True))
    return state


def _write(tmp_path, data):
    path = tmp_path / "annex.json"
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return str(path)


def _assert_nothing_imported():
    assert not Annex.objects.exists()
    assert not BoroughRollUp.objects.exists()
    assert not RollUpRow.objects.exists()
    assert not RollUpCell.objects.exists()


def test_the_seed_imports_on_a_fresh_database(west_midlands, seed_json, capsys):
    call_command("import_annex", str(DEMO_ANNEX))
    assert "Imported annex 2015-16" in capsys.readouterr().out

    annex = Annex.objects.get(financial_year__label="2015-16")
    assert annex.label == "Annex 1"
    assert annex.title == seed_json["title"]
    columns = list(AnnexColumn.objects.filter(financial_year=annex.financial_year))
    assert [(c.key, c.heading) for c in columns] == [(c["key"], c["heading"]) for c in seed_json["columns"]]
    assert BoroughRollUp.objects.count() == 7
    # Every cell of the file is in the roll-up, in its borough, row and column.
    for position, borough in enumerate(seed_json["boroughs"], start=1):
        rollup = BoroughRollUp.objects.get(borough__name=borough["name"], financial_year=annex.financial_year)
        assert rollup.position == position
        rows = list(rollup.rows.order_by("position").select_related("project"))
        assert len(rows) == len(borough["rows"])
        for row, spec in zip(rows, borough["rows"], strict=True):
            assert row.title == spec["project"]
            texts = {c.column.key: c.text for c in row.cells.select_related("column")}
            assert texts == {key: spec["cells"].get(key, "") for key in COLUMN_KEYS}
    # Projects are created by name in their borough; an empty project name makes a row without a project.
    assert Project.objects.filter(borough__name="Birmingham", name="Youth violence").exists()
    assert RollUpRow.objects.filter(project__isnull=True).count() == sum(
        1 for b in seed_json["boroughs"] for r in b["rows"] if not r["project"]
    )


def test_a_second_import_changes_nothing(west_midlands, capsys):
    call_command("import_annex", str(DEMO_ANNEX))
    before = _state()
    capsys.readouterr()
    call_command("import_annex", str(DEMO_ANNEX))
    assert "already up to date: nothing changed" in capsys.readouterr().out
    assert _state() == before


def test_a_changed_file_updates_only_what_changed(west_midlands, seed_data):
    annex_spec = validate(seed_data)
    services.annex_import(spec=annex_spec)
    cell = RollUpCell.objects.get(row__rollup__borough__name="Walsall", row__position=1, column__key="community")
    untouched = RollUpCell.objects.get(row__rollup__borough__name="Walsall", row__position=1, column__key="alignment")
    seed_data["boroughs"][5]["rows"][0]["cells"]["community"] = "New community text."
    report = services.annex_import(spec=validate(seed_data))
    assert report.changed == ["Walsall: row 1: community"]
    cell.refresh_from_db()
    assert (cell.text, cell.version) == ("New community text.", 2)
    assert RollUpCell.objects.get(pk=untouched.pk).version == 1


def test_a_malformed_file_is_refused_and_nothing_is_imported(west_midlands, tmp_path):
    path = _write(tmp_path, '{"financial_year": "2015-16", "boroughs": [')
    with pytest.raises(CommandError, match=r"not valid JSON: .* at line 1 column \d+"):
        call_command("import_annex", path)
    _assert_nothing_imported()


def test_an_unknown_column_key_is_reported_with_its_path(west_midlands, seed_data, tmp_path):
    seed_data["boroughs"][3]["rows"][2]["cells"]["outcomes"] = "Text in a column the annex does not have."
    with pytest.raises(CommandError) as error:
        call_command("import_annex", _write(tmp_path, seed_data))
    assert 'boroughs[3].rows[2].cells.outcomes: unknown column "outcomes"' in str(error.value)
    assert "nothing was changed" in str(error.value)
    _assert_nothing_imported()


def test_a_missing_borough_name_is_reported_with_its_path(west_midlands, seed_data, tmp_path):
    del seed_data["boroughs"][2]["name"]
    with pytest.raises(CommandError, match=r"boroughs\[2\]\.name: required"):
        call_command("import_annex", _write(tmp_path, seed_data))
    _assert_nothing_imported()


def test_every_problem_is_reported_at_once(seed_data):
    seed_data["boroughs"][3]["rows"][7 % len(seed_data["boroughs"][3]["rows"])]["cells"]["performance"] = 42
    seed_data["boroughs"][0]["rows"][0]["project"] = ["not", "text"]
    seed_data["columns"].append({"key": "alignment", "heading": "Twice"})
    seed_data["financial_year"] = "2015-17"
    with pytest.raises(AnnexFileError) as error:
        validate(seed_data)
    problems = error.value.problems
    assert "boroughs[3].rows[1].cells.performance: expected text" in problems
    assert "boroughs[0].rows[0].project: expected text" in problems
    assert 'columns[5].key: "alignment" is used by another column' in problems
    assert 'financial_year: expected a financial year like "2015-16"' in problems


def test_control_characters_and_non_objects_are_refused():
    with pytest.raises(AnnexFileError) as error:
        load(json.dumps({"financial_year": "2015-16", "title": "T", "columns": "x", "boroughs": [7]}))
    assert "columns: expected a list of at least one column" in error.value.problems
    assert "boroughs[0]: expected an object" in error.value.problems
    with pytest.raises(AnnexFileError, match="control characters"):
        validate(
            {
                "financial_year": "2015-16",
                "title": "T",
                "columns": [{"key": "a", "heading": "A"}],
                "boroughs": [{"name": "Walsall", "rows": [{"cells": {"a": "bell\x07"}}]}],
            }
        )


def test_a_failure_part_way_leaves_nothing_half_imported(west_midlands, seed_json, monkeypatch):
    real = services._import_rows
    calls = []

    def fail_on_third(rollup, *args):
        calls.append(rollup)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real(rollup, *args)

    monkeypatch.setattr(services, "_import_rows", fail_on_third)
    with pytest.raises(RuntimeError):
        services.annex_import(spec=validate(seed_json))
    _assert_nothing_imported()
    assert not Project.objects.filter(name="Youth violence").exists()


def test_an_unknown_borough_is_created_inactive_and_matched_next_time(west_midlands):
    data = {
        "financial_year": "2016-17",
        "title": "Annex for 2016-17",
        "columns": [{"key": "alignment", "heading": "Alignment"}],
        "boroughs": [{"name": "Redditch", "rows": [{"project": "Night watch", "cells": {"alignment": "Yes."}}]}],
    }
    report = services.annex_import(spec=validate(data))
    redditch = Borough.objects.get(name="Redditch")
    assert not redditch.active
    assert any("placeholder ONS code" in w for w in report.warnings)
    again = services.annex_import(spec=validate(data))
    assert not again.changed_anything
    assert Borough.objects.filter(name__iexact="redditch").count() == 1


def test_seed_demo_imports_the_annex_from_the_project(west_midlands, settings):
    settings.DEMO_DATA_ALLOWED = True
    call_command("seed_demo", "--quiet-logins", "--password", "demo-password-123")
    assert RollUpRow.objects.filter(rollup__financial_year__label="2015-16").count() == 50


# A past annex is history: its rows never become live projects.


def test_a_past_annexs_projects_are_completed_in_its_year_and_never_carried_forward(west_midlands, alice, bob):
    from datetime import date

    from returns.models import FinancialYear, Return
    from returns.services import return_start
    from tests.reviews.conftest import make_project

    coventry = Borough.objects.get(slug="coventry")
    live = make_project(coventry, "Street Pastors")  # a live project named like a 2015-16 row
    services.annex_import(spec=load(DEMO_ANNEX.read_bytes()))

    assert not Project.objects.filter(status=Project.Status.ACTIVE).exclude(pk=live.pk).exists()
    history = Project.objects.exclude(pk=live.pk)
    named = {(b["name"], r["project"]) for b in load_json() for r in b["rows"] if r["project"]}
    assert history.count() == len(named) - 1  # every named row but the live one's
    assert set(history.values_list("status", "end_date")) == {(Project.Status.COMPLETED, date(2016, 3, 31))}
    # The live project of the same name is the same work: the row names it, and it is left as it was.
    assert RollUpRow.objects.get(rollup__borough=coventry, project__name="Street Pastors").project == live
    live.refresh_from_db()
    assert live.status == Project.Status.ACTIVE

    year, _ = FinancialYear.get_or_create_for_start(2026)
    q3 = year.ensure_periods()[2]
    return_ = return_start(borough=coventry, period=q3, by=bob)
    assert list(return_.project_updates.values_list("project__name", flat=True)) == ["Street Pastors"]
    assert Return.objects.count() == 1


def load_json():
    return json.loads(DEMO_ANNEX.read_text(encoding="utf-8"))["boroughs"]


def _migration():
    import importlib

    return importlib.import_module("reviews.migrations.0007_history_projects_completed")


def test_the_migration_repairs_a_database_where_the_import_made_live_projects(west_midlands, bob):
    """The broken state: an old import left 2015-16's rows as active projects, carried into a live draft."""
    from datetime import date

    from django.apps import apps

    from returns.models import FinancialYear
    from returns.services import return_start
    from tests.reviews.conftest import make_project

    services.annex_import(spec=load(DEMO_ANNEX.read_bytes()))
    imported = set(Project.objects.values_list("pk", flat=True))
    Project.objects.update(status=Project.Status.ACTIVE, end_date=None)  # as the old import left them
    coventry = Borough.objects.get(slug="coventry")
    real = make_project(coventry, "Youth outreach")
    # A 2015-16 row's project an officer has since reported on: real work, kept as it is.
    reported = Project.objects.get(borough=coventry, name="Unpaid work requirement")
    year, _ = FinancialYear.get_or_create_for_start(2026)
    draft = return_start(borough=coventry, period=year.ensure_periods()[2], by=bob)
    coventry_imported = Project.objects.filter(borough=coventry, pk__in=imported).count()
    assert draft.project_updates.count() == coventry_imported + 1  # the bug: history as tasks
    draft.project_updates.filter(project=reported).update(activity="Ran 12 sessions.")

    repaired = _migration().repair(apps, date(2026, 11, 28))

    assert {p.pk for p in repaired} == imported - {reported.pk}
    history = Project.objects.filter(pk__in=imported - {reported.pk})
    assert set(history.values_list("status", "end_date")) == {(Project.Status.COMPLETED, date(2016, 3, 31))}
    for project in (real, reported):
        project.refresh_from_db()
        assert project.status == Project.Status.ACTIVE
    # The live draft lists only real work: its untouched history tasks are gone.
    assert sorted(draft.project_updates.values_list("project__name", flat=True)) == [
        "Unpaid work requirement",
        "Youth outreach",
    ]
    # Running it again finds nothing more to repair.
    assert _migration().repair(apps, date(2026, 11, 28)) == []
