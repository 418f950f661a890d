"""An indicator's trend chart without its drawing: the title, the summary, the figures and the table.

The reviewer's return page shows a compact trend chart for every indicator of every project, behind a details
element that is mostly left closed; drawing them all (pygal, some 6 ms each) was most of that page's first view.
So the page shows this outline (everything `indicators.indicator_chart` gives but the SVG: the table stays in the
page, so nothing is lost without JavaScript) and the drawing is fetched when the reader opens the details.

It must say exactly what the drawn chart says: tests/reviews/review/test_return_page_cost.py compares the two.
"""

from . import TREND_STYLE, Chart, style_name
from .indicators import indicator_figures


def indicator_outline(indicator, *, compact=False, **options):
    """`indicator_chart`'s Chart (same arguments) with no SVG: `svg` is empty. `compact` only sizes a drawing."""
    figures, _names = indicator_figures(indicator, **options)
    return Chart(svg="", style=style_name(TREND_STYLE), **figures)
