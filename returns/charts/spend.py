"""Spend by quarter against the allocation pro rata: spend to date at each quarter's end beside a straight line
from a quarter of the year's allocation at Q1 to all of it at Q4. Used per project and for a borough.

The figures come in ready made (summed in the database by the selector, `pages.py`, or by `returns/spend.py`):
`spend` is {quarter: (spend this quarter, spend to date)}, and a quarter missing from it is a gap, never £0.
"""

from decimal import Decimal

from ..spend import PENNY
from . import Chart, line
from .indicators import LABELS, NO_FIGURE, QUARTERS


def pounds(value):
    """£ with thousands separators, pennies when there are any (axis labels and each point's value)."""
    return f"£{value:,.2f}".removesuffix(".00")


def signed_pounds(value):
    sign = "+" if value > 0 else "−" if value < 0 else ""
    return f"{sign}{pounds(abs(value))}"


def pro_rata(allocation):
    return [(allocation * Decimal(quarter) / 4).quantize(PENNY) for quarter in QUARTERS]


def summary(spend, allocation, year_label):
    latest = max(spend, default=None)
    if latest is None:
        return f"No spend reported for {year_label} yet."
    to_date = spend[latest][1]
    if not allocation:
        return f"Spend to date is {pounds(to_date)} at the end of Q{latest}; no allocation is recorded."
    share = pro_rata(allocation)[latest - 1]
    difference = to_date - share
    where = "exactly" if difference == 0 else f"{pounds(abs(difference))} {'above' if difference > 0 else 'below'}"
    return (
        f"Spend to date is {pounds(to_date)} at the end of Q{latest}, {where} the pro-rata share "
        f"({pounds(share)}) of the {pounds(allocation)} allocation."
    )


def spend_chart(*, key, title, year_label, allocation, spend, compact=False):
    to_date = [spend[q][1] if q in spend else None for q in QUARTERS]
    line_of_allocation = pro_rata(allocation)
    names = ["Spend to date", "Allocation pro rata"]
    chart = line(
        value_formatter=pounds,
        allow_interruptions=True,
        include_x_axis=True,
        legend_at_bottom_columns=2,
        height=300 if compact else 360,
        dots_size=4,
    )
    chart.x_labels = LABELS
    chart.add(names[0], [None if value is None else float(value) for value in to_date])
    chart.add(
        names[1],
        [float(value) for value in line_of_allocation],
        stroke_style={"dasharray": "10,5"},
        dot_shape="square",
    )

    def shown(value):
        return NO_FIGURE if value is None else pounds(value)

    rows = []
    for index, quarter in enumerate(QUARTERS):
        this_quarter, so_far = spend.get(quarter, (None, None))
        difference = None if so_far is None else so_far - line_of_allocation[index]
        rows.append(
            [
                LABELS[index],
                shown(this_quarter),
                shown(so_far),
                shown(line_of_allocation[index]),
                NO_FIGURE if difference is None else signed_pounds(difference),
            ]
        )
    return Chart.from_pygal(
        chart,
        key=key,
        title=title,
        summary=summary(spend, allocation, year_label),
        labels=LABELS,
        series={names[0]: to_date, names[1]: line_of_allocation},
        table_head=[
            "Quarter",
            "Spend this quarter",
            "Spend to date",
            "Allocation pro rata",
            "Over (+) or under (−) pro rata",
        ],
        table_rows=rows,
    )
