"""Views that help the board: the board view and evidence quality (projects by Plan priority: thematic.py; search:
search.py)."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from boroughs.models import Borough
from returns.forecast import Forecast, borough_forecasts
from returns.models import PlanPriority, Project, ProjectUpdate, Rag, Return

from ..models import AnnexColumn, Flag, FlagType
from .rag import update_rags


def evidence_quality(user, year):
    """{borough: {column id or "projects": [(flag type, count)]}} of the year's open flags."""
    types = {t.pk: t for t in FlagType.objects.all()}
    counts = defaultdict(lambda: defaultdict(list))
    rows = (
        Flag.objects.for_user(user)
        .open()
        .filter(period__year=year)
        .values("borough_id", "column_id", "flag_type_id")
        .annotate(n=Count("pk"))
        .order_by("borough_id", "column_id", "flag_type_id")
    )
    for row in rows:
        where = row["column_id"] or "projects"
        counts[row["borough_id"]][where].append((types[row["flag_type_id"]], row["n"]))
    columns = list(AnnexColumn.objects.for_year(year))
    table = [
        (borough, [counts[borough.pk].get(c.pk, []) for c in columns] + [counts[borough.pk].get("projects", [])])
        for borough in Borough.objects.for_user(user).active()
    ]
    return columns, table


def newest_first():
    """1 for each project's latest update (its latest quarter; the newest row within one), in the database."""
    return Window(
        RowNumber(), partition_by=F("project_id"), order_by=[F("return_of__period__quarter").desc(), F("pk").desc()]
    )


# The board view: every borough's spend against its allocation, the evidence-quality map (borough × flag type,
# open and resolved) and the RAG of projects by Plan priority. It is plain data, names and numbers and no model
# objects, because the annex's "Performance summary" appendix stores it in a published version's snapshot and
# draws the same charts from it later, whatever has changed since (BoardData.to_snapshot / from_snapshot).
# OPCC staff see every borough, and the annex is the OPCC's, so it reads every active borough: the pages that
# show it check who may look first (reviews.access.require_review_scope, get_annex_for_user).


@dataclass(frozen=True)
class EvidenceRow:
    borough: str
    counts: tuple  # (open, resolved) per flag type, in the order of BoardData.flag_types

    @property
    def open(self):
        return sum(opened for opened, _ in self.counts)

    @property
    def resolved(self):
        return sum(resolved for _, resolved in self.counts)


@dataclass(frozen=True)
class RagRow:
    priority: str
    red: int = 0
    amber: int = 0
    green: int = 0
    not_rated: int = 0

    @property
    def total(self):
        return self.red + self.amber + self.green + self.not_rated


@dataclass(frozen=True)
class BoardData:
    year: str
    period: str  # the quarter the spend figures run to, e.g. "Q3 2026-27"; "" for a year filed outside the service
    spend: tuple = ()  # (borough name, returns.forecast.Forecast), alphabetical
    flag_types: tuple = ()  # flag type names, in their reference order
    evidence: tuple = ()  # EvidenceRow per borough, alphabetical
    rag: tuple = ()  # RagRow per Plan priority of the year

    @property
    def forecast_flags(self):
        """(borough, forecast) of the boroughs likely to under- or overspend."""
        return [(name, forecast) for name, forecast in self.spend if forecast.flagged]

    def to_snapshot(self):
        return {
            "year": self.year,
            "period": self.period,
            "spend": [[name, _forecast_snapshot(forecast)] for name, forecast in self.spend],
            "flag_types": list(self.flag_types),
            "evidence": [[row.borough, [list(pair) for pair in row.counts]] for row in self.evidence],
            "rag": [[row.priority, row.red, row.amber, row.green, row.not_rated] for row in self.rag],
        }

    @classmethod
    def from_snapshot(cls, data):
        return cls(
            year=data["year"],
            period=data.get("period", ""),
            spend=tuple((name, _forecast_from_snapshot(figures)) for name, figures in data.get("spend", [])),
            flag_types=tuple(data.get("flag_types", [])),
            evidence=tuple(
                EvidenceRow(name, tuple((opened, resolved) for opened, resolved in counts))
                for name, counts in data.get("evidence", [])
            ),
            rag=tuple(RagRow(*row) for row in data.get("rag", [])),
        )


