"""Quarterly reminders: when a period opens, as the due date nears, on the day, and weekly while overdue.

`send_reminders(today)` may run any number of times a day (cron, or the worker's daily task): each
reminder is keyed by what it is about, and `notify_once` sends a key only once. Due dates include
per-borough extensions, so a borough with an extension is not chased before its new date.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from boroughs.models import Borough, NotificationKind
from boroughs.notifications import notify_once
from boroughs.roles import opcc_staff

from .deadlines import due_date, extensions_for, is_overdue
from .models import ReportingPeriod, Return

# Only periods this recent are considered, so a first run does not chase the distant past.
LOOK_BACK = timedelta(days=200)
OPENING_GRACE = timedelta(days=7)


def days_before_due():
    return sorted(getattr(settings, "REMINDER_DAYS_BEFORE_DUE", (14, 3)), reverse=True)


@dataclass
class Outstanding:
    borough: Borough
    period: ReportingPeriod
    due_on: object
    return_: Return | None
    extended: bool
    overdue: bool

    @property
    def url(self):
        if self.return_ is not None:
            return settings.SITE_URL + self.return_.get_absolute_url()
        return settings.SITE_URL + reverse("borough_returns", args=[self.borough.slug])


def outstanding(today):
    """Open periods whose return each active borough has not yet submitted, with its due date."""
    periods = list(
        ReportingPeriod.objects.filter(opens_on__lte=today, due_on__gte=today - LOOK_BACK).select_related("year")
    )
    boroughs = list(Borough.objects.active())
    returns = {
        (r.borough_id, r.period_id): r
        for r in Return.objects.filter(period__in=periods).select_related("period", "borough")
    }
    extensions = extensions_for(periods)
    rows = []
    for period in periods:
        for borough in boroughs:
            return_ = returns.get((borough.pk, period.pk))
            if return_ is not None and return_.status != Return.Status.DRAFT:
                continue
            extended = (borough.pk, period.pk) in extensions
            due_on = due_date(period, borough.pk, extensions=extensions)
            rows.append(
                Outstanding(
                    borough, period, due_on, return_, extended, is_overdue(return_, due_on, period=period, today=today)
                )
            )
    return rows


def _send(row, *, key, kind, template, users, extra=None):
    context = {
        "borough": row.borough,
        "period": row.period,
        "due_on": row.due_on,
        "url": row.url,
        "extended": row.extended,
        **(extra or {}),
    }
    return notify_once(
        key=f"{key}:{row.period.pk}:{row.borough.pk}",
        kind=kind,
        users=users,
        template=f"returns/email/{template}",
        context=context,
    )


def send_reminders(today=None):
    """Send what is due today. Returns the number of emails queued."""
    today = today or timezone.localdate()
    sent = 0
    for row in outstanding(today):
        officers = list(row.borough.officers())
        days_left = (row.due_on - today).days
        result = None
        if days_left > 0:
            result = _reminder_before_due(row, officers, today, days_left)
        elif days_left == 0:
            result = _send(row, key="due-today", kind=NotificationKind.DUE_TODAY, template="due_today", users=officers)
        elif row.overdue:
            weeks = -days_left // 7
            if weeks >= 1:
                users = officers + ([row.borough.opcc_contact] if row.borough.opcc_contact else [])
                result = _send(
                    row,
                    key=f"overdue-week-{weeks}",
                    kind=NotificationKind.OVERDUE,
                    template="overdue",
                    users=users,
                    extra={"days_overdue": -days_left},
                )
        sent += len(result or [])
    sent += len(send_weekly_digest(today) or [])
    return sent


def _reminder_before_due(row, officers, today, days_left):
    if row.period.opens_on <= today < row.period.opens_on + OPENING_GRACE and row.return_ is None:
        result = _send(
            row, key="opening", kind=NotificationKind.PERIOD_OPENING, template="period_opening", users=officers
        )
        if result is not None:
            return result
    # The nearest threshold already reached; a missed day still sends it, with the true count of days.
    reached = [n for n in days_before_due() if days_left <= n]
    if not reached:
        return None
    return _send(
        row,
        key=f"due-in-{reached[-1]}",
        kind=NotificationKind.DUE_SOON,
        template="due_soon",
        users=officers,
        extra={"days_left": days_left},
    )


def send_weekly_digest(today):
    """Once per ISO week: OPCC staff get the list of outstanding and overdue returns."""
    rows = outstanding(today)
    year, week, _ = today.isocalendar()
    overdue = [row for row in rows if row.overdue]
    waiting = [row for row in rows if row.due_on >= today]
    return notify_once(
        key=f"digest:{year}-W{week:02d}",
        kind=NotificationKind.WEEKLY_DIGEST,
        users=list(opcc_staff()),
        template="returns/email/weekly_digest",
        context={"overdue": overdue, "waiting": waiting, "today": today},
    )
