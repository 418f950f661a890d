"""The review's side of one return, loaded in a fixed number of queries and filtered by who is looking.

Both the reviewer's page and the officer's return pages (through reviews' template tags) read this,
so the visibility rule lives in one place: `for_user` drops OPCC-only text for anyone without
`reviews.view_opcc_only`.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

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


@dataclass
class ReturnFeedback:
    return_: Return
    columns: list
    column_comments: dict  # column id -> ColumnCommentary
    project_comments: dict  # project id -> ProjectCommentary
    flags: list  # raised on this return's quarter
    carried_flags: list  # still open from earlier quarters
    decisions: list
    by_section: dict = field(default_factory=lambda: defaultdict(SectionFeedback))
    by_project: dict = field(default_factory=lambda: defaultdict(SectionFeedback))

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
    columns = list(AnnexColumn.objects.for_year(return_.period.year_id))
    where = {"borough_id": return_.borough_id, "period_id": return_.period_id}
    column_comments = {
        c.column_id: c
        for c in ColumnCommentary.objects.for_user(user).filter(**where).select_related("updated_by", "column")
    }
    project_comments = {
        c.project_id: c
        for c in ProjectCommentary.objects.for_user(user).filter(**where).select_related("updated_by", "project")
    }
    flag_fields = ("flag_type", "column", "project", "raised_by", "resolved_by", "period")
    flags = list(Flag.objects.for_user(user).filter(**where).select_related(*flag_fields))
    carried = list(
        Flag.objects.for_user(user)
        .carried_into(return_.borough, return_.period)
        .select_related(*flag_fields)
        .order_by("period__start_date", "raised_at")
    )
    # Decisions' reasons are addressed to the partnership, so officers of the borough see them.
    decisions = list(Decision.objects.for_user(user).filter(return_of=return_).select_related("by"))
    feedback = ReturnFeedback(
        return_=return_,
        columns=columns,
        column_comments=column_comments,
        project_comments=project_comments,
        flags=flags,
        carried_flags=carried,
        decisions=decisions,
    )
    section_of_column = {c.pk: COLUMN_SECTIONS.get(c.key, GENERAL) for c in columns}
    for column in columns:
        comment = column_comments.get(column.pk)
        if comment:
            feedback.by_section[section_of_column[column.pk]].comments.append(comment)
    for comment in project_comments.values():
        feedback.by_project[comment.project_id].comments.append(comment)
    for flag in [*carried, *flags]:
        if not flag.is_open:
            continue
        if flag.project_id:
            feedback.by_project[flag.project_id].flags.append(flag)
        else:
            feedback.by_section[COLUMN_SECTIONS.get(flag.column.key, GENERAL)].flags.append(flag)
    request = feedback.open_request
    if request:
        for key in request.sections:
            feedback.by_section[key].reasons.append(request)
    return feedback
