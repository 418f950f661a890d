"""The board view's charts, drawn from `reviews.selectors.board.BoardData` (names and numbers only).

They take the plain data, never the database, so the board page and the annex's "Performance summary"
appendix (live, or from a published version's snapshot) draw the same pictures from the same figures.
Colour is never the only signal: every series is named in the legend and every chart has its table.
"""

from dataclasses import dataclass

from returns.charts import RAG_STYLE, Chart, drawn_rows, horizontal_stacked_bar
from returns.charts.money import spend_by_borough_chart


@dataclass(frozen=True)
class BoardCharts:
    spend: Chart | None  # None for a year whose returns were not filed in the service
    evidence: Chart
    rag: Chart
    heatmap: tuple = ()  # HeatRow per borough: the evidence-quality map as a table, numbers in every cell

    def __iter__(self):
        return iter(chart for chart in (self.spend, self.evidence, self.rag) if chart is not None)


# The annex's charts (its "Performance summary", on the page and in every document) draw at most this many
# boroughs: a bar per borough of 300 is no picture on paper (and ran off the PDF's page). A borough chart with more
# draws the ones that most need the board's eye and says so; its table lists every borough. The board view's own
# charts, on a screen that scrolls, draw them all.
ANNEX_CHART_BOROUGHS = 15


def board_charts(board, *, prefix="board", most=None):
    """The three charts of `board`; `prefix` keeps their element ids unique on the page. With `most`, the borough
    charts draw at most that many boroughs (the annex's: ANNEX_CHART_BOROUGHS)."""
    return BoardCharts(
        spend=spend_by_borough_chart(list(board.spend), key=f"{prefix}-spend", most=most) if board.spend else None,
        evidence=evidence_chart(board, key=f"{prefix}-evidence", most=most),
        rag=rag_chart(board, key=f"{prefix}-rag"),
        heatmap=evidence_heatmap(board),
    )


def _height(bars):
    return max(300, 40 * bars + 140)


def _counts_chart(labels, series, **overrides):
    """Horizontal stacked bars of counts. pygal draws the first label at the bottom, so both go in reversed,
    to read from the top in the table's order; the value axis has whole numbers only."""
    top = max((sum(values) for values in zip(*series.values(), strict=True)), default=0)
    step = max(1, -(-top // 8))
    chart = horizontal_stacked_bar(height=_height(len(labels)), y_labels=list(range(0, top + step, step)), **overrides)
    chart.x_labels = labels[::-1]
    for name, values in series.items():
        chart.add(name, values[::-1])
    return chart


def _plural(count, word):
    return f"{count} {word}{'' if count == 1 else 's'}"


def most_flagged(rows, most):
    """The `most` EvidenceRows with the most open flags (then the most resolved), most first; ties by name."""
    return sorted(rows, key=lambda row: (-row.open, -row.resolved))[:most]


def evidence_chart(board, *, key="board-evidence", most=None):
    """Open and resolved evidence-quality flags per borough, stacked. With `most`, and more boroughs than that,
    the picture draws the `most` with the most open flags, and its summary says so."""
    rows = board.evidence
    drawn = drawn_rows(rows, most, most_flagged)
    labels = [row.borough for row in drawn]
    series = {"Open": [row.open for row in drawn], "Resolved": [row.resolved for row in drawn]}
    chart = _counts_chart(labels, series)
    opened, resolved = sum(row.open for row in rows), sum(row.resolved for row in rows)
    if opened + resolved == 0:
        summary = f"No evidence-quality flags were raised in {board.year}."
    else:
        worst = max(rows, key=lambda row: row.open)
        worst_open = f"; most open in {worst.borough} ({worst.open})" if worst.open else ""
        counts = f"{opened} open, {resolved} resolved"
        summary = f"{_plural(opened + resolved, 'flag')} raised in {board.year}: {counts}{worst_open}."
    if drawn is not rows:
        summary += (
            f" The chart shows the {len(drawn)} boroughs with the most open flags; the table lists all {len(rows)}."
        )
    return Chart.from_pygal(
        chart,
        key=key,
        title="Evidence-quality flags by borough",
        summary=summary,
        labels=labels,
        series=series,
        table_head=["Borough", "Open", "Resolved"],
        table_rows=[[row.borough, row.open, row.resolved] for row in board.evidence],
    )


RAG_SERIES = (("Red", "red"), ("Amber", "amber"), ("Green", "green"), ("Not rated", "not_rated"))


def rag_chart(board, *, key="board-rag"):
    """How many projects are red, amber, green or not rated, per Plan priority, stacked."""
    labels = [row.priority for row in board.rag]
    series = {name: [getattr(row, field) for row in board.rag] for name, field in RAG_SERIES}
    # RAG_STYLE colours the series red, amber, green and grey, in this order; the legend names them too.
    chart = _counts_chart(labels, series, style=RAG_STYLE)
    rated = sum(sum(values) for values in series.values())
    if not rated:
        summary = f"No project has a RAG rating against a Plan priority in {board.year} yet."
    else:
        counts = ", ".join(f"{sum(series[name])} {name.lower()}" for name, _ in RAG_SERIES)
        reddest = max(board.rag, key=lambda row: row.red)
        most = f"; {reddest.priority} has the most red ({reddest.red})" if reddest.red else ""
        summary = f"{_plural(rated, 'project rating')} by Plan priority in {board.year}: {counts}{most}."
    return Chart.from_pygal(
        chart,
        key=key,
        title="RAG ratings by Plan priority",
        summary=summary,
        labels=labels,
        series=series,
        table_head=["Plan priority", *(name for name, _ in RAG_SERIES), "Projects"],
        table_rows=[[row.priority, row.red, row.amber, row.green, row.not_rated, row.total] for row in board.rag],
    )


@dataclass(frozen=True)
class HeatCell:
    open: int
    resolved: int

    @property
    def tag_class(self):
        return heat_class(self.open)


@dataclass(frozen=True)
class HeatRow:
    borough: str
    cells: tuple  # HeatCell per flag type
    open: int
    resolved: int


def evidence_heatmap(board):
    """The borough × flag type map, with the open and resolved counts of each cell."""
    return tuple(
        HeatRow(row.borough, tuple(HeatCell(*pair) for pair in row.counts), row.open, row.resolved)
        for row in board.evidence
    )


def heat_class(count):
    """A GOV.UK tag colour for a count of open flags: darker for more. The number is always printed beside it."""
    if not count:
        return "govuk-tag--grey"
    if count == 1:
        return "govuk-tag--yellow"
    if count <= 3:
        return "govuk-tag--orange"
    return "govuk-tag--red"
