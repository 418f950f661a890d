"""Spend to date against the year's allocation: per project, and for the borough's projects in one return.

Spend is summed in the database over the project's updates in the borough's returns of the same financial
year, up to and including the return's quarter (one query however many projects). Allocations come from
the return's tasks, so a return the OPCC holds shows the allocation it was submitted with.

The one home of the rule and of the sum, whoever reads them: `earlier_quarters` says which updates count as the
year's earlier quarters (both `spend_to_date` and `overview.load_overview`'s subquery, `spend_before`, filter
with it), and `spend_summary` builds the lines and the borough's total from each project's figures (for
`spend_to_date`, and for `load_overview` live or from a snapshot).

Spending more than the allocation is allowed, but the officer confirms it (ProjectUpdateForm): `SpendLine.over`
is that one rule.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import OuterRef, Q, Subquery, Sum

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


def pennies(total):
    """A database sum as pennies exactly (None, no rows, is nothing): SQLite sums decimals as floats (Django hands
    them back with 15 significant digits)."""
    return (total or ZERO).quantize(PENNY)


def earlier_quarters(return_):
    """Which project updates are `return_`'s earlier quarters of the year (a Q on ProjectUpdate): those in its
    borough's returns of its financial year for a quarter before its own, whatever those returns' status."""
    period = return_.period
    return Q(
        return_of__borough_id=return_.borough_id,
        return_of__period__year_id=period.year_id,
        return_of__period__quarter__lt=period.quarter,
    )


def spend_before(return_):
    """Each project's spend in the year's earlier quarters as a subquery on its `project_id` (None when it has none),
    so that a query of the return's updates sums it rather than one more query (`overview.load_overview`)."""
    earlier = ProjectUpdate.objects.filter(earlier_quarters(return_), project_id=OuterRef("project_id"))
    return Subquery(earlier.order_by().values("project_id").annotate(total=Sum("spend")).values("total"))


def _spent(return_, project_ids):
    """{project id: (spend in earlier quarters, spend this quarter)}, summed in the database."""
    before = earlier_quarters(return_)
    this_quarter = Q(return_of_id=return_.pk)
    rows = (
        ProjectUpdate.objects.filter(before | this_quarter, project_id__in=project_ids)
        .values("project_id")
        .annotate(before=Sum("spend", filter=before), this_quarter=Sum("spend", filter=this_quarter))
        .order_by()
    )
    return {row["project_id"]: (pennies(row["before"]), pennies(row["this_quarter"])) for row in rows}


def spend_summary(tasks, spent):
    """Each task's SpendLine against its allocation (also set as `task.spend`) and the borough's total over them.

    `spent` holds each task's (spend in the year's earlier quarters, spend this quarter), in the tasks' order.
    """
    summary = SpendSummary()
    for task, (before, this_quarter) in zip(tasks, spent, strict=True):
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


def spend_to_date(return_, tasks):
    """Each task's SpendLine (also set as `task.spend`) and the borough's total over them: one query."""
    spent = _spent(return_, [task.update.project_id for task in tasks])
    return spend_summary(tasks, [spent.get(task.update.project_id, (ZERO, ZERO)) for task in tasks])


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
    return {row["project_id"]: pennies(row["total"]) for row in rows}
