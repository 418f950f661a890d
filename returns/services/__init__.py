"""Writes that span several rows or models: keyword-only and atomic, one module per feature.

`returns` (start, submit, the lock every edit takes), `sections` (what an officer fills in),
`projects` (projects, indicators, match funding) and `periods` (dates, extensions, closing).
Everything is re-exported here, so `from returns.services import return_start` works.
"""

from boroughs.locking import EditConflict

from .periods import extension_grant, period_close, period_dates_save, period_reopen
from .projects import indicator_save, match_funding_add, match_funding_remove, match_funding_save, project_save
from .returns import IncompleteReturn, lock_editable, return_start, return_submit
from .sections import (
    alignment_save,
    evidence_add,
    evidence_remove,
    log_item_delete,
    log_item_save,
    project_update_save,
    section_mark,
)

__all__ = [
    "EditConflict",
    "IncompleteReturn",
    "alignment_save",
    "evidence_add",
    "evidence_remove",
    "extension_grant",
    "indicator_save",
    "lock_editable",
    "log_item_delete",
    "log_item_save",
    "match_funding_add",
    "match_funding_remove",
    "match_funding_save",
    "period_close",
    "period_dates_save",
    "period_reopen",
    "project_save",
    "project_update_save",
    "return_start",
    "return_submit",
    "section_mark",
]
