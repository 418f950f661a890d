"""The RAG ratings of a borough's projects over the year: per quarter, how many are red, amber and green.

A horizontal stacked bar per quarter, each part labelled with its count and rating in words ("2 red"), so
nothing rests on colour; the table beside it gives each project's rating per quarter, in words. A quarter with
no return is a gap (no bar), not a row of zeros.
"""

from ..models import Rag
from . import RAG_STYLE, Chart, horizontal_stacked_bar
from .indicators import LABELS, QUARTERS

NO_RATING = "No rating yet"
NOT_REPORTED = "Not in this return"
KINDS = [(Rag.RED, "Red"), (Rag.AMBER, "Amber"), (Rag.GREEN, "Green"), ("", NO_RATING)]


def _counts(rows, quarter):
    ratings = [ratings[quarter] for _name, ratings in rows if quarter in ratings]
    return {rag: sum((rating or "") == rag for rating in ratings) for rag, _label in KINDS}


def summary(rows, reported, year_label):
    if not reported:
        return f"No returns for {year_label} yet."
    latest = max(reported)
    counts = _counts(rows, latest)
    total = sum(counts.values())
    parts = [f"{counts[rag]} {label.lower()}" for rag, label in KINDS[:3] if counts[rag]]
    unrated = f"{', ' if parts else ''}{counts['']} not rated yet" if counts[""] else ""
    project_s = "project" if total == 1 else "projects"
    return f"In Q{latest}, of {total} {project_s}: {', '.join(parts)}{unrated}."


def rag_chart(*, key, year_label, rows, reported):
    """`rows`: [(project name, {quarter: rating})], the rating "" when the project has none yet; a quarter
    missing from a project's ratings means it was not in that quarter's return. `reported`: quarters with a return."""
    series = {
        label: [_counts(rows, quarter)[rag] if quarter in reported else None for quarter in QUARTERS]
        for rag, label in KINDS
    }
    most = max((sum(v or 0 for v in values) for values in zip(*series.values(), strict=True)), default=0)
    chart = horizontal_stacked_bar(
        style=RAG_STYLE,
        print_labels=True,
        include_x_axis=True,
        legend_at_bottom_columns=4,
        height=300,
        value_formatter=lambda value: f"{value:.0f}",
        # Whole projects on the axis, at most about ten steps.
        y_labels=list(range(0, most + 1, max(1, -(-most // 10)))),
    )
    # pygal draws a horizontal chart's first label at the bottom: reversed, Q1 is at the top.
    chart.x_labels = LABELS[::-1]
    for label, values in series.items():
        # A part of no projects is no part at all (its label would overlap its neighbour's).
        chart.add(label, [{"value": v, "label": f"{v} {label.lower()}"} if v else None for v in values[::-1]])
    words = dict(KINDS)
    table_rows = [
        [
            name,
            *(
                words[ratings[q] or ""] if q in ratings else (NOT_REPORTED if q in reported else "No return")
                for q in QUARTERS
            ),
        ]
        for name, ratings in rows
    ]
    table_rows += [
        [f"Projects: {label.lower()}", *("–" if v is None else str(v) for v in series[label])] for _rag, label in KINDS
    ]
    return Chart.from_pygal(
        chart,
        key=key,
        title=f"Projects’ RAG ratings by quarter, {year_label}",
        summary=summary(rows, reported, year_label),
        labels=LABELS,
        series=series,
        table_head=["Project", *LABELS],
        table_rows=table_rows,
    )
