"""The chart foundation: a page's SVG carries nothing the CSP blocks; documents get a self-styled copy."""

import io
import re
import struct
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from lxml import etree
from PIL import Image, ImageChops
from pygal.style import Style

from returns import charts
from returns.charts import PNG_MAX_SIDE, Chart, line
from returns.charts.css import PATH, generated_block, page_css
from returns.charts.money import spend_by_borough_chart
from returns.charts.png import svg_to_png
from returns.forecast import Forecast

from .svg import SVG, classes


def _chart(**options):
    chart = line(**options)
    chart.x_labels = ["Q1", "Q2", "Q3"]
    chart.add("Actual", [1, None, 3])
    chart.add("Target", [2, 2, 2], stroke_style={"dasharray": "10,5"}, dot_shape="square")
    return Chart.from_pygal(
        chart, key="k", title="A title", summary="A summary.", table_head=["Q"], table_rows=[["Q1"]]
    )


def test_page_copy_has_no_style_script_or_style_attribute():
    svg = _chart().svg
    tree = etree.fromstring(svg)
    tags = {element.tag for element in tree.iter() if isinstance(element.tag, str)}
    assert f"{SVG}style" not in tags
    assert f"{SVG}script" not in tags
    assert not [element for element in tree.iter() if isinstance(element.tag, str) and element.get("style")]
    assert "<!--" not in svg  # no comment dated with the day it was drawn
    assert not [element.get("id") for element in tree.iter() if isinstance(element.tag, str) and element.get("id")]
    assert next(tree.iter(f"{SVG}title")).text == "A title"


def test_standalone_copy_keeps_its_style_scoped_to_its_id():
    chart = _chart()
    tree = etree.fromstring(chart.svg_standalone)
    assert tree.get("id") == "chart-k-svg"
    css = next(tree.iter(f"{SVG}style")).text
    selectors = [selector.strip() for rule in re.findall(r"([^{}]*)\{", css) for selector in rule.split(",")]
    assert selectors
    assert all(selector.startswith("#chart-k-svg") for selector in selectors)
    assert not list(tree.iter(f"{SVG}script"))


def test_dashes_become_attributes_and_dot_shapes_are_drawn():
    tree = etree.fromstring(_chart().svg)
    groups = [g for g in tree.iter(f"{SVG}g") if "serie-1" in classes(g)]
    lines = [p for g in groups for p in g.iter(f"{SVG}path") if "line" in classes(p)]
    assert lines
    assert all(p.get("stroke-dasharray") == "10,5" for p in lines)
    assert not [c for g in groups for c in g.iter(f"{SVG}circle")]
    dots = [p for g in groups for p in g.iter(f"{SVG}path") if "dot" in classes(p)]
    assert len(dots) == 3
    actual = [g for g in tree.iter(f"{SVG}g") if "serie-0" in classes(g)]
    assert len([c for g in actual for c in g.iter(f"{SVG}circle")]) == 2  # the gap has no point


def test_a_style_the_stylesheet_does_not_know_is_refused():
    with pytest.raises(ValueError, match="STYLES"):
        _chart(style=Style(colors=("#000000",)))


def test_a_registered_style_names_the_figure_class():
    assert _chart(style=charts.RAG_STYLE).css_class == "app-chart--rag"
    assert _chart().css_class == ""


def test_png_is_a_png():
    # Needs Debian's libcairo2 (.ci/run installs it): the DOCX's chart images cannot be made without it.
    png = _chart().png(dpi=96)
    assert png.startswith(b"\x89PNG")


def test_png_has_the_pixels_cairo_draws_written_at_quick_compression():
    """Pillow writes the file (returns/charts/png.py): the picture must be cairo's own, alpha and all, pixel for
    pixel, with a PNG's levels of zlib effort marked as the fastest."""
    import cairosvg

    chart = _chart(style=charts.RAG_STYLE)
    svg = str(chart.svg_standalone).encode()
    # A chart, and shapes over a transparent ground, one half see-through (cairo keeps colours premultiplied).
    shapes = (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="20" height="20" fill="#d4351c"/>'
        b'<rect x="20" width="15" height="20" fill="#00703c" fill-opacity="0.5"/></svg>'
    )
    for drawing, ours, scale in (
        (svg, chart.png(dpi=150), 150 / 96),
        (shapes, svg_to_png(shapes, dpi=96, scale=1), 1),
    ):
        cairos = cairosvg.svg2png(bytestring=drawing, dpi=96 * scale, scale=scale)
        ours_image, cairos_image = Image.open(io.BytesIO(ours)), Image.open(io.BytesIO(cairos))
        assert ours_image.size == cairos_image.size
        assert ImageChops.difference(ours_image.convert("RGBA"), cairos_image.convert("RGBA")).getbbox() is None
        # The zlib stream's header: FLEVEL 0, the fastest (cairo writes the default, 2).
        assert ours[ours.index(b"IDAT") + 5] >> 6 == 0
        assert cairos[cairos.index(b"IDAT") + 5] >> 6 != 0
    red, green, blue, alpha = Image.open(io.BytesIO(ours)).getpixel((25, 5))
    assert (red, abs(green - 112) <= 1, abs(blue - 60) <= 1, alpha) == (0, True, True, 128)
    assert Image.open(io.BytesIO(ours)).getpixel((38, 5))[3] == 0


def test_template_names_the_image_by_title_and_summary():
    html = render_to_string("charts/_chart.html", {"chart": _chart(style=charts.TREND_STYLE), "compact": True})
    assert 'class="app-chart app-chart--trend app-chart--compact"' in html
    assert 'role="img" aria-labelledby="chart-k-title chart-k-summary"' in html
    assert 'id="chart-k-title">A title<' in html
    assert 'id="chart-k-summary">A summary.<' in html
    assert '<th scope="row" class="govuk-table__header">Q1</th>' in html


def test_stylesheet_holds_the_css_pygal_makes_now():
    """If pygal changes its CSS (an upgrade) or a style changes, run `python -m returns.charts.css`."""
    assert generated_block(PATH.read_text()) == page_css()


def test_page_css_reaches_only_charts():
    css = page_css()
    for rule in re.findall(r"([^{}]*)\{", css):
        for selector in rule.split(","):
            assert selector.strip().startswith((".pygal-chart", ".app-chart--")), selector
    for name in charts.STYLES:
        if name:
            assert f".app-chart--{name} .pygal-chart .color-0" in css


def test_app_stylesheet_imports_the_charts():
    assert '@import "charts";' in (PATH.parent / "app.scss").read_text().splitlines()


def test_a_chart_of_300_boroughs_still_makes_a_bounded_png():
    """A national annex's spend chart is 18,000 px tall: its print PNG is shrunk to fit, not refused by cairo."""
    forecast = Forecast(allocation=Decimal("100000"), spent_to_date=Decimal("40000"), expected_rest=Decimal("50000"))
    chart = spend_by_borough_chart([(f"Borough {n}", forecast) for n in range(300)])
    png = chart.png()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert max(width, height) <= PNG_MAX_SIDE + 1
    assert height > width  # still the whole chart, shrunk
