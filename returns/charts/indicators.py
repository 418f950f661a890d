"""An indicator's trend over the year: its actuals by quarter against its minimum and aspirational targets.

What is plotted is what the RAG rating judges (`Indicator.rag_for`), so the picture and the rating agree:
counts, money and hours as the year to date against the share of the annual targets due by the end of each
quarter (a rising straight line); a percentage as each quarter's figure against its targets (flat lines).
A quarter with no figure is a gap, never a zero, and so is any later quarter's year to date built on it.
Last year's figures for the same indicator (the same project continues from year to year) are a fourth line.
"""

from decimal import Decimal

from ..models import Rag
from . import TREND_STYLE, Chart, line

QUARTERS = (1, 2, 3, 4)
LABELS = [f"Q{quarter}" for quarter in QUARTERS]
RATING_LABELS = {Rag.RED: "Red", Rag.AMBER: "Amber", Rag.GREEN: "Green"}
NO_FIGURE = "No figure"


def plotted(indicator, actuals):
    """The four points for `actuals` ({quarter: value}): None where the quarter has no figure."""
    points = []
    for quarter in QUARTERS:
        value = actuals.get(quarter)
        if value is not None and indicator.is_cumulative:
            value = indicator.year_to_date([actuals.get(q) for q in QUARTERS if q <= quarter])
        points.append(value)
    return points


def target_line(indicator, target):
    """The target due by the end of each quarter: a share of the annual one for cumulative units."""
    if not indicator.is_cumulative:
        return [target] * len(QUARTERS)
    return [target * Decimal(quarter) / 4 for quarter in QUARTERS]


def number(value):
    """Axis labels and each point's value in the SVG: digits with thousands separators, pennies when there are any."""
    return f"{value:,.2f}".removesuffix(".00")


def _floats(values):
    # pygal draws with floats; the figures themselves (series, table) stay Decimal.
    return [None if value is None else float(value) for value in values]


def _position(indicator, point, quarter):
    rating = indicator.rag_for(point, quarter)
    minimum, aspiration = (
        target_line(indicator, t)[quarter - 1] for t in (indicator.minimum_target, indicator.aspirational_target)
    )
    lower = "" if indicator.higher_is_better else " (lower is better)"
    if rating == Rag.GREEN:
        if point == aspiration:
            return "at the aspirational target"
        return f"{'above' if indicator.higher_is_better else 'below'} the aspirational target{lower}"
    if rating == Rag.AMBER:
        if point == minimum:
            return f"at the minimum target{lower}"
        return f"between the minimum and aspirational targets{lower}"
    return f"{'below' if indicator.higher_is_better else 'above'} the minimum target{lower}"


def summary(indicator, points, year_label):
    """One sentence from the data: where the latest quarter with a figure stands against the targets."""
    latest = max((q for q, point in zip(QUARTERS, points, strict=True) if point is not None), default=None)
    if latest is None:
        return f"{indicator.name}: no figures reported for {year_label} yet."
    point = points[latest - 1]
    aspiration = target_line(indicator, indicator.aspirational_target)[latest - 1]
    measure = " year to date" if indicator.is_cumulative else ""
    shown, target = indicator.format_value(point), indicator.format_value(aspiration)
    return (
        f"{indicator.name}: {_position(indicator, point, latest)} in Q{latest} "
        f"({shown}{measure} against an aspirational target of {target})."
    )


def indicator_figures(indicator, *, key, year_label, actuals, last_year=None, last_year_label=""):
    """What an indicator's trend chart says, drawn or not: (Chart keyword arguments, the series' names).

    `actuals` and `last_year` are {quarter: value} (None or absent where there is no figure). The drawn chart
    (`indicator_chart`) and its outline (outline.py) both start from this, so they cannot say different things."""
    points = plotted(indicator, actuals)
    minimums = target_line(indicator, indicator.minimum_target)
    aspirations = target_line(indicator, indicator.aspirational_target)
    previous = plotted(indicator, last_year or {})
    measure = "year to date" if indicator.is_cumulative else "actual"
    names = [f"{year_label} {measure}", "Minimum target", "Aspirational target", f"{last_year_label} {measure}"]
    series = {names[0]: points, names[1]: minimums, names[2]: aspirations}
    with_last_year = any(point is not None for point in previous)
    if with_last_year:
        series[names[3]] = previous
    figures = {
        "key": key,
        "title": f"{indicator.name}: {year_label} against its targets",
        "summary": summary(indicator, points, year_label),
        "labels": LABELS,
        "series": series,
        "table_head": _table_head(indicator, names, with_last_year=with_last_year),
        "table_rows": _table_rows(indicator, actuals, points, minimums, aspirations, previous, with_last_year),
    }
    return figures, names


def indicator_chart(indicator, *, key, year_label, actuals, last_year=None, last_year_label="", compact=False):
    """`actuals` and `last_year` are {quarter: value} (None or absent where there is no figure)."""
    figures, names = indicator_figures(
        indicator,
        key=key,
        year_label=year_label,
        actuals=actuals,
        last_year=last_year,
        last_year_label=last_year_label,
    )
    series = figures["series"]
    chart = line(
        style=TREND_STYLE,
        value_formatter=number,
        allow_interruptions=True,  # a quarter with no figure breaks the line
        include_x_axis=True,
        legend_at_bottom_columns=2,
        height=300 if compact else 360,
        dots_size=4,
    )
    chart.x_labels = LABELS
    chart.add(names[0], _floats(series[names[0]]))
    chart.add(names[1], _floats(series[names[1]]), stroke_style={"dasharray": "10,5"}, dot_shape="square")
    chart.add(names[2], _floats(series[names[2]]), stroke_style={"dasharray": "3,4"}, dot_shape="diamond")
    if names[3] in series:
        chart.add(names[3], _floats(series[names[3]]), stroke_style={"dasharray": "14,4,3,4"}, dot_shape="triangle")
    return Chart.from_pygal(chart, **figures)


def _table_head(indicator, names, *, with_last_year):
    head = ["Quarter", "This quarter"]
    if indicator.is_cumulative:
        head.append("Year to date")
    head += ["Minimum target due" if indicator.is_cumulative else "Minimum target"]
    head += ["Aspirational target due" if indicator.is_cumulative else "Aspirational target", "Rating"]
    return head + ([names[3]] if with_last_year else [])


def _table_rows(indicator, actuals, points, minimums, aspirations, previous, with_last_year):
    def shown(value):
        return NO_FIGURE if value is None else indicator.format_value(value)

    rows = []
    for index, quarter in enumerate(QUARTERS):
        point = points[index]
        rating = RATING_LABELS.get(indicator.rag_for(point, quarter), "No rating")
        row = [LABELS[index], shown(actuals.get(quarter))]
        if indicator.is_cumulative:
            row.append(shown(point))
        row += [shown(minimums[index]), shown(aspirations[index]), rating]
        if with_last_year:
            row.append(shown(previous[index]))
        rows.append(row)
    return rows
