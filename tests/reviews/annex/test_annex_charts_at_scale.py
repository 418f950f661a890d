"""The annex's borough charts with more boroughs than a page can picture: they draw the ones that need the board's
eye (at most ANNEX_CHART_BOROUGHS) and say so, their tables list every borough, and in the PDF each chart sits
whole on one page (a national chart ran off its page, leaving a page holding only its caption)."""

import io
import re
from dataclasses import replace
from decimal import Decimal

import pytest
from pypdf import PdfReader

from returns.charts.money import axis_pounds, furthest_from_allocation, spend_by_borough_chart
from returns.forecast import Forecast
from reviews.annex.assembly import assemble
from reviews.charts import ANNEX_CHART_BOROUGHS, board_charts, most_flagged
from reviews.exports import pdf as pdf_export
from reviews.selectors.board import BoardData, EvidenceRow

D = Decimal
BOROUGHS = 40


def _forecast(n):
    """Borough n's forecast: allocations vary, so the proportion, not the pounds, decides who is furthest out.
    Every seventh has no forecast; borough 3 is exactly on its allocation."""
    allocation = D(10_000 * (1 + n % 5))
    if n % 7 == 0:
        return Forecast(allocation, D(1000), None)
    if n == 3:
        return Forecast(allocation, D(1000), allocation - D(1000))
    off = D(n % 13) / 20  # 0 to 60% off the allocation
    outturn = allocation * (1 + off if n % 2 else 1 - off)
    return Forecast(allocation, D(1000), outturn - D(1000))


def _name(n):
    return f"Borough {n:02d}"


@pytest.fixture
def board():
    return BoardData(
        year="2026-27",
        period="Q2 2026-27",
        spend=tuple((_name(n), _forecast(n)) for n in range(BOROUGHS)),
        flag_types=("Late", "Vague"),
        evidence=tuple(EvidenceRow(_name(n), ((n % 4, n % 3), (n % 6 // 5, 1))) for n in range(BOROUGHS)),
    )


def _distance(forecast):
    return abs(forecast.outturn / forecast.allocation - 1)


def test_the_spend_chart_draws_the_boroughs_furthest_from_their_allocation_in_proportion(board):
    rows = list(board.spend)
    chart = spend_by_borough_chart(rows, key="k", most=ANNEX_CHART_BOROUGHS)
    drawn = dict(furthest_from_allocation(rows, ANNEX_CHART_BOROUGHS))
    assert chart.labels == list(drawn)
    assert len(drawn) == ANNEX_CHART_BOROUGHS
    distances = [_distance(f) for f in drawn.values()]
    assert distances == sorted(distances, reverse=True)
    left_out = [f for name, f in rows if name not in drawn]
    assert max(_distance(f) for f in left_out if f.outturn is not None) <= distances[-1]
    assert chart.series["Allocation"] == [f.allocation for f in drawn.values()]
    # The table is every borough's, in the board's order; the summary counts them all, then says what is drawn.
    assert [row[0] for row in chart.table_rows] == [_name(n) for n in range(BOROUGHS)]
    assert chart.summary.startswith(spend_by_borough_chart(rows).summary.removesuffix("."))
    assert chart.summary.endswith(
        "The chart shows the 15 boroughs whose forecast is furthest from their allocation, in proportion; "
        "the table lists all 40."
    )


def test_a_borough_without_a_forecast_is_drawn_only_after_every_one_with_one():
    on_target = Forecast(D(100), D(10), D(90))
    rows = [
        ("No forecast", Forecast(D(100), D(10), None)),
        ("On target", on_target),
        ("No allocation", Forecast(D(0), D(0), D(5))),
    ]
    assert [name for name, _ in furthest_from_allocation(rows, 2)] == ["On target", "No forecast"]


def test_the_evidence_chart_draws_the_boroughs_with_the_most_open_flags(board):
    chart = board_charts(board, most=ANNEX_CHART_BOROUGHS).evidence
    drawn = most_flagged(board.evidence, ANNEX_CHART_BOROUGHS)
    assert chart.labels == [row.borough for row in drawn]
    opened = chart.series["Open"]
    assert opened == sorted(opened, reverse=True)
    assert min(opened) >= max(row.open for row in board.evidence if row not in drawn)
    assert len(chart.table_rows) == BOROUGHS
    total_open = sum(row.open for row in board.evidence)
    assert f": {total_open} open," in chart.summary  # the summary's counts are every borough's
    assert chart.summary.endswith("The chart shows the 15 boroughs with the most open flags; the table lists all 40.")


def test_the_board_view_draws_every_borough_and_a_small_annex_is_unchanged(board):
    everything = board_charts(board)
    assert len(everything.spend.labels) == len(everything.evidence.labels) == BOROUGHS
    assert "The chart shows" not in everything.spend.summary + everything.evidence.summary
    small = replace(board, spend=board.spend[:ANNEX_CHART_BOROUGHS], evidence=board.evidence[:ANNEX_CHART_BOROUGHS])
    annex_charts = board_charts(small, most=ANNEX_CHART_BOROUGHS)
    assert annex_charts.spend.labels == [name for name, _ in small.spend]  # all of them, in the board's order
    assert annex_charts.evidence.summary == board_charts(small).evidence.summary


@pytest.mark.django_db
def test_in_the_pdf_each_chart_is_whole_on_the_page_of_its_caption(annex_2015, board):
    annex_2015.include_performance_summary = True
    annex_2015.save()
    assembled = replace(assemble(annex_2015), performance_summary=board)
    assert [len(chart.labels) for chart in assembled.performance_charts][:2] == [15, 15]
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf_export.render(assembled))).pages]
    for chart in list(assembled.performance_charts)[:2]:
        [page] = [text for text in pages if chart.title in text and "The chart shows the 15" in text]
        assert all(label in page for label in chart.labels), chart.key


@pytest.mark.parametrize(
    ("amount", "label"),
    [
        ("0", "£0"),
        ("950", "£950"),
        ("999.6", "£1k"),
        ("1250", "£1.25k"),
        ("200000", "£200k"),
        ("999999", "£1m"),
        ("1250000", "£1.25m"),
        ("12345678", "£12.35m"),
        ("-30000", "-£30k"),
    ],
)
def test_the_spend_charts_value_axis_is_labelled_short(amount, label):
    assert axis_pounds(D(amount)) == label


def test_a_national_spend_charts_axis_labels_fit_the_axis(board):
    """At national allocations the axis ran "£0.00£200,000.00£400,000.00…" together; now a few characters each."""
    big = [(name, Forecast(f.allocation * 100, f.spent_to_date * 100, None)) for name, f in board.spend]
    svg = str(spend_by_borough_chart(big, most=ANNEX_CHART_BOROUGHS).svg_standalone)
    labels = re.findall(r"<text[^>]*>(-?£[^<]*)</text>", svg)
    assert labels
    assert all(len(label) <= 6 for label in labels), labels
