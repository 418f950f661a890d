"""Projects whose RAG each rule of returns.overview.build_task decides, for the tests that hold a plain-rows
reading of that rule to it (the grid's counts, the board's RAG by priority: reviews/selectors/rag.py)."""

from decimal import Decimal

from returns.models import Indicator, IndicatorActual, Project, Rag

PERCENT, COUNT = Indicator.Unit.PERCENT, Indicator.Unit.COUNT

# (project name, [(unit, minimum, aspiration, higher is better, Q1 value, Q2 value)], the officer's rating)
PROJECTS = [
    # Year to date 70 against 50/75 by Q2: amber (this quarter alone, 40, would be red).
    ("Referrals", [(COUNT, 100, 150, True, "30", "40")], ""),
    # A rate is this quarter's value, 70: amber (the year's average, 80, would be green).
    ("Satisfaction", [(PERCENT, 60, 80, True, "90", "70")], ""),
    # Fewer is better: 20 to date against 25/15 by Q2 is amber; 30 would be red.
    ("Repeat victims", [(COUNT, 50, 30, False, "12", "8")], ""),
    # The weakest indicator; one with nothing entered this quarter gives no rating.
    ("Outreach", [(COUNT, 10, 20, True, "10", "20"), (PERCENT, 50, 90, True, "10", None)], ""),
    ("Mentoring", [(COUNT, 10, 20, True, None, "1"), (PERCENT, 50, 90, True, "95", "95")], ""),
    # The officer's rating wins over the indicators (green by them).
    ("Patrols", [(COUNT, 1, 2, True, "5", "5")], Rag.RED),
    # Nothing entered this quarter: no RAG at all.
    ("Street lighting", [(COUNT, 1, 2, True, "5", None)], ""),
    # No indicators at all: no RAG either.
    ("Mediation", [], ""),
]


def make_projects(borough, *, scale=1):
    """PROJECTS's projects in `borough`, each with its indicators: {name: Project}."""
    projects = {}
    for name, indicators, _rating in PROJECTS:
        project = Project.objects.create(
            borough=borough, name=name, description="Work.", csf_allocation=Decimal("1000") * scale
        )
        for unit, minimum, aspiration, higher, _q1, _q2 in indicators:
            Indicator.objects.create(
                project=project,
                name=f"{name} {unit}",
                unit=unit,
                minimum_target=minimum,
                aspirational_target=aspiration,
                higher_is_better=higher,
            )
        projects[name] = project
    return projects


def enter_values(return_, *, second, ratings):
    """Each project's Q1 values in `return_` (Q2's when `second`), and the officer's `ratings` ({name: rating})."""
    for update in return_.project_updates.select_related("project"):
        values = next(indicators for name, indicators, _rating in PROJECTS if name == update.project.name)
        if ratings.get(update.project.name):
            update.rag_override, update.rag_reason = ratings[update.project.name], "Seen on a visit."
            update.save(update_fields=["rag_override", "rag_reason"])
        for indicator, row in zip(update.project.indicators.order_by("pk"), values, strict=True):
            value = row[5] if second else row[4]
            IndicatorActual.objects.create(
                update=update, indicator=indicator, value=None if value is None else Decimal(value)
            )
