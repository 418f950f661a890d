"""Spend to date against the year's allocation: per project, and for the borough's projects in one return.

Spend is summed in the database over the project's updates in the borough's returns of the same financial
year, up to and including the return's quarter (one query however many projects). Allocations come from
the return's tasks, so a return the OPCC holds shows the allocation it was submitted with.

Spending more than the allocation is allowed, but the officer confirms it (ProjectUpdateForm): `SpendLine.over`
is that one rule.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum

from .models import MatchFunding, ProjectUpdate

ZERO = Decimal("0.00")
PENNY = Decimal("0.01")


@dataclass(frozen=True)
class SpendLine:
    allocation: Decimal
    before: Decimal  # the earlier quarters of the year
    this_quarter: Decimal

    @property
    def to_date(self):
        return self.before + self.this_quarter

    @property
    def over(self):
        return self.to_date > self.allocation

    @property
    def over_by(self):
        return max(self.to_date - self.allocation, ZERO)

    @property
    def remaining(self):
        return max(self.allocation - self.to_date, ZERO)

    def with_this_quarter(self, spend):
        """The line if this quarter's spend were `spend` (a form's input, before it is saved)."""
        return SpendLine(allocation=self.allocation, before=self.before, this_quarter=spend or ZERO)


@dataclass
class SpendSummary:
    lines: dict = field(default_factory=dict)  # {project id: SpendLine}
    total: SpendLine = field(default_factory=lambda: SpendLine(ZERO, ZERO, ZERO))

    @property
    def over(self):
        return [project_id for project_id, line in self.lines.items() if line.over]


def _spent(return_, project_ids):
    """{project id: (spend in earlier quarters, spend this quarter)}, summed in the database."""
    period = return_.period
    rows = (
        ProjectUpdate.objects.filter(
            project_id__in=project_ids,
            return_of__borough_id=return_.borough_id,
            return_of__period__year_id=period.year_id,
            return_of__period__quarter__lte=period.quarter,
        )
        .values("project_id")
        .annotate(
            before=Sum("spend", filter=Q(return_of__period__quarter__lt=period.quarter)),
            this_quarter=Sum("spend", filter=Q(return_of_id=return_.pk)),
        )
        .order_by()
    )
    # Pennies exactly: SQLite sums decimals as floats (Django hands them back with 15 significant digits).
    return {
        row["project_id"]: ((row["before"] or ZERO).quantize(PENNY), (row["this_quarter"] or ZERO).quantize(PENNY))
        for row in rows
    }


def spend_to_date(return_, tasks):
    """Each task's SpendLine (also set as `task.spend`) and the borough's total over them: one query."""
    spent = _spent(return_, [task.update.project_id for task in tasks])
    summary = SpendSummary()
    for task in tasks:
        before, this_quarter = spent.get(task.update.project_id, (ZERO, ZERO))
        task.spend = summary.lines[task.update.project_id] = SpendLine(
            allocation=task.allocation or ZERO, before=before, this_quarter=this_quarter
        )
    lines = summary.lines.values()
    summary.total = SpendLine(
        allocation=sum((line.allocation for line in lines), ZERO),
        before=sum((line.before for line in lines), ZERO),
        this_quarter=sum((line.this_quarter for line in lines), ZERO),
    )
    return summary


def project_spend(task):
    """One project's SpendLine in its return, as saved (the project page's form compares its input with it)."""
    return spend_to_date(task.update.return_of, [task]).lines[task.update.project_id]


def match_funding_by_project(project_ids):
    """{project id: total match funding}, summed in the database: one query."""
    rows = (
        MatchFunding.objects.filter(project_id__in=project_ids)
        .values("project_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return {row["project_id"]: (row["total"] or ZERO).quantize(PENNY) for row in rows}
