"""What changed since the last submission: a resubmitted return against the version the OPCC sent back.

The earlier version is the one kept on the decision that sent the return back or reopened it
(`Decision.snapshot`); the latest is the return's own (`Return.snapshot`, taken at submission). Both are read
through `returns.overview.overview_as_submitted`, so the values are those the return's pages show, and comparing
touches no live row: the page costs the same however many projects, indicators or log entries the return has.

Section by section: narratives as a word diff (`Segment`s of kept, removed and added words), everything else
(indicator actuals, spend, RAG, dates, choices) as figures before and after; projects and log entries are matched
by id, so each is added, removed or changed.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from difflib import SequenceMatcher

from django.db import models
from django.utils.text import capfirst

from boroughs.formats import govuk_date
from returns.models import CommunityEngagement, Evidence, OpccEngagement, Rag, Risk
from returns.overview import SECTION_ORDER, overview_as_submitted, submitted_snapshot

from ..models import Decision
from .feedback import SECTION_NAMES, earlier_submission


@dataclass(frozen=True)
class Segment:
    kind: str  # "same", "removed" or "added"
    text: str


@dataclass
class TextChange:
    label: str
    segments: list


@dataclass
class FigureChange:
    label: str
    before: str  # as shown on the return's pages; "" for nothing
    after: str


@dataclass
class ItemChange:
    """One project, risk, engagement or file (or a section's own answers, with no name)."""

    name: str
    state: str  # "added", "removed" or "changed"
    texts: list = field(default_factory=list)
    figures: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.texts or self.figures)


@dataclass
class SectionChanges:
    key: str
    items: list
    named: bool  # the OPCC asked for changes to this section

    @property
    def name(self):
        return SECTION_NAMES[self.key]

    @property
    def changed(self):
        return bool(self.items)


@dataclass
class ReturnChanges:
    earlier: Decision | None  # the decision keeping the version compared with; None when there is none
    sections: list = field(default_factory=list)

    @property
    def comparable(self):
        # Versions kept before the snapshot had a format hold figures as text; they can only be read, not compared.
        return bool(self.earlier and self.earlier.snapshot.get("format"))


def compare_submissions(return_, user):
    """The return's latest submission against the one before it, or an empty ReturnChanges if there is none."""
    decisions = Decision.objects.for_user(user).filter(return_of=return_).select_related("by")
    changes = ReturnChanges(earlier=earlier_submission(return_, list(decisions)))
    if changes.comparable:
        before = overview_as_submitted(return_, changes.earlier.snapshot)
        after = overview_as_submitted(return_, submitted_snapshot(return_))
        changes.sections = compare(before, after, named=changes.earlier.sections)
    return changes


def compare(before, after, *, named=()):
    """Two overviews (returns.overview.ReturnOverview) section by section, in the return's order."""
    found = {
        "alignment": [_alignment(before, after)],
        "projects": _matched(before.tasks, after.tasks, key=lambda t: t.update.project_id, compare=_project),
        "risks": _logs(before.risks, after.risks, RISK),
        "community": _logs(before.community, after.community, COMMUNITY),
        "opcc": _logs(before.opcc, after.opcc, OPCC),
        "evidence": _logs(before.evidence, after.evidence, EVIDENCE),
    }
    return [
        SectionChanges(key=key, items=[item for item in found[key] if item], named=key in named)
        for key in SECTION_ORDER
    ]


# Words.


def _words(text):
    """Words, with each line break kept as its own token so paragraphs survive the diff."""
    return re.findall(r"[^\s]+|\n", (text or "").replace("\r\n", "\n"))


def word_diff(before, after):
    """Kept, removed and added runs of words from `before` to `after`. Text only: templates escape it."""
    old, new = _words(before), _words(after)
    segments = []
    for op, a1, a2, b1, b2 in SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op == "equal":
            segments.append(Segment("same", " ".join(old[a1:a2])))
            continue
        if a2 > a1:
            segments.append(Segment("removed", " ".join(old[a1:a2])))
        if b2 > b1:
            segments.append(Segment("added", " ".join(new[b1:b2])))
    return segments


def _text(label, before, after):
    before, after = before or "", after or ""
    return TextChange(label, word_diff(before, after)) if _words(before) != _words(after) else None


def _figure(label, before, after):
    return FigureChange(label, before, after) if before != after else None


def _item(name, state, changes):
    item = ItemChange(name=name, state=state)
    for change in changes:
        if isinstance(change, TextChange):
            item.texts.append(change)
        elif change is not None:
            item.figures.append(change)
    return item


