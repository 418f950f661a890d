"""The rows of a borough's returns page and of the borough page's returns panel."""

from dataclasses import dataclass

from django.utils import timezone

from .deadlines import due_date, extensions_for, is_overdue
from .models import ReportingPeriod, Return


@dataclass
class PeriodRow:
    period: object
    return_: object
    due_on: object
    extension: object
    today: object

    @property
    def overdue(self):
        return is_overdue(self.return_, self.due_on, period=self.period, today=self.today)

    @property
    def is_open(self):
        return self.period.is_open(self.today)

    @property
    def status_label(self):
        if self.return_ is not None:
            return self.return_.get_status_display()
        if self.period.is_closed:
            return "Closed"
        return "Not started" if self.is_open else "Not open yet"


def period_rows(borough, year):
    """The year's periods for the borough (none when no year is open). A read: page loads never create periods."""
    if year is None:
        return []
    periods = list(ReportingPeriod.objects.filter(year=year).order_by("quarter"))
    returns = {
        r.period_id: r for r in Return.objects.filter(borough=borough, period__year=year).select_related("period")
    }
    extensions = extensions_for(periods, boroughs=[borough])
    today = timezone.localdate()
    return [
        PeriodRow(
            period=period,
            return_=returns.get(period.pk),
            due_on=due_date(period, borough.pk, extensions=extensions),
            extension=extensions.get((borough.pk, period.pk)),
            today=today,
        )
        for period in periods
    ]
