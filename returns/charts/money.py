"""Spend to date and forecast outturn against the allocation, per borough (returns/forecast.py's Forecasts).

Horizontal bars, one group per borough: the allocation, spent to date and the forecast outturn. The values
stay Decimal (pygal plots them as they are); the table beside the chart gives the same figures in pounds,
the share spent, the variance and the flag in words, so nothing depends on colour or on reading the bars.
"""

from ..forecast import Forecast, pounds
from . import Chart, drawn_rows, horizontal_bar

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


def axis_pounds(value):
    """A value axis's label: £0, £950, £200k, £1.25m. Full amounts ("£1,600,000.00") ran into each other across
    the axis at a national borough's allocation; the table gives every figure to the penny."""
    if value is None:
        return ""
    sign, amount = ("-" if value < 0 else ""), abs(float(value))
    if round(amount / 1_000, 2) >= 1_000:
        return f"{sign}£{round(amount / 1_000_000, 2):g}m"
    if round(amount) >= 1_000:
        return f"{sign}£{round(amount / 1_000, 2):g}k"
    return f"{sign}£{amount:.0f}"


def _distance_from_allocation(forecast):
    """How far the forecast outturn is from the allocation, as a share of it; None without both."""
    if not forecast.allocation or forecast.outturn is None:
        return None
    return abs(forecast.outturn / forecast.allocation - 1)


def furthest_from_allocation(rows, most):
    """The `most` rows whose forecast is furthest from the allocation in proportion (a borough of £40,000 £20,000
    over counts for more than one of £1m £25,000 over), furthest first; those without a forecast never come before
    one with."""
    distances = [_distance_from_allocation(forecast) for _name, forecast in rows]
    # sorted() is stable: boroughs equally far keep the board's (alphabetical) order.
    order = sorted(range(len(rows)), key=lambda i: (distances[i] is None, -(distances[i] or 0)))
    return [rows[i] for i in order[:most]]


def _drawn_note(drawn, rows):
    return (
        f" The chart shows the {drawn} boroughs whose forecast is furthest from their allocation, in proportion;"
        f" the table lists all {rows}."
    )


def spend_by_borough_chart(rows, *, key="spend-by-borough", most=None):
    """`rows`: a list of (borough name, Forecast), in the order to show them. With `most`, and more rows than
    that, the picture draws the `most` boroughs furthest from their allocation (furthest_from_allocation), and
    its summary says so; the table still lists every borough."""
    drawn = drawn_rows(rows, most, furthest_from_allocation)
    labels = [name for name, _forecast in drawn]
    series = {
        "Allocation": [f.allocation for _name, f in drawn],
        "Spent to date": [f.spent_to_date for _name, f in drawn],
        "Forecast outturn": [f.outturn for _name, f in drawn],  # None: no forecast, a gap
    }
    chart = horizontal_bar(
        title="Spend and forecast against allocation",
        value_formatter=axis_pounds,
        height=max(360, 60 * len(drawn) + 120),
    )
    # pygal draws the first label at the bottom: both go in reversed, to read from the top in the table's order.
    chart.x_labels = labels[::-1]
    for name, values in series.items():
        chart.add(name, values[::-1])
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
        summary=_summary(rows) + (_drawn_note(len(drawn), len(rows)) if drawn is not rows else ""),
        labels=labels,
        series=series,
        table_head=HEAD,
        table_rows=table_rows,
    )
