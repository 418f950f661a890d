"""Cell-by-cell comparison of two assembled annexes (a published version and the current draft)."""

import difflib
from dataclasses import dataclass


@dataclass(frozen=True)
class Segment:
    kind: str  # "same", "removed" or "added"
    text: str


@dataclass(frozen=True)
class Change:
    borough: str
    where: str  # the row and column, in words
    kind: str  # "changed", "added", "removed", "hidden", "shown", "moved", "details"
    before: str = ""
    after: str = ""
    segments: tuple[Segment, ...] = ()


def compare(old, new):
    """What changed from `old` to `new`, borough by borough in `new`'s order."""
    changes = []
    for name, old_value, new_value in (
        ("Label", old.label, new.label),
        ("Title", old.title, new.title),
        ("Introduction", old.introduction, new.introduction),
    ):
        if old_value != new_value:
            changes.append(_text_change("Annex", name, "details", old_value, new_value))
    old_headings = {c.key: c.heading for c in old.columns}
    for column in new.columns:
        if column.key in old_headings and old_headings[column.key] != column.heading:
            changes.append(
                _text_change("Annex", "Column heading", "details", old_headings[column.key], column.heading)
            )

    old_sections = {section.slug: section for section in old.boroughs}
    new_slugs = {section.slug for section in new.boroughs}
    for section in new.boroughs:
        before = old_sections.get(section.slug)
        if before is None:
            changes.append(Change(section.name, "Whole borough", "added"))
            continue
        changes.extend(_compare_section(before, section))
    for section in old.boroughs:
        if section.slug not in new_slugs:
            changes.append(Change(section.name, "Whole borough", "removed"))
    return changes


def _compare_section(old, new):
    changes = []
    old_rows = {row.key: row for row in old.all_rows}
    old_order = [row.key for row in old.rows if row.key in {r.key for r in new.rows}]
    new_order = [row.key for row in new.rows if row.key in old_rows]
    moved = old_order != new_order
    for row in new.all_rows:
        before = old_rows.get(row.key)
        if before is None:
            if not row.is_empty:
                changes.append(Change(new.name, row.label, "added"))
            continue
        if before.hidden != row.hidden:
            kind = "hidden" if row.hidden else "shown"
            changes.append(Change(new.name, row.label, kind, after=row.hidden_reason if row.hidden else ""))
        old_cells = {cell.column.key: cell for cell in before.cells}
        for cell in row.cells:
            old_cell = old_cells.get(cell.column.key)
            old_text = old_cell.text if old_cell else ""
            if old_text != cell.text:
                changes.append(
                    _text_change(new.name, f"{row.label}: {cell.column.heading}", "changed", old_text, cell.text)
                )
    if moved:
        labels = [row.label for row in new.rows]
        changes.append(Change(new.name, "Row order", "moved", after=", ".join(labels)))
    new_keys = {row.key for row in new.all_rows}
    for row in old.rows:
        if row.key not in new_keys:
            changes.append(Change(new.name, row.label, "removed"))
    return changes


def _text_change(borough, where, kind, before, after):
    return Change(borough, where, kind, before, after, tuple(word_diff(before, after)))


def word_diff(before, after):
    """Words removed and added, for showing a change inline. Text only: the template escapes it."""
    old_words, new_words = before.split(" "), after.split(" ")
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            yield Segment("same", " ".join(old_words[a1:a2]))
            continue
        if a2 > a1:
            yield Segment("removed", " ".join(old_words[a1:a2]))
        if b2 > b1:
            yield Segment("added", " ".join(new_words[b1:b2]))
