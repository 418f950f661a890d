"""Projects' RAG from plain rows: returns.overview.build_task's rule, read without model instances.

The grid's summary (one quarter, a page of boroughs) and the board's RAG by Plan priority (each project's latest
update, every borough) both count projects by the RAG their pages show. build_task needs each update, its project,
indicators and actuals as model instances: at national scale that was tens of thousands of objects. This reads the
same rule from short rows in two queries, whatever the updates (tests/reviews/review/test_grid_cost.py and
tests/reviews/test_board_rag.py hold it to build_task project by project).
"""

from collections import defaultdict
from dataclasses import dataclass

from returns.models import Indicator, IndicatorActual, Rag


class _Targets:
    """An indicator's unit and targets, read as plain values (building Indicator instances and prefetching them
    cost most of the grid's time at 300 boroughs). Its rules are the model's own methods, so they cannot drift."""

    __slots__ = ("aspirational_target", "higher_is_better", "minimum_target", "unit")
    Unit = Indicator.Unit
    is_cumulative = Indicator.is_cumulative
    year_to_date = Indicator.year_to_date
    rag_for = Indicator.rag_for

    def __init__(self, unit, minimum_target, aspirational_target, higher_is_better):
        self.unit = unit
        self.minimum_target = minimum_target
        self.aspirational_target = aspirational_target
        self.higher_is_better = higher_is_better


@dataclass(frozen=True, slots=True)
class UpdateRag:
    update_id: int
    project_id: int
    borough_id: int
    rag: str | None  # a Rag, or None: no rating (no override, nothing entered this quarter)


def update_rags(updates):
    """An UpdateRag per update of `updates` (a ProjectUpdate queryset: the caller chooses which), its RAG as
    returns.overview.build_task works it out on the project's page: the officer's rating, else the weakest of its
    indicators, each judged on this quarter's value and the borough's earlier quarters of the same year (the
    return page's `_history`: any return, drafts included, values entered only).

    Two queries, however many updates: the updates with their projects' indicators, and the actuals of their
    boroughs' years up to the latest quarter among them.
    """
    rows = (
        updates.model.objects.filter(pk__in=updates.values("pk"))  # a window-filtered choice stays whole here
        .values_list(
            "pk",
            "project_id",
            "return_of__borough_id",
            "return_of__period__year_id",
            "return_of__period__quarter",
            "rag_override",
            "project__indicators__id",
            "project__indicators__unit",
            "project__indicators__minimum_target",
            "project__indicators__aspirational_target",
            "project__indicators__higher_is_better",
        )
        .order_by()
    )
    # {update id: [project id, borough id, year id, quarter, the officer's rating, [(indicator id, _Targets)]]}
    found = {}
    for update_id, project_id, borough_id, year_id, quarter, override, indicator_id, *targets in rows:
        update = found.setdefault(update_id, (project_id, borough_id, year_id, quarter, override, []))
        if indicator_id is not None and not override:  # an officer's rating is the RAG: no indicator is read
            update[5].append((indicator_id, _Targets(*targets)))
    if not found:
        return []

    # The updates' own values (None included: nothing entered), and every value entered in their boroughs' years.
    current = {}
    history = defaultdict(dict)  # {(borough id, year id, indicator id): {quarter: value}}
    actuals = IndicatorActual.objects.filter(
        update__return_of__borough_id__in={update[1] for update in found.values()},
        update__return_of__period__year_id__in={update[2] for update in found.values()},
        update__return_of__period__quarter__lte=max(update[3] for update in found.values()),
    ).values_list(
        "update_id",
        "update__return_of__borough_id",
        "update__return_of__period__year_id",
        "indicator_id",
        "update__return_of__period__quarter",
        "value",
    )
    for update_id, borough_id, year_id, indicator_id, quarter, value in actuals:
        if update_id in found:
            current[update_id, indicator_id] = value
        if value is not None:
            history[borough_id, year_id, indicator_id][quarter] = value

    judged = []
    for update_id, (project_id, borough_id, year_id, quarter, override, indicators) in found.items():
        rags = [
            indicator_rag(
                targets,
                current.get((update_id, pk)),
                {q: v for q, v in history.get((borough_id, year_id, pk), {}).items() if q < quarter},
                quarter,
            )
            for pk, targets in indicators
        ]
        judged.append(UpdateRag(update_id, project_id, borough_id, override or Rag.worst(rags)))
    return judged


def indicator_rag(indicator, value, earlier, quarter):
    """build_task's IndicatorRow.rag: none until a value is entered this quarter; the year to date for counts,
    money and hours, this quarter's value for a percentage."""
    if value is None:
        return None
    basis = indicator.year_to_date([*earlier.values(), value]) if indicator.is_cumulative else value
    return indicator.rag_for(basis, quarter)