def _forecast_snapshot(forecast):
    # Money as strings: JSON numbers would go through floats.
    return {name: None if value is None else str(value) for name, value in vars(forecast).items()}


def _forecast_from_snapshot(figures):
    return Forecast(**{name: None if value is None else Decimal(value) for name, value in figures.items()})


def board_period(year, today=None):
    """The quarter the board's spend figures run to: the year's latest with a return sent to the OPCC (its
    figures are the latest reported), else the latest that has begun; None for a year without periods."""
    filed = Return.objects.filter(period=OuterRef("pk")).exclude(status=Return.Status.DRAFT)
    latest = year.periods.filter(Exists(filed)).order_by("-quarter").first()
    if latest is not None:
        return latest
    today = today or timezone.localdate()
    return year.periods.filter(start_date__lte=today).order_by("-quarter").first()


def board_view_data(*, year, today=None):
    """The board view of `year`, in a fixed number of queries however many boroughs, projects and flags."""
    boroughs = list(Borough.objects.active().order_by("name").only("pk", "name"))
    period = board_period(year, today)
    spend = ()
    if period is not None:
        forecasts = borough_forecasts(period=period)
        empty = Forecast(allocation=Decimal("0.00"), spent_to_date=Decimal("0.00"), expected_rest=None)
        spend = tuple((borough.name, forecasts.get(borough.pk, empty)) for borough in boroughs)
    flag_types, evidence = _evidence_map(year, boroughs)
    return BoardData(
        year=year.label,
        period=f"Q{period.quarter} {year.label}" if period else "",
        spend=spend,
        flag_types=flag_types,
        evidence=evidence,
        rag=_rag_by_priority(year),
    )


def _evidence_map(year, boroughs):
    """Flag type names, and per borough (open, resolved) counts of the year's flags of each type: two queries."""
    counted = (
        Flag.objects.filter(period__year=year)
        .values("borough_id", "flag_type_id")
        .annotate(
            opened=Count("pk", filter=Q(status=Flag.Status.OPEN)),
            resolved=Count("pk", filter=Q(status=Flag.Status.RESOLVED)),
        )
        .order_by()
    )
    counts = {(row["borough_id"], row["flag_type_id"]): (row["opened"], row["resolved"]) for row in counted}
    used = {type_id for _, type_id in counts}
    # Retired types stay in the map while the year has flags of them.
    types = [t for t in FlagType.objects.order_by("order", "name") if t.active or t.pk in used]
    rows = tuple(
        EvidenceRow(borough.name, tuple(counts.get((borough.pk, t.pk), (0, 0)) for t in types)) for borough in boroughs
    )
    return tuple(t.name for t in types), rows


def _rag_by_priority(year):
    """Per Plan priority of the year, its projects' latest RAG in the year's returns (red, amber, green, none).

    A project's RAG is the one its latest return with the OPCC shows (the officer's own rating, else the worst
    of its indicators, year to date: returns.overview.build_task, read from plain rows by
    reviews.selectors.rag.update_rags). A project serving two priorities counts in both. Four queries, however
    many projects.
    """
    priorities = list(PlanPriority.objects.for_year(year).order_by("order", "name", "pk"))
    if not priorities:
        return ()
    # Each project's latest filed update, chosen in the database as the thematic view does: at national scale
    # reading every quarter's updates to keep the last was most of the appendix's and the board's cold cost.
    latest = (
        ProjectUpdate.objects.filter(return_of__period__year=year)
        .exclude(return_of__status=Return.Status.DRAFT)
        .annotate(newest=newest_first())
        .filter(newest=1)
    )
    rags = {judged.project_id: judged.rag for judged in update_rags(latest)}
    counts = {p.pk: defaultdict(int) for p in priorities}
    links = Project.priorities.through.objects.filter(planpriority__in=priorities).values_list(
        "project_id", "planpriority_id"
    )
    for project_id, priority_id in links:
        if project_id in rags:
            counts[priority_id][rags[project_id] or "none"] += 1
    return tuple(
        RagRow(
            p.name,
            counts[p.pk][Rag.RED],
            counts[p.pk][Rag.AMBER],
            counts[p.pk][Rag.GREEN],
            counts[p.pk]["none"],
        )
        for p in priorities
    )
