"""The review's emails to a borough's officers. Called by reviews.services.review inside their transactions.

`notify()` renders each message now and sends it after the commit, so a rolled-back decision sends
nothing. Only shared text ever reaches these templates: an OPCC-only comment or flag sends nothing.
"""

from django.urls import reverse

from boroughs.models import NotificationKind
from boroughs.notifications import notify

from .models import ColumnCommentary
from .selectors.feedback import SECTION_NAMES

# Where each section a reason can point at lives on the officer's side ("projects" has one page per
# project, so it points at the return itself).
_SECTION_URLS = {
    "alignment": ("return_alignment", ()),
    "risks": ("return_log", ("risks",)),
    "community": ("return_log", ("community",)),
    "opcc": ("return_log", ("opcc",)),
    "evidence": ("return_evidence", ()),
}


def _sections(return_, keys):
    sections = []
    for key in keys:
        name, args = _SECTION_URLS.get(key, ("return_detail", ()))
        sections.append({"name": SECTION_NAMES.get(key, key), "url": reverse(name, args=[return_.pk, *args])})
    return sections


def decision_made(decision):
    """Tell the borough's officers that their return was sent back, accepted or reopened."""
    return_ = decision.return_of
    kind, template = {
        decision.Kind.REQUEST_CHANGES: (NotificationKind.CHANGES_REQUESTED, "changes_requested"),
        decision.Kind.ACCEPT: (NotificationKind.RETURN_ACCEPTED, "return_accepted"),
        decision.Kind.REOPEN: (NotificationKind.DEADLINE_CHANGED, "return_reopened"),
    }[decision.kind]
    return notify(
        kind=kind,
        users=return_.borough.officers(),
        template=f"reviews/email/{template}",
        context={
            "return": return_,
            "decision": decision,
            "by": decision.by,
            "sections": _sections(return_, decision.sections),
        },
    )


def commentary_before(model, lookup):
    """The (text, visibility) a commentary has before a save, or None; locked so the comparison holds."""
    return model.objects.select_for_update().filter(**lookup).values_list("text", "visibility").first()


def commentary_saved(*, return_, commentary, before):
    """Tell the officers about a shared comment: a new one, one made shared, or new shared text.

    `before` is the (text, visibility) the commentary had before this save, or None if it is new.
    """
    if not commentary.is_shared or not commentary.text.strip():
        return []
    if before is not None and before == (commentary.text, commentary.visibility):
        return []  # only the rating changed, or nothing did: the officers have seen this text
    subject = commentary.column.heading if isinstance(commentary, ColumnCommentary) else commentary.project.name
    return notify(
        kind=NotificationKind.COMMENT_SHARED,
        users=return_.borough.officers(),
        template="reviews/email/comment_shared",
        context={"return": return_, "subject": subject, "text": commentary.text, "flag": None},
    )


def flag_raised(*, return_, flag):
    if not flag.is_shared:
        return []
    return notify(
        kind=NotificationKind.COMMENT_SHARED,
        users=return_.borough.officers(),
        template="reviews/email/comment_shared",
        context={"return": return_, "subject": flag.subject, "text": flag.note, "flag": flag},
    )
