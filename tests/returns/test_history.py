"""Every change to a return and its parts is recorded: who, when, and the values before and after."""

from returns.models import Evidence, IndicatorActual, ProjectUpdate, Return, ReturnSection, Risk
from returns.services import (
    alignment_save,
    evidence_add,
    log_item_save,
    project_update_save,
    return_submit,
)

from .conftest import PDF_BYTES, complete_everything, upload


def test_starting_a_return_records_its_sections_and_tasks(draft):
    assert draft.history.count() == 1
    assert ReturnSection.history.filter(return_of_id=draft.pk, history_type="+").count() == draft.sections.count()
    assert ProjectUpdate.history.filter(return_of_id=draft.pk, history_type="+").count() == 2


def test_edits_record_who_and_before_and_after(draft, alice):
    section = draft.sections.get(key=ReturnSection.Key.ALIGNMENT)
    alignment_save(return_=draft, statement="First", priorities=[], completed=False, version=section.version, by=alice)
    alignment_save(
        return_=draft, statement="Second", priorities=[], completed=True, version=section.version + 1, by=alice
    )
    newest, older = Return.history.filter(id=draft.pk).order_by("-history_id")[:2]
    delta = newest.diff_against(older)
    assert [(c.field, c.old, c.new) for c in delta.changes if c.field == "alignment_statement"] == [
        ("alignment_statement", "First", "Second")
    ]
    section_history = ReturnSection.history.filter(id=section.pk).order_by("-history_id")
    assert section_history[0].status == "completed"
    assert section_history[0].version == section.version + 2


def test_project_update_actuals_risks_and_evidence_are_recorded(draft, alice):
    update = draft.project_updates.select_related("project").first()
    indicator = update.project.indicators.first()
    project_update_save(
        update=update,
        activity="Ran 12 sessions",
        outcomes="",
        spend=1000,
        rag_override="",
        rag_reason="",
        actuals={indicator: 130},
        completed=True,
        version=update.version,
        by=alice,
    )
    assert ProjectUpdate.history.filter(id=update.pk).latest("history_id").activity == "Ran 12 sessions"
    assert IndicatorActual.history.filter(update_id=update.pk).latest("history_id").value == 130

    risk = log_item_save(
        item=Risk(return_of=draft, description="Fixed-term funding", likelihood=3, impact=4),
        section_key=ReturnSection.Key.RISKS,
        by=alice,
    )
    assert Risk.history.filter(id=risk.pk, history_type="+").exists()

    evidence = evidence_add(
        return_=draft, upload=upload("report.pdf", PDF_BYTES), kind="pdf", project=None, description="", by=alice
    )
    assert Evidence.history.filter(id=evidence.pk, history_type="+").exists()


def test_submission_is_recorded_with_its_author(draft, alice, client):
    complete_everything(draft)
    return_submit(return_=draft, by=alice)
    latest = Return.history.filter(id=draft.pk).latest("history_id")
    assert latest.status == Return.Status.SUBMITTED
    assert latest.submitted_by_id == alice.pk
