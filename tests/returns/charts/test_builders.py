"""Each chart's data: the points plotted (Chart.series and the SVG's markup), the target lines, the table."""

from decimal import Decimal as D

from returns.charts.indicators import indicator_chart
from returns.charts.rag import rag_chart
from returns.charts.spend import spend_chart
from returns.models import Indicator

from .svg import points, texts


def referrals(**extra):
    fields = {"pk": 7, "name": "Referrals", "unit": Indicator.Unit.COUNT, "minimum_target": D("100")}
    return Indicator(**{**fields, "aspirational_target": D("140"), **extra})


def test_counts_plot_the_year_to_date_against_the_share_of_the_targets_due():
    chart = indicator_chart(
        referrals(), key="i", year_label="2026-27", actuals={1: D("30"), 2: D("45"), 3: None}, last_year={}
    )
    actual, minimum, aspiration = chart.series.values()
    assert actual == [D("30"), D("75"), None, None]  # Q3 has no figure: a gap, never 0
    assert minimum == [D("25"), D("50"), D("75"), D("100")]
    assert aspiration == [D("35"), D("70"), D("105"), D("140")]
    plotted = points(chart.svg)
    assert plotted[0] == {"Q1": D("30"), "Q2": D("75")}
    assert plotted[1] == dict(zip(chart.labels, minimum, strict=True))
    assert plotted[2] == dict(zip(chart.labels, aspiration, strict=True))
    assert 3 not in plotted  # no last year's figures: no line for it
    assert chart.table_head == [
        "Quarter",
        "This quarter",
        "Year to date",
        "Minimum target due",
        "Aspirational target due",
        "Rating",
    ]
    assert chart.table_rows == [
        ["Q1", "30", "30", "25", "35", "Amber"],
        ["Q2", "45", "75", "50", "70", "Green"],
        ["Q3", "No figure", "No figure", "75", "105", "No rating"],
        ["Q4", "No figure", "No figure", "100", "140", "No rating"],
    ]
    assert (
        chart.summary
        == "Referrals: above the aspirational target in Q2 (75 year to date against an aspirational target of 70)."
    )


def test_a_percentage_plots_each_quarter_against_flat_targets():
    engaged = referrals(
        name="Engaged", unit=Indicator.Unit.PERCENT, minimum_target=D("60"), aspirational_target=D("75")
    )
    chart = indicator_chart(engaged, key="i", year_label="2026-27", actuals={1: D("62.5"), 3: D("58")})
    actual, minimum, aspiration = chart.series.values()
    assert actual == [D("62.5"), None, D("58"), None]
    assert minimum == [D("60")] * 4
    assert aspiration == [D("75")] * 4
    assert points(chart.svg)[0] == {"Q1": D("62.5"), "Q3": D("58")}
    assert chart.table_rows[0] == ["Q1", "62.50%", "60%", "75%", "Amber"]
    assert chart.table_rows[1] == ["Q2", "No figure", "60%", "75%", "No rating"]
    assert chart.summary.startswith("Engaged: below the minimum target in Q3 (58% against")


def test_last_year_is_a_fourth_line_and_a_column():
    chart = indicator_chart(
        referrals(),
        key="i",
        year_label="2026-27",
        actuals={1: D("40")},
        last_year={1: D("20"), 2: D("20"), 4: D("10")},
        last_year_label="2025-26",
    )
    assert chart.series["2025-26 year to date"] == [D("20"), D("40"), None, D("50")]
    assert points(chart.svg)[3] == {"Q1": D("20"), "Q2": D("40"), "Q4": D("50")}
    assert chart.table_head[-1] == "2025-26 year to date"
    assert [row[-1] for row in chart.table_rows] == ["20", "40", "No figure", "50"]


def test_lower_is_better_and_no_figures_in_words():
    fewer = referrals(
        name="Repeat victims", higher_is_better=False, minimum_target=D("40"), aspirational_target=D("20")
    )
    assert indicator_chart(fewer, key="i", year_label="2026-27", actuals={1: D("4")}).summary.startswith(
        "Repeat victims: below the aspirational target (lower is better) in Q1"
    )
    assert indicator_chart(fewer, key="i", year_label="2026-27", actuals={1: D("30")}).summary.startswith(
        "Repeat victims: above the minimum target (lower is better) in Q1"
    )
    empty = indicator_chart(referrals(), key="i", year_label="2026-27", actuals={})
    assert empty.summary == "Referrals: no figures reported for 2026-27 yet."
    assert empty.series["2026-27 year to date"] == [None] * 4
    assert not points(empty.svg).get(0)


def test_spend_to_date_against_the_allocation_pro_rata():
    spend = {1: (D("10000.50"), D("10000.50")), 2: (D("5000"), D("15000.50"))}
    chart = spend_chart(key="s", title="Spend", year_label="2026-27", allocation=D("40000"), spend=spend)
    assert chart.series == {
        "Spend to date": [D("10000.50"), D("15000.50"), None, None],
        "Allocation pro rata": [D("10000"), D("20000"), D("30000"), D("40000")],
    }
    plotted = points(chart.svg)
    assert plotted[0] == {"Q1": D("10000.50"), "Q2": D("15000.50")}
    assert plotted[1] == {"Q1": D("10000"), "Q2": D("20000"), "Q3": D("30000"), "Q4": D("40000")}
    assert chart.table_rows[:2] == [
        ["Q1", "£10,000.50", "£10,000.50", "£10,000", "+£0.50"],
        ["Q2", "£5,000", "£15,000.50", "£20,000", "−£4,999.50"],
    ]
    assert chart.table_rows[2] == ["Q3", "No figure", "No figure", "£30,000", "No figure"]
    assert chart.summary == (
        "Spend to date is £15,000.50 at the end of Q2, £4,999.50 below the pro-rata share (£20,000) "
        "of the £40,000 allocation."
    )
    nothing = spend_chart(key="s", title="Spend", year_label="2026-27", allocation=D("40000"), spend={})
    assert nothing.summary == "No spend reported for 2026-27 yet."
    assert nothing.series["Spend to date"] == [None] * 4


def test_rag_counts_per_quarter_with_labels_in_words():
    rows = [("Alpha", {1: "red", 2: "green"}), ("Beta", {1: "", 2: "amber"}), ("Gamma", {2: "green"})]
    chart = rag_chart(key="r", year_label="2026-27", rows=rows, reported={1, 2})
    assert chart.series == {
        "Red": [1, 0, None, None],
        "Amber": [0, 1, None, None],
        "Green": [0, 2, None, None],
        "No rating yet": [1, 0, None, None],
    }
    # Never colour alone: each part of a bar says what it is.
    assert {"1 red", "1 amber", "2 green", "1 no rating yet"} <= set(texts(chart.svg))
    assert chart.table_rows[:3] == [
        ["Alpha", "Red", "Green", "No return", "No return"],
        ["Beta", "No rating yet", "Amber", "No return", "No return"],
        ["Gamma", "Not in this return", "Green", "No return", "No return"],
    ]
    assert chart.table_rows[3:] == [
        ["Projects: red", "1", "0", "–", "–"],
        ["Projects: amber", "0", "1", "–", "–"],
        ["Projects: green", "0", "2", "–", "–"],
        ["Projects: no rating yet", "1", "0", "–", "–"],
    ]
    assert chart.summary == "In Q2, of 3 projects: 1 amber, 2 green."
    assert rag_chart(key="r", year_label="2026-27", rows=[], reported=set()).summary == "No returns for 2026-27 yet."
