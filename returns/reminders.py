"""Quarterly reminders: when a period opens, as the due date nears, on the day, and weekly while overdue.

`send_reminders(today)` may run any number of times a day (cron, or the worker's daily task): each
reminder is keyed by what it is about, and `notify_once` sends a key only once. Due dates include
per-borough extensions, so a borough with an extension is not chased before its new date.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from boroughs.models import Borough, NotificationKind, SentNotification
from boroughs.notifications import notify_once
from boroughs.roles import opcc_staff, users_with_perm

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
    boroughs = list(Borough.objects.active().select_related("opcc_contact"))
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


@dataclass(frozen=True)
class Reminder:
    key: str  # what it is about: sent once per key, ever (boroughs.notifications.notify_once)
    kind: str
    template: str
    copy_opcc_contact: bool = False
    extra: tuple = ()  # (name, value) pairs for the email's context


def reminders_due(row, today):
    """The reminders `row` may be sent today, in order: the first not already sent is the one to send.

    An opening reminder comes before the due-date one, so a period that opened a week late still gets both,
    one run apart.
    """
    days_left = (row.due_on - today).days
    scope = f"{row.period.pk}:{row.borough.pk}"
    if days_left > 0:
        due = []
        if row.period.opens_on <= today < row.period.opens_on + OPENING_GRACE and row.return_ is None:
            due.append(Reminder(f"opening:{scope}", NotificationKind.PERIOD_OPENING, "period_opening"))
        # The nearest threshold already reached; a missed day still sends it, with the true count of days.
        reached = [n for n in days_before_due() if days_left <= n]
        if reached:
            due.append(
                Reminder(
                    f"due-in-{reached[-1]}:{scope}",
                    NotificationKind.DUE_SOON,
                    "due_soon",
                    extra=(("days_left", days_left),),
                )
            )
        return due
    if days_left == 0:
        return [Reminder(f"due-today:{scope}", NotificationKind.DUE_TODAY, "due_today")]
    weeks = -days_left // 7
    if row.overdue and weeks >= 1:
        extra = (("days_overdue", -days_left),)
        return [Reminder(f"overdue-week-{weeks}:{scope}", NotificationKind.OVERDUE, "overdue", True, extra)]
    return []


def _officers_by_borough(borough_ids):
    """{borough id: [its officers]} for all of them in one query."""
    officers = {}
    rows = users_with_perm("boroughs.view_borough").filter(memberships__borough__in=borough_ids)
    for user in rows.annotate(member_of=F("memberships__borough")):
        officers.setdefault(user.member_of, []).append(user)
    return officers


def send_reminders(today=None):
    """Send what is due today. Returns the number of emails queued.

    A fixed number of queries however many boroughs when nothing is due: the reminders that could go today are
    worked out first, the ones already sent are found in one query, and only the rest reach notify_once (which
    still guards each key, for two runs at once).
    """
    today = today or timezone.localdate()
    rows = outstanding(today)
    planned = [(row, reminders_due(row, today)) for row in rows]
    keys = [reminder.key for _, due in planned for reminder in due]
    already_sent = set(SentNotification.objects.filter(key__in=keys).values_list("key", flat=True)) if keys else set()
    to_send = [(row, [r for r in due if r.key not in already_sent]) for row, due in planned]
    to_send = [(row, due) for row, due in to_send if due]
    officers = _officers_by_borough({row.borough.pk for row, _ in to_send}) if to_send else {}
    sent = 0
    for row, due in to_send:
        for reminder in due:
            users = list(officers.get(row.borough.pk, []))
            if reminder.copy_opcc_contact and row.borough.opcc_contact:
                users.append(row.borough.opcc_contact)
            result = notify_once(
                key=reminder.key,
                kind=reminder.kind,
                users=users,
                template=f"returns/email/{reminder.template}",
                context={
                    "borough": row.borough,
                    "period": row.period,
                    "due_on": row.due_on,
                    "url": row.url,
                    "extended": row.extended,
                    **dict(reminder.extra),
                },
            )
            if result is not None:
                sent += len(result)
                break
    sent += len(send_weekly_digest(today, rows=rows) or [])
    return sent


def send_weekly_digest(today, *, rows=None):
    """Once per ISO week: OPCC staff get the list of outstanding and overdue returns."""
    year, week, _ = today.isocalendar()
    key = f"digest:{year}-W{week:02d}"
    if SentNotification.objects.filter(key=key).exists():
        return None
    rows = outstanding(today) if rows is None else rows
    overdue = [row for row in rows if row.overdue]
    waiting = [row for row in rows if row.due_on >= today]
    return notify_once(
        key=key,
        kind=NotificationKind.WEEKLY_DIGEST,
        users=list(opcc_staff()),
        template="returns/email/weekly_digest",
        context={"overdue": overdue, "waiting": waiting, "today": today},
    )
