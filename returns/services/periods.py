"""An OPCC admin's changes to a period: its dates, a borough's extension, closing and reopening."""

from django.db import transaction

from boroughs.models import Borough, NotificationKind
from boroughs.notifications import notify

from ..models import PeriodExtension, ReportingPeriod


@transaction.atomic
def extension_grant(*, period, borough, due_on, reason, by):
    extension, _ = PeriodExtension.objects.update_or_create(
        period=period, borough=borough, defaults={"due_on": due_on, "reason": reason, "granted_by": by}
    )
    notify(
        kind=NotificationKind.DEADLINE_CHANGED,
        users=borough.officers(),
        template="returns/email/extension_granted",
        context={"extension": extension, "period": period, "borough": borough},
    )
    return extension


@transaction.atomic
def period_dates_save(*, period, by):
    """Save an admin's new dates for a period and tell every active borough's officers."""
    period.save()
    notify(
        kind=NotificationKind.DEADLINE_CHANGED,
        users=_active_officers(),
        template="returns/email/period_dates_changed",
        context={"period": period, "by": by},
    )
    return period


@transaction.atomic
def period_close(*, period, by, reason):
    """Close a period: no return of it can be started or changed until an admin reopens it."""
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    period.close(by=by)
    return _save_status(period, reason=reason, by=by)


@transaction.atomic
def period_reopen(*, period, by, reason):
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    period.reopen()
    return _save_status(period, reason=reason, by=by)


def _save_status(period, *, reason, by):
    # The reason goes on the period's history, which is its timeline, and into the officers' email.
    period._change_reason = reason
    period.save(update_fields=["closed_at", "closed_by"])
    notify(
        kind=NotificationKind.DEADLINE_CHANGED,
        users=_active_officers(),
        template="returns/email/period_closed_or_reopened",
        context={"period": period, "reason": reason, "by": by},
    )
    return period


def _active_officers():
    return [user for borough in Borough.objects.active() for user in borough.officers()]
