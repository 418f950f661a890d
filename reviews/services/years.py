"""A financial year's end: once its annex is published for the board, an OPCC admin closes the year.

It lives here, not in returns, because the condition is the annex's (returns may not import reviews).
Closing makes the year the record: its periods close (so its returns cannot change, and a closed
year's period cannot be reopened: ReportingPeriod.reopen), its roll-ups refuse writes
(reviews.services.rollup.refuse_closed_year) and its annex's details can no longer change. Projects
not continued into the next year become completed (returns.services.years.projects_roll_over).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from returns.models import FinancialYear, ReportingPeriod
from returns.services.years import projects_roll_over

from ..models import AnnexVersion


class YearNotClosable(ValidationError):
    """The year's annex is not published yet, or the year is closed already."""


def why_not_closable(year):
    """The reason the year cannot be closed now, in words for the admin; None once it can be."""
    if year.is_closed:
        return f"{year.label} is already closed."
    if not year.periods.exists():
        return f"{year.label} was never opened, so there is nothing to close."
    if not AnnexVersion.objects.filter(annex__financial_year=year).exists():
        return f"Publish the {year.label} annex for the board before you close the year."
    return None


@transaction.atomic
def year_close(*, year, by):
    """Close the year: its periods, its returns and roll-ups become read-only; unfinished projects complete."""
    year = FinancialYear.objects.select_for_update().get(pk=year.pk)
    reason = why_not_closable(year)
    if reason:
        raise YearNotClosable(reason)
    year.close(by=by)
    year.save(update_fields=["closed_at", "closed_by"])
    now = timezone.now()
    periods = list(ReportingPeriod.objects.select_for_update().filter(year=year, closed_at__isnull=True))
    for period in periods:
        period.closed_at, period.closed_by = now, by
    if periods:
        bulk_update_with_history(
            periods,
            ReportingPeriod,
            ["closed_at", "closed_by"],
            default_user=by,
            default_change_reason=f"Closed with {year.label}",
        )
    following = FinancialYear.opened().filter(label=FinancialYear.label_for_start(year.start_year + 1)).first()
    if following is not None:
        # The next year is open already, so the admin has chosen what continues into it.
        projects_roll_over(from_year=year, to_year=following, by=by)
    return year
