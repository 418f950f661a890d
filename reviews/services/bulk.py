"""Bulk work from the grid: accept several returns, remind every overdue borough now, resolve several flags.

Each takes what the reviewer's confirmation page listed, as {id: status as seen}, and in one transaction,
with every row locked, judges them again (reviews/selectors/bulk.py). If any one changed since the page
was drawn, nothing at all is applied: BulkChanged names every item that moved, and the view shows the
confirmation again. The single-item services' own steps do the writing (review.accept_checked,
review.resolve_locked), with a change reason the History tab shows.
"""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from boroughs.models import NotificationKind
from boroughs.notifications import notify_once
from returns.models import ReportingPeriod, Return

from ..models import Flag, ReviewNotAllowed
from ..selectors import bulk as selectors
from .review import accept_checked, resolve_locked

BULK_ACCEPT = "Bulk accept"
BULK_RESOLVE = "Bulk resolve"


class BulkChanged(Exception):
    """Something listed on the confirmation page changed meanwhile; `changes` says what, one line each."""

    def __init__(self, changes):
        super().__init__("; ".join(changes))
        self.changes = changes


def _require_reviewer(by):
    if not by.has_perm("reviews.review_return"):
        raise ReviewNotAllowed("You cannot review returns.")


def _status_word(status):
    return str(status).replace("_", " ")


def _changes(candidates, seen, *, noun):
    """What differs from the page: gone, moved status, or no longer to be chosen (a flag opened, say)."""
    found = {c.obj.pk: c for c in candidates}
    changes = []
    for pk, status in sorted(seen.items()):
        candidate = found.get(pk)
        if candidate is None:
            changes.append(f"A {noun} you selected no longer exists or is no longer yours to see")
        elif candidate.status != status:
            changes.append(f"{candidate.label}: now {_status_word(candidate.status)}, was {_status_word(status)}")
        elif not candidate.eligible and candidate.why_not != selectors.OWN_BOROUGH:
            changes.append(f"{candidate.label}: {candidate.why_not[0].lower()}{candidate.why_not[1:]}")
    return changes


def _refuse_own(candidates):
    own = [c.label for c in candidates if c.why_not == selectors.OWN_BOROUGH]
    if own:
        raise ReviewNotAllowed(
            f"You are an officer of the partnership, so you cannot review: {', '.join(own)}. Nothing was changed."
        )


@transaction.atomic
def returns_accept_bulk(*, returns_seen, by, reason=""):
    """Accept every return in `returns_seen` ({id: status seen}), or none. Returns the decisions."""
    _require_reviewer(by)
    locked = list(
        Return.objects.for_user(by)
        .select_for_update(of=("self",))
        .filter(pk__in=list(returns_seen))
        .select_related("borough", "period__year")
        .order_by("pk")
    )
    candidates = selectors.judge_returns(by, locked)
    _refuse_own(candidates)
    changes = _changes(candidates, returns_seen, noun="return")
    if changes:
        raise BulkChanged(changes)
    return [accept_checked(return_=c.obj, by=by, reason=reason, change_reason=BULK_ACCEPT) for c in candidates]


@transaction.atomic
def reminders_send_now(*, period, boroughs_seen, by, today=None):
    """Email every borough overdue for `period` now (officers, OPCC contact copied), if exactly those seen are.

    `boroughs_seen` is {borough id: return status seen, or "not_started"}. Each email is recorded as the
    daily reminders' are (SentNotification), under a key naming who sent it and when, so the daily
    reminder's own key is not used up and a second manual reminder is not swallowed.
    Returns [(borough, recipients)].
    """
    _require_reviewer(by)
    # The period and its returns locked: a submission or a closing waits until this is decided.
    period = ReportingPeriod.objects.select_for_update().select_related("year").get(pk=period.pk)
    list(Return.objects.select_for_update(of=("self",)).filter(period=period).values_list("pk"))
    now = timezone.now()
    found = dict(selectors.overdue_by_period(period.year, period_ids=[period.pk], today=today)).get(period, [])
    current = {row.borough.pk: row for row in found}
    changes = []
    for borough_id, status in sorted(boroughs_seen.items()):
        row = current.get(borough_id)
        if row is None:
            changes.append(f"A partnership you were shown is no longer overdue for {period.short_label}")
        elif row.status != status:
            changes.append(f"{row.borough.name}: now {_status_word(row.status)}, was {_status_word(status)}")
    for borough_id, row in current.items():
        if borough_id not in boroughs_seen:
            changes.append(f"{row.borough.name}: now overdue too")
    if changes:
        raise BulkChanged(changes)
    sent = []
    for row in found:
        recipients = notify_once(
            key=f"manual-overdue:{period.pk}:{row.borough.pk}:{by.pk}:{now.isoformat()}",
            kind=NotificationKind.OVERDUE,
            users=[r.user for r in row.recipients],
            template="returns/email/overdue",
            context={
                "borough": row.borough,
                "period": period,
                "due_on": row.due_on,
                "url": _return_url(row),
                "extended": row.due_on != period.due_on,
                "days_overdue": row.days_overdue,
            },
        )
        sent.append((row.borough, recipients or []))
    return sent


def _return_url(row):
    if row.return_ is not None:
        return settings.SITE_URL + row.return_.get_absolute_url()
    return settings.SITE_URL + reverse("borough_returns", args=[row.borough.slug])


@transaction.atomic
def flags_resolve_bulk(*, flags_seen, by, resolution):
    """Resolve every flag in `flags_seen` ({id: status seen}) with one note, or none. Returns the flags."""
    _require_reviewer(by)
    locked = list(
        Flag.objects.for_user(by)
        .select_for_update(of=("self",))
        .filter(pk__in=list(flags_seen))
        .select_related("borough", "period__year", "flag_type", "column", "project")
        .order_by("pk")
    )
    candidates = selectors.judge_flags(by, locked)
    _refuse_own(candidates)
    changes = _changes(candidates, flags_seen, noun="flag")
    if changes:
        raise BulkChanged(changes)
    return [resolve_locked(c.obj, by=by, resolution=resolution, change_reason=BULK_RESOLVE) for c in candidates]
