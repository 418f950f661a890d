"""What the grid's bulk actions may change: each candidate, and where it may not be chosen, why not.

Each page reads in a fixed number of queries however many returns, boroughs or flags the year has. The
services (reviews/services/bulk.py) judge the rows again with these same functions, under row locks.
A candidate's `token` ("id:status") is what the confirmation page carries, so the service can tell
whether anything moved between the page and the click.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from boroughs.models import Borough, NotificationKind
from boroughs.notifications import wants
from returns.deadlines import due_date, extensions_for, is_overdue
from returns.models import Return
from returns.reminders import _officers_by_borough

from ..models import Flag

WITH_OPCC = (Return.Status.SUBMITTED, Return.Status.RESUBMITTED)
NOT_STARTED = "not_started"
OWN_BOROUGH = "You are an officer of this partnership"


@dataclass
class Candidate:
    obj: object
    label: str
    status: str  # as seen now: the confirmation page carries it
    why_not: str = ""

    @property
    def eligible(self):
        return not self.why_not

    @property
    def token(self):
        return f"{self.obj.pk}:{self.status}"


def own_boroughs(user):
    return set(user.memberships.values_list("borough_id", flat=True))


def return_label(return_):
    return f"{return_.borough.name} {return_.period.short_label}"


def returns_of_year(user, year, *, ids=None):
    returns = Return.objects.for_user(user).filter(period__year=year).select_related("borough", "period__year")
    returns = returns.filter(status__in=WITH_OPCC) if ids is None else returns.filter(pk__in=ids)
    return list(returns.order_by("period__start_date", "borough__name"))


def judge_returns(user, returns):
    """[Candidate] for returns to accept: with the OPCC, the year open, not the reviewer's borough, no open flag.

    Open flags are counted as accepting counts them (review.open_flags): the quarter's and earlier ones'.
    """
    own = own_boroughs(user)
    flags = defaultdict(list)  # borough id -> start dates of its open flags' quarters
    if returns:
        latest = max(r.period.start_date for r in returns)
        rows = Flag.objects.open().filter(
            borough_id__in={r.borough_id for r in returns}, period__start_date__lte=latest
        )
        for borough_id, start in rows.values_list("borough_id", "period__start_date"):
            flags[borough_id].append(start)
    candidates = []
    for return_ in returns:
        open_count = sum(start <= return_.period.start_date for start in flags[return_.borough_id])
        if return_.status not in WITH_OPCC:
            why = f"It is {return_.get_status_display().lower()}"
        elif return_.period.year.is_closed:
            why = f"{return_.period.year.label} is closed"
        elif return_.borough_id in own:
            why = OWN_BOROUGH
        elif open_count:
            why = f"{open_count} open flag{'s' if open_count != 1 else ''}: accept it from its own page"
        else:
            why = ""
        candidates.append(Candidate(return_, return_label(return_), return_.status, why))
    return candidates


def returns_to_accept(user, year):
    return judge_returns(user, returns_of_year(user, year))


@dataclass
class Recipient:
    user: object
    copied: bool = False  # the OPCC contact, copied in

    @property
    def name(self):
        return self.user.get_full_name() or self.user.username


@dataclass
class OverdueBorough:
    borough: Borough
    return_: Return | None
    due_on: object
    days_overdue: int
    recipients: list = field(default_factory=list)

    @property
    def status(self):
        return self.return_.status if self.return_ else NOT_STARTED

    @property
    def status_label(self):
        return self.return_.get_status_display() if self.return_ else "Not started"

    @property
    def token(self):
        return f"{self.borough.pk}:{self.status}"


def overdue_by_period(year, *, period_ids=None, today=None):
    """[(period, [OverdueBorough])] for the year's periods with an overdue borough, each with its recipients.

    Overdue is the grid's rule (returns.deadlines.is_overdue, extensions included). Recipients are whom the
    email would reach: the borough's officers and, copied, its OPCC contact, less anyone who turned these
    emails off or has no address (boroughs.notifications.wants).
    """
    today = today or timezone.localdate()
    periods = year.periods.filter(opens_on__lte=today).select_related("year").order_by("start_date")
    if period_ids is not None:
        periods = periods.filter(pk__in=period_ids)
    periods = list(periods)
    boroughs = list(Borough.objects.active().select_related("opcc_contact").order_by("name"))
    returns = {
        (r.borough_id, r.period_id): r for r in Return.objects.filter(period__in=periods).select_related("period")
    }
    extensions = extensions_for(periods)
    found = []
    for period in periods:
        rows = []
        for borough in boroughs:
            return_ = returns.get((borough.pk, period.pk))
            due_on = due_date(period, borough.pk, extensions=extensions)
            if is_overdue(return_, due_on, period=period, today=today):
                rows.append(OverdueBorough(borough, return_, due_on, (today - due_on).days))
        if rows:
            found.append((period, rows))
    _add_recipients([row for _, rows in found for row in rows])
    return found


def _add_recipients(rows):
    if not rows:
        return
    officers = _officers_by_borough({row.borough.pk for row in rows})
    everyone = [u for users in officers.values() for u in users]
    everyone += [row.borough.opcc_contact for row in rows if row.borough.opcc_contact]
    reachable = {u.pk for u in wants(everyone, NotificationKind.OVERDUE)}
    for row in rows:
        users = sorted(officers.get(row.borough.pk, []), key=lambda u: u.get_full_name() or u.username)
        row.recipients = [Recipient(u) for u in users if u.pk in reachable]
        contact = row.borough.opcc_contact
        if contact and contact.pk in reachable and contact.pk not in {u.pk for u in users}:
            row.recipients.append(Recipient(contact, copied=True))


def flag_label(flag):
    about = "Column" if flag.column_id else "Project"
    return f"{flag.borough.name} {flag.period.short_label}: {flag.flag_type} ({about}: {flag.subject})"


def flags_of_year(user, year, *, ids=None):
    flags = Flag.objects.for_user(user).select_related("borough", "period__year", "flag_type", "column", "project")
    flags = flags.open().filter(period__year=year) if ids is None else flags.filter(pk__in=ids)
    return list(flags.order_by("borough__name", "period__start_date", "raised_at", "pk"))


def judge_flags(user, flags):
    own = own_boroughs(user)
    candidates = []
    for flag in flags:
        if not flag.is_open:
            why = "It is already resolved"
        elif flag.borough_id in own:
            why = OWN_BOROUGH
        else:
            why = ""
        candidates.append(Candidate(flag, flag_label(flag), flag.status, why))
    return candidates


def flags_to_resolve(user, year):
    return judge_flags(user, flags_of_year(user, year))