def _matched(before, after, *, key, compare):
    """Rows of two versions paired by id: changed or added in the latest's order, then the removed ones."""
    earlier = {key(row): row for row in before}
    latest = {key(row) for row in after}
    items = [compare(earlier.get(key(row)), row) for row in after]
    return items + [compare(row, None) for row in before if key(row) not in latest]


def _state(before, after):
    return "added" if before is None else "removed" if after is None else "changed"


# Figures as the return's pages show them.


def _money(value):
    return "" if value is None else f"£{value:,.2f}"


def _rag(rag):
    return Rag(rag).label if rag else "Not rated"


def _shown(instance, name):
    """One field of a (thawed) row as the pages show it: choices by label, dates GOV.UK style, links by name."""
    model_field = instance._meta.get_field(name)
    value = getattr(instance, name)
    if value is None or value == "":
        return ""
    if model_field.is_relation:
        return value.name
    if model_field.choices:
        return getattr(instance, f"get_{name}_display")()
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, date):
        return govuk_date(value)
    return str(value)


# Sections.


def _alignment(before, after):
    priorities = [", ".join(sorted(p.name for p in o.priorities)) for o in (before, after)]
    return _item(
        "",
        "changed",
        [
            _text("Statement", before.alignment_statement, after.alignment_statement),
            _figure("Plan priorities addressed", *priorities),
        ],
    )


def _project(before, after):
    tasks = [task for task in (before, after) if task is not None]
    name = tasks[-1].project.name

    def both(read):
        return [read(task) if task is not None else "" for task in (before, after)]

    changes = [
        _figure("Project name", *both(lambda t: t.project.name)),
        _figure("Delivery partner", *both(lambda t: t.project.delivery_partner)),
        _figure("CSF allocation", *both(lambda t: _money(t.project.csf_allocation))),
        _text("Activity this quarter", *both(lambda t: t.update.activity)),
        _text("Outcomes achieved", *both(lambda t: t.update.outcomes)),
        _figure("Spend this quarter", *both(lambda t: _money(t.update.spend))),
        _figure("Expected spend for the rest of the year", *both(lambda t: _money(t.update.expected_spend))),
        _figure("RAG rating", *both(lambda t: _rag(t.rag))),
        _text("Why you rated it differently", *both(lambda t: t.update.rag_reason)),
    ]
    changes += _matched(
        before.indicators if before else [],
        after.indicators if after else [],
        key=lambda row: row.indicator.pk,
        compare=_indicator,
    )
    return _item(name, _state(before, after), _flatten(changes))


def _indicator(before, after):
    """An indicator's figures, each labelled with its name: they join the project's figures table."""
    name = (after or before).indicator.name

    def both(read):
        return [read(row) if row is not None else "" for row in (before, after)]

    return [
        _figure(f"{name}: this quarter", *both(lambda r: r.shown(r.value))),
        _figure(f"{name}: year to date", *both(lambda r: r.shown(r.ytd))),
        _figure(f"{name}: RAG", *both(lambda r: _rag(r.rag))),
        _figure(f"{name}: minimum target", *both(lambda r: r.shown(r.indicator.minimum_target))),
        _figure(f"{name}: aspirational target", *both(lambda r: r.shown(r.indicator.aspirational_target))),
    ]


def _flatten(changes):
    flat = []
    for change in changes:
        flat.extend(change if isinstance(change, list) else [change])
    return flat


@dataclass(frozen=True)
class LogKind:
    model: type
    fields: tuple  # in the form's order
    name: str  # the field that names an entry


RISK = LogKind(
    Risk, ("description", "project", "likelihood", "impact", "mitigation", "owner", "status"), "description"
)
COMMUNITY = LogKind(CommunityEngagement, ("date", "title", "description", "people_reached", "partners"), "title")
OPCC = LogKind(OpccEngagement, ("date", "what", "pcc_involvement", "logo_used"), "what")
EVIDENCE = LogKind(Evidence, ("original_name", "kind", "description", "project"), "original_name")


def _logs(before, after, kind):
    def compare_rows(old, new):
        name = getattr(new if new is not None else old, kind.name)
        changes = []
        for field_name in kind.fields:
            model_field = kind.model._meta.get_field(field_name)
            label = capfirst(model_field.verbose_name)
            old_value, new_value = (_shown(row, field_name) if row is not None else "" for row in (old, new))
            if isinstance(model_field, models.TextField):
                changes.append(_text(label, old_value, new_value))
            else:
                changes.append(_figure(label, old_value, new_value))
        return _item(name[:80], _state(old, new), changes)

    return _matched(before, after, key=lambda row: row.pk, compare=compare_rows)
