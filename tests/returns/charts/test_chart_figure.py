"""templates/charts/_chart.html, written by returns/templatetags/chart_tags.py: a chart's figure, its outline
(no drawing yet) and its figures as a table, with every piece of text escaped."""

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from lxml import html as lxml_html

from returns.charts import Chart


def _chart(**overrides):
    fields = {
        "key": "p7-referrals",
        "title": "Referrals <per quarter>",
        "summary": "Up from 12 to 20 & rising.",
        # As Chart.from_pygal makes it: markup already made safe.
        "svg": mark_safe('<svg xmlns="http://www.w3.org/2000/svg"><title>Referrals</title></svg>'),
        "table_head": ["Quarter", "Referrals"],
        "table_rows": [["Q1", 12], ["Q2 <b>", 20]],
        "style": "",
    }
    return Chart(**{**fields, **overrides})


def _figure(chart, **context):
    page = render_to_string("charts/_chart.html", {"chart": chart, **context})
    return page, lxml_html.fragment_fromstring(page.strip())


def test_a_drawn_chart_is_one_image_named_by_its_title_and_summary():
    page, figure = _figure(_chart())
    assert figure.get("id") == "chart-p7-referrals"
    assert figure.get("class") == "app-chart"
    image = figure.find_class("app-chart__image")[0]
    assert image.get("role") == "img"
    assert image.get("aria-labelledby") == "chart-p7-referrals-title chart-p7-referrals-summary"
    assert '<svg xmlns="http://www.w3.org/2000/svg"><title>Referrals</title></svg>' in page  # drawn, not escaped
    assert figure.find_class("app-chart__title")[0].text == "Referrals <per quarter>"
    assert "Referrals &lt;per quarter&gt;" in page
    assert "Up from 12 to 20 &amp; rising." in page


def test_an_outline_is_no_image_until_drawn():
    _, figure = _figure(_chart(svg=""))
    image = figure.find_class("app-chart__image")[0]
    assert image.get("role") is None
    assert len(image) == 0


def test_the_figures_table_has_row_headers_and_escaped_cells():
    page, figure = _figure(_chart(), compact=True, context_label="Youth <diversion>")
    assert figure.get("class") == "app-chart app-chart--compact"
    table = figure.get_element_by_id("chart-p7-referrals-table")
    assert [th.text for th in table.xpath(".//thead//th")] == ["Quarter", "Referrals"]
    rows = table.xpath(".//tbody/tr")
    assert [[cell.tag for cell in row] for row in rows] == [["th", "td"], ["th", "td"]]
    assert [[cell.text for cell in row] for row in rows] == [["Q1", "12"], ["Q2 <b>", "20"]]
    assert "Q2 &lt;b&gt;" in page
    region = figure.find_class("app-table-scroll")[0]
    assert region.get("aria-label") == "Referrals <per quarter> (Youth <diversion>): figures"
