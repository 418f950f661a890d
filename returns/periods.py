"""The rows of a borough's returns page and of the borough page's returns panel."""

from dataclasses import dataclass

from django.utils import timezone

from .models import PeriodExtension, Return


@dataclass
class PeriodRow:
    period: object
    return_: object
    due_on: object
    extension: object
    today: object

    @property
    def overdue(self):
        # A period with no return yet is overdue too, once its due date has passed.
        if self.return_ is not None:
            return self.return_.is_overdue(today=self.today, due_on=self.due_on)
        return self.today > self.due_on

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
    periods = year.ensure_periods()
    returns = {
        r.period_id: r for r in Return.objects.filter(borough=borough, period__year=year).select_related("period")
    }
    extensions = {e.period_id: e for e in PeriodExtension.objects.filter(borough=borough, period__year=year)}
    today = timezone.localdate()
    return [
        PeriodRow(
            period=period,
            return_=returns.get(period.pk),
            due_on=extensions[period.pk].due_on if period.pk in extensions else period.due_on,
            extension=extensions.get(period.pk),
            today=today,
        )
        for period in periods
    ]
