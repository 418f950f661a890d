"""An indicator's trend chart without its drawing: the title, the summary, the figures and the table.

The reviewer's return page shows a compact trend chart for every indicator of every project, behind a details
element that is mostly left closed; drawing them all (pygal, some 6 ms each) was most of that page's first view.
So the page shows this outline (everything `indicators.indicator_chart` gives but the SVG: the table stays in the
page, so nothing is lost without JavaScript) and the drawing is fetched when the reader opens the details.

It must say exactly what the drawn chart says: tests/reviews/review/test_return_page_cost.py compares the two.
"""

from . import TREND_STYLE, Chart, style_name
from .indicators import LABELS, _table_head, _table_rows, plotted, summary, target_line


def indicator_outline(indicator, *, key, year_label, actuals, last_year=None, last_year_label="", compact=False):
    """`indicator_chart`'s Chart (same arguments) with no SVG: `svg` is empty."""
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
    return Chart(
        key=key,
        title=f"{indicator.name}: {year_label} against its targets",
        summary=summary(indicator, points, year_label),
        svg="",
        labels=LABELS,
        series=series,
        table_head=_table_head(indicator, names, with_last_year=with_last_year),
        table_rows=_table_rows(indicator, actuals, points, minimums, aspirations, previous, with_last_year),
        style=style_name(TREND_STYLE),
    )
