"""When a return is due, and when it is overdue: one rule each, for every page, email and reminder.

A borough's due date for a period is the period's own, unless the OPCC granted that borough an
extension. A return is overdue while it is still with the borough (not started yet, or one the
borough may still edit) after that day, unless the period is closed. Pages that show many boroughs or periods load the
extensions once with `extensions_for` and pass them in, so they cost the same however many rows.
"""

from django.utils import timezone

from .models import PeriodExtension


def extensions_for(periods, *, boroughs=None):
    """{(borough id, period id): extension} for these periods (and these boroughs), in one query."""
    extensions = PeriodExtension.objects.filter(period__in=periods)
    if boroughs is not None:
        extensions = extensions.filter(borough__in=boroughs)
    return {(e.borough_id, e.period_id): e for e in extensions}


def due_date(period, borough_id, *, extensions=None):
    """The day this borough's return for `period` is due. `extensions` (from extensions_for) saves the query."""
    if extensions is None:
        extension = PeriodExtension.objects.filter(period=period, borough_id=borough_id).first()
    else:
        extension = extensions.get((borough_id, period.pk))
    return extension.due_on if extension else period.due_on


def is_overdue(return_, due_on, *, period, today=None):
    """Past `due_on` and still with the borough: no return yet (`return_` is None), or one it may still edit.

    A closed period is never overdue: nothing can be started or changed in it, so there is nothing to chase.
    """
    if period.is_closed:
        return False
    still_with_borough = return_ is None or return_.is_editable
    return still_with_borough and (today or timezone.localdate()) > due_on
