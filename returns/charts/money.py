"""Spend to date and forecast outturn against the allocation, per borough (returns/forecast.py's Forecasts).

Horizontal bars, one group per borough: the allocation, spent to date and the forecast outturn. The values
stay Decimal (pygal plots them as they are); the table beside the chart gives the same figures in pounds,
the share spent, the variance and the flag in words, so nothing depends on colour or on reading the bars.
"""

from ..forecast import Forecast, pounds
from . import Chart, horizontal_bar

HEAD = ["Borough", "Allocation", "Spent to date", "Share spent", "Forecast outturn", "Variance", "Forecast"]


def _share(forecast):
    return "No allocation" if forecast.share_spent is None else f"{forecast.share_spent}%"


def _or_none(value):
    return "Not forecast" if value is None else pounds(value)


def _summary(rows):
    if not rows:
        return "No boroughs to show."
    under = sum(1 for _name, f in rows if f.state == Forecast.UNDERSPEND)
    over = sum(1 for _name, f in rows if f.state == Forecast.OVERSPEND)
    missing = sum(1 for _name, f in rows if f.state == Forecast.NO_FORECAST)
    parts = [
        f"{under} of {len(rows)} boroughs {'is' if under == 1 else 'are'} likely to underspend",
        f"{over} likely to overspend",
    ]
    if missing:
        parts.append(f"{missing} without a forecast")
    return ", ".join(parts) + "."


def spend_by_borough_chart(rows, *, key="spend-by-borough"):
    """`rows`: a list of (borough name, Forecast), in the order to show them."""
    labels = [name for name, _forecast in rows]
    series = {
        "Allocation": [f.allocation for _name, f in rows],
        "Spent to date": [f.spent_to_date for _name, f in rows],
        "Forecast outturn": [f.outturn for _name, f in rows],  # None: no forecast, a gap
    }
    chart = horizontal_bar(
        title="Spend and forecast against allocation",
        value_formatter=lambda value: "" if value is None else pounds(value),
        height=max(360, 60 * len(rows) + 120),
    )
    chart.x_labels = labels
    for name, values in series.items():
        chart.add(name, values)
    table_rows = [
        [
            name,
            pounds(f.allocation),
            pounds(f.spent_to_date),
            _share(f),
            _or_none(f.outturn),
            _or_none(f.variance),
            f.label,
        ]
        for name, f in rows
    ]
    return Chart.from_pygal(
        chart,
        key=key,
        title="Spend and forecast against allocation",
        summary=_summary(rows),
        labels=labels,
        series=series,
        table_head=HEAD,
        table_rows=table_rows,
    )
