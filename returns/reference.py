"""Reference data the service cannot work without, shared by the data migration and the demo."""

from datetime import date

PLAN_2015_16 = "West Midlands Police and Crime Plan 2015-16"

# The themes the 2015-16 annex reports against, in the order the Plan lists them.
PRIORITIES_2015_16 = [
    "Business crime",
    "Young people and youth violence",
    "Domestic abuse and violence",
    "Mobilising communities",
    "Vulnerable people",
    "Reducing reoffending",
    "Hidden crimes (CSE, FGM, modern slavery)",
    "Substance misuse",
    "Hate crime",
    "Road safety",
]


def ensure_plan(Plan, PlanPriority, FinancialYear, *, name, priorities, year_start):
    """Create or complete a plan and link it to the year starting 1 April `year_start`."""
    year, _ = FinancialYear.objects.get_or_create(
        label=f"{year_start}-{(year_start + 1) % 100:02d}",
        defaults={"start_date": date(year_start, 4, 1), "end_date": date(year_start + 1, 3, 31)},
    )
    plan, _ = Plan.objects.get_or_create(name=name)
    plan.years.add(year)
    for order, priority in enumerate(priorities, start=1):
        PlanPriority.objects.get_or_create(plan=plan, name=priority, defaults={"order": order})
    return plan
