"""Charts: server-rendered SVG made by pygal, each with a title, a one-sentence summary and its data as a table.

Why pygal: it is a maintained, pure-Python SVG charting library (no browser, no JavaScript needed, no numpy); its
SVG is vector for WeasyPrint's PDF, and cairosvg (which pygal uses) turns the same chart into a PNG for the DOCX.
Nothing here assembles SVG by hand: builders make a pygal chart and `Chart.from_pygal` renders it.

A chart is a `Chart`: what templates show (`templates/charts/_chart.html`: a figure whose SVG is `role="img"`
named by the title and summary, with the same figures in a table behind a details element) and what tests
read (`series`: the points plotted, None for a gap). Builders live beside this module, one per subject:
`indicators.py`, `spend.py`, … and reviews' board charts in `reviews/charts.py`.
"""

from dataclasses import dataclass, field

import pygal
from django.utils.safestring import mark_safe
from pygal.style import Style

# GOV.UK Frontend's palette. Series colours are chosen to stay distinct in greyscale too, and no chart relies on
# colour alone: lines carry dot shapes or dashes, RAG is also a label, and every chart has its table.
BLUE, DARK_BLUE, GREEN, RED, ORANGE, PURPLE = "#1d70b8", "#003078", "#00703c", "#d4351c", "#f47738", "#4c2c92"
BLACK, DARK_GREY, MID_GREY, LIGHT_GREY, WHITE = "#0b0c0c", "#505a5f", "#b1b4b6", "#f3f2f1", "#ffffff"
SERIES_COLOURS = (BLUE, BLACK, GREEN, ORANGE, PURPLE, RED, DARK_GREY)
RAG_COLOURS = {"red": RED, "amber": ORANGE, "green": GREEN}

STYLE = Style(
    background=WHITE,
    plot_background=WHITE,
    foreground=BLACK,
    foreground_strong=BLACK,
    foreground_subtle=DARK_GREY,
    opacity="1",
    opacity_hover="1",
    colors=SERIES_COLOURS,
    font_family="Arial, Helvetica, sans-serif",
    label_font_size=14,
    major_label_font_size=14,
    value_font_size=14,
    legend_font_size=14,
    title_font_size=16,
    tooltip_font_size=14,
)

# Shared by every chart: no pygal JavaScript (it would load from the internet, and the chart must work without
# it), no XML declaration (the SVG is inline in HTML), and a size that scales down with its container.
BASE_CONFIG = {
    "style": STYLE,
    "js": [],
    "disable_xml_declaration": True,
    "explicit_size": False,
    "width": 720,
    "height": 360,
    "legend_at_bottom": True,
    "legend_at_bottom_columns": 3,
    "print_values": False,
    "show_y_guides": True,
    "truncate_legend": -1,
    "truncate_label": -1,
}


def config(**overrides):
    """pygal keyword arguments: the shared configuration with this chart's own settings."""
    return {**BASE_CONFIG, **overrides}


@dataclass
class Chart:
    """A rendered chart, and the figures it shows.

    `key` makes the element ids unique on a page; `series` maps each series' name to its values, one per label,
    None where there is no figure (a gap, never a zero); `table_head` and `table_rows` are the same figures as
    text for the table beside the chart.
    """

    key: str
    title: str
    summary: str
    svg: str
    labels: list = field(default_factory=list)
    series: dict = field(default_factory=dict)
    table_head: list = field(default_factory=list)
    table_rows: list = field(default_factory=list)

    @classmethod
    def from_pygal(cls, chart, **kwargs):
        return cls(svg=mark_safe(chart.render(is_unicode=True)), **kwargs)

    def png(self, *, dpi=300):
        """The chart as a PNG at print resolution, for the DOCX. Needs cairosvg (and Debian's libcairo2)."""
        import cairosvg  # imported here: only the DOCX export needs cairo

        return cairosvg.svg2png(bytestring=str(self.svg).encode(), dpi=dpi, scale=dpi / 96)


def line(**overrides):
    return pygal.Line(**config(**overrides))


def bar(**overrides):
    return pygal.Bar(**config(**overrides))


def horizontal_bar(**overrides):
    return pygal.HorizontalBar(**config(**overrides))


def stacked_bar(**overrides):
    return pygal.StackedBar(**config(**overrides))


def horizontal_stacked_bar(**overrides):
    return pygal.HorizontalStackedBar(**config(**overrides))
