"""The officer's dashboard on the boroughs list: `{% borough_dashboard boroughs %}`.

`boroughs` may not import `returns`, so its list page loads this library (as the borough page loads
`returns_tags`) and the fragment is `templates/returns/_dashboard.html`.

Which quarter is "current": the latest period that has opened and is not closed, whether it is still open
for filing or already due (so between two quarters an officer still sees the last one's outcome, not a
quarter they cannot start yet); before any has opened, the next one to open (*Not open yet*). It is the
same quarter for every borough, across financial years (in April, the year before's Q4 is the one being
filed). Earlier quarters a borough has still not handed in are listed under it as overdue, so moving on to
the next quarter never hides one. Four queries however many boroughs: the boroughs, the unclosed periods,
the returns and the extensions.
"""

from dataclasses import dataclass, field

from django import template
from django.utils import timezone

from ..deadlines import extensions_for
from ..models import ReportingPeriod, Return
from ..statuses import return_status

register = template.Library()


@dataclass
class DashboardRow:
    borough: object
    period: object = None  # None: no period to show (none is open or coming), or the borough is inactive
    return_: object = None
    status: object = None
    extension: object = None
    can_start: bool = False
    earlier_overdue: list = field(default_factory=list)  # [(period, return or None, ReturnStatus)]


def current_period(periods, today):
    """From unclosed periods in order: the latest opened, else the next to open, else None."""
    opened = [p for p in periods if p.opens_on <= today]
    if opened:
        return opened[-1], opened[:-1]
    return next(iter(periods), None), []


def dashboard_rows(boroughs, *, today=None):
    today = today or timezone.localdate()
    boroughs = list(boroughs)
    periods = list(
        ReportingPeriod.objects.filter(closed_at__isnull=True).select_related("year").order_by("start_date")
    )
    current, earlier = current_period(periods, today)
    shown = [p for p in [*earlier, current] if p is not None]
    by_id = {p.pk: p for p in shown}
    returns = {}
    for return_ in Return.objects.filter(borough__in=boroughs, period__in=shown):
        return_.period = by_id[return_.period_id]  # already loaded: no query per row
        returns[return_.borough_id, return_.period_id] = return_
    extensions = extensions_for(shown, boroughs=boroughs) if shown else {}
    rows = []
    for borough in boroughs:
        row = DashboardRow(borough=borough)
        rows.append(row)
        if current is None or not borough.active:
            continue
        row.period, row.return_ = current, returns.get((borough.pk, current.pk))
        row.status = return_status(current, row.return_, borough_id=borough.pk, extensions=extensions, today=today)
        row.extension = extensions.get((borough.pk, current.pk))
        row.can_start = row.return_ is None and current.is_open(today)
        for period in earlier:
            return_ = returns.get((borough.pk, period.pk))
            status = return_status(period, return_, borough_id=borough.pk, extensions=extensions, today=today)
            if status.overdue:
                row.earlier_overdue.append((period, return_, status))
    return rows


@register.inclusion_tag("returns/_dashboard.html", takes_context=True)
def borough_dashboard(context, boroughs):
    # csrf_token is copied into an inclusion tag's context by Django; perms is not.
    return {"rows": dashboard_rows(boroughs), "perms": context.get("perms")}
