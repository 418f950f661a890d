"""The review's side of one return, in a fixed number of queries (each part once, on first use), filtered by who looks.

Both the reviewer's page and the officer's return pages (through reviews' template tags) read this,
so the visibility rule lives in one place: `for_user` drops OPCC-only text for anyone without
`reviews.view_opcc_only`.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from django.db.models import Q

from returns.models import Return

from ..models import AnnexColumn, ColumnCommentary, Decision, Flag, ProjectCommentary

# Where each standard annex column's feedback belongs on the officer's task list. A column the OPCC
# adds later, with another key, is shown at the top of the return instead.
COLUMN_SECTIONS = {
    "alignment": "alignment",
    "performance": "projects",
    "innovation": "projects",
    "community": "community",
    "marketing": "opcc",
}
GENERAL = "general"


SECTION_NAMES = {
    "alignment": "Alignment to the Police and Crime Plan",
    "projects": "Projects",
    "risks": "Risks",
    "community": "Community engagement",
    "opcc": "Engagement with the OPCC and marketing",
    "evidence": "Evidence",
}


@dataclass
class TimelineEvent:
    at: datetime
    label: str
    who: str
    decision: Decision | None = None

    @property
    def section_names(self):
        return [SECTION_NAMES.get(key, key) for key in self.decision.sections] if self.decision else []


def _name(user):
    return user.get_full_name() or user.username


@dataclass
class SectionFeedback:
    comments: list = field(default_factory=list)
    flags: list = field(default_factory=list)
    reasons: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.comments or self.flags or self.reasons)


class ReturnFeedback:
    """The review's side of one return as `user` may see it. Each part is read on first use, in one query, so a page
    pays only for what it shows: the History tab reads the decisions alone, the task list no decisions unless the
    return is sent back, and nothing reads the year's annex columns unless a page lists them."""

    def __init__(self, return_, user):
        self.return_ = return_
        self.user = user
        self._where = {"borough_id": return_.borough_id, "period_id": return_.period_id}

    @cached_property
    def columns(self):
        return list(AnnexColumn.objects.for_year(self.return_.period.year_id))

    @cached_property
    def column_comments(self):
        """Column id -> ColumnCommentary."""
        comments = ColumnCommentary.objects.for_user(self.user).filter(**self._where)
        return {c.column_id: c for c in comments.select_related("updated_by", "column")}

    @property
    def commented_columns(self):
        """The column comments in the annex's column order (AnnexColumn's ordering), without reading the columns."""
        return sorted(self.column_comments.values(), key=lambda c: (c.column.order, c.column.pk))

    @cached_property
    def project_comments(self):
        """Project id -> ProjectCommentary."""
        comments = ProjectCommentary.objects.for_user(self.user).filter(**self._where)
        return {c.project_id: c for c in comments.select_related("updated_by", "project")}

    @cached_property
    def _all_flags(self):
        """This quarter's flags and the ones still open from earlier quarters, in one query: (flags, carried)."""
        period = self.return_.period
        rows = (
            Flag.objects.for_user(self.user)
            .filter(borough_id=self.return_.borough_id)
            # This quarter's, or carried into it (the rule Flag.objects.carried_into uses, as one condition).
            .filter(Q(period_id=period.pk) | Flag.carried_into_q(period))
            # The year too: carried flags name the quarter they were raised in (`period.short_label`).
            .select_related("flag_type", "column", "project", "resolved_by", "period__year")
            .order_by("period__start_date", "raised_at", "pk")
        )
        flags, carried = [], []
        for flag in rows:
            (flags if flag.period_id == period.pk else carried).append(flag)
        return flags, carried

    @property
    def flags(self):
        """Raised on this return's quarter."""
        return self._all_flags[0]

    @property
    def carried_flags(self):
        """Still open from earlier quarters, oldest quarter first."""
        return self._all_flags[1]

    @cached_property
    def decisions(self):
        # Decisions' reasons are addressed to the partnership, so officers of the borough see them.
        return list(Decision.objects.for_user(self.user).filter(return_of=self.return_).select_related("by"))

    @cached_property
    def _sections(self):
        """(by_section, by_project): the comments, open flags and change requests for each part of the task list."""
        by_section, by_project = defaultdict(SectionFeedback), defaultdict(SectionFeedback)
        year_id = self.return_.period.year_id
        # In the year's column order (AnnexColumn's ordering), without reading the columns: each comment has its own.
        comments = sorted(
            (c for c in self.column_comments.values() if c.column.financial_year_id == year_id),
            key=lambda c: (c.column.order, c.column.pk),
        )
        for comment in comments:
            by_section[COLUMN_SECTIONS.get(comment.column.key, GENERAL)].comments.append(comment)
        for comment in self.project_comments.values():
            by_project[comment.project_id].comments.append(comment)
        for flag in [*self.carried_flags, *self.flags]:
            if not flag.is_open:
                continue
            if flag.project_id:
                by_project[flag.project_id].flags.append(flag)
            else:
                by_section[COLUMN_SECTIONS.get(flag.column.key, GENERAL)].flags.append(flag)
        request = self.open_request
        if request:
            for key in request.sections:
                by_section[key].reasons.append(request)
        return by_section, by_project

    @property
    def by_section(self):
        return self._sections[0]

    @property
    def by_project(self):
        return self._sections[1]

    @property
    def open_request(self):
        """The decision that sent the return back, while the officer still has it."""
        if self.return_.status != Return.Status.CHANGES_REQUESTED:
            return None
        sent_back = [d for d in self.decisions if d.to_status == Return.Status.CHANGES_REQUESTED]
        return sent_back[-1] if sent_back else None

    def section(self, key):
        return self.by_section.get(key) or SectionFeedback()

    def project(self, project_id):
        return self.by_project.get(project_id) or SectionFeedback()

    @property
    def general(self):
        return self.section(GENERAL)

    def flags_for_column(self, column_id):
        return [f for f in self.flags if f.column_id == column_id]

    def flags_for_project(self, project_id):
        return [f for f in self.flags if f.project_id == project_id]

    @property
    def timeline(self):
        """Submissions and decisions, oldest first. Earlier submissions are known from the snapshots."""
        submissions = {}
        for decision in self.decisions:
            if decision.snapshot and decision.snapshot.get("submitted_at"):
                at = datetime.fromisoformat(decision.snapshot["submitted_at"])
                submissions[at] = decision.snapshot.get("submitted_by") or ""
        if self.return_.submitted_at:
            submissions[self.return_.submitted_at] = _name(self.return_.submitted_by)
        events = [
            TimelineEvent(at=at, label="Submitted" if i == 0 else "Resubmitted", who=who)
            for i, (at, who) in enumerate(sorted(submissions.items()))
        ]
        events += [
            TimelineEvent(at=d.at, label=d.get_kind_display(), who=_name(d.by), decision=d) for d in self.decisions
        ]
        return sorted(events, key=lambda event: event.at)

    @property
    def open_flag_count(self):
        return sum(f.is_open for f in self.flags)

    @property
    def earlier_submission(self):
        """The decision keeping the version submitted before the return's latest one, or None (selectors/changes)."""
        return earlier_submission(self.return_, self.decisions)


def earlier_submission(return_, decisions):
    """The latest decision whose kept version was submitted before the return's current submission.

    Sending back and reopening keep what was submitted (Decision.snapshot); the return's own snapshot is its
    latest submission. While the officer has it again, those two are the same submission, so nothing is earlier.
    """
    if not return_.submitted_at:
        return None
    kept = [
        d
        for d in decisions
        if d.snapshot
        and d.snapshot.get("submitted_at")
        and datetime.fromisoformat(d.snapshot["submitted_at"]) < return_.submitted_at
    ]
    return kept[-1] if kept else None


def load_feedback(return_, user):
    """What `user` may see of the review of `return_`, read part by part as the page uses it (ReturnFeedback)."""
    return ReturnFeedback(return_, user)
