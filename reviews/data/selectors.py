"""The rows of a financial year's data for analysts, read in bulk: a fixed number of queries per year.

Every return of the year in every borough the user sees (drafts too: the workbook is for OPCC staff),
every flag they may see (OPCC-only ones included for OPCC staff), risks and both engagement logs. Each
sheet's rows are plain dicts from `.values()`, streamed with `.iterator(chunk_size=…)` where a year can
be large, so a sheet costs one query and bounded memory however many boroughs, projects or quarters.

Figures are the live ones (what the database holds now), and the RAG is computed from them with the
same rules the return pages use (returns.models.Indicator.year_to_date and rag_for).
"""

from functools import cached_property

from django.db.models import Count, Max, Q

from boroughs.models import borough_scope
from returns.deadlines import extensions_for
from returns.models import (
    CommunityEngagement,
    Indicator,
    IndicatorActual,
    OpccEngagement,
    Project,
    ProjectUpdate,
    ProjectYear,
    Rag,
    ReportingPeriod,
    Return,
    Risk,
    SectionStatus,
)

from ..models import Decision, Flag, Visibility

CHUNK = 1000


def person(prefix, row):
    """A user's name from a values() row: their full name, else their username; blank for nobody."""
    full = " ".join(part for part in (row[f"{prefix}__first_name"], row[f"{prefix}__last_name"]) if part)
    return full or row[f"{prefix}__username"] or ""


def person_fields(prefix):
    return [f"{prefix}__first_name", f"{prefix}__last_name", f"{prefix}__username"]


def update_count(year):
    """How many project updates the year holds: what decides whether its workbook is built on the worker."""
    return ProjectUpdate.objects.filter(return_of__period__year=year).count()


class YearData:
    """One year's rows as `user` may see them. Each method is one sheet's rows, in the sheets' order."""

    def __init__(self, year, user):
        self.year, self.user = year, user

    def returns(self):
        extensions = extensions_for(ReportingPeriod.objects.filter(year=self.year))
        rows = (
            Return.objects.for_user(self.user)
            .filter(period__year=self.year)
            .values(
                "pk",
                "borough_id",
                "borough__name",
                "period_id",
                "period__quarter",
                "period__start_date",
                "period__end_date",
                "period__due_on",
                "status",
                "created",
                "submitted_at",
                *person_fields("submitted_by"),
            )
            .annotate(
                changes_requested=Count("decisions", filter=Q(decisions__kind=Decision.Kind.REQUEST_CHANGES)),
                accepted_at=Max("decisions__at", filter=Q(decisions__kind=Decision.Kind.ACCEPT)),
            )
            .order_by("borough__name", "period__quarter")
        )
        for row in rows:
            extension = extensions.get((row["borough_id"], row["period_id"]))
            row["due_on"] = extension.due_on if extension else row["period__due_on"]
            row["status_label"] = Return.Status(row["status"]).label
            row["submitted_by"] = person("submitted_by", row)
            yield row

    def _updates(self, *fields):
        return (
            ProjectUpdate.objects.for_user(self.user)
            .filter(return_of__period__year=self.year)
            .values("pk", "project_id", "return_of__borough__name", "return_of__period__quarter", *fields)
            .order_by("return_of__borough__name", "return_of__period__quarter", "project__name", "pk")
            .iterator(chunk_size=CHUNK)
        )

    def project_updates(self):
        allocations = dict(
            ProjectYear.objects.filter(financial_year=self.year).values_list("project_id", "csf_allocation")
        )
        fields = (
            "return_of__status",
            "project__name",
            "project__delivery_partner",
            "project__csf_allocation",
            "status",
            "activity",
            "outcomes",
            "spend",
            "expected_spend",
            "rag_override",
            "rag_reason",
            "updated",
        )
        for row in self._updates(*fields):
            figures = self._figures(row)
            computed = Rag.worst([rag for _, _, _, rag in figures])
            row["allocation"] = allocations.get(row["project_id"], row["project__csf_allocation"])
            row["return_status"] = Return.Status(row["return_of__status"]).label
            row["task_status"] = SectionStatus(row["status"]).label
            row["computed_rag"] = Rag(computed).label if computed else ""
            row["override_rag"] = Rag(row["rag_override"]).label if row["rag_override"] else ""
            row["rag"] = row["override_rag"] or row["computed_rag"]
            yield row

    def indicator_actuals(self):
        for row in self._updates("project__name"):
            for indicator, value, ytd, rag in self._figures(row):
                yield {
                    "borough": row["return_of__borough__name"],
                    "quarter": row["return_of__period__quarter"],
                    "project": row["project__name"],
                    "indicator": indicator.name,
                    "unit": indicator.get_unit_display(),
                    "baseline": indicator.baseline,
                    "minimum_target": indicator.minimum_target,
                    "aspirational_target": indicator.aspirational_target,
                    "higher_is_better": "Yes" if indicator.higher_is_better else "No",
                    "value": value,
                    "ytd": ytd,
                    "rag": Rag(rag).label if rag else "",
                }

    def flags(self):
        rows = (
            Flag.objects.for_user(self.user)
            .filter(period__year=self.year)
            .values(
                "borough__name",
                "period__quarter",
                "flag_type__name",
                "column__heading",
                "project__name",
                "visibility",
                "status",
                "note",
                "raised_at",
                "resolved_at",
                "resolution",
                *person_fields("raised_by"),
                *person_fields("resolved_by"),
            )
            .order_by("borough__name", "period__quarter", "raised_at", "pk")
            .iterator(chunk_size=CHUNK)
        )
        for row in rows:
            row["about"] = row["column__heading"] or row["project__name"] or ""
            row["visibility_label"] = Visibility(row["visibility"]).label
            row["status_label"] = Flag.Status(row["status"]).label
            row["raised_by"] = person("raised_by", row)
            row["resolved_by"] = person("resolved_by", row)
            yield row

    def _logs(self, model, *fields):
        rows = (
            model.objects.for_user(self.user)
            .filter(return_of__period__year=self.year)
            .values("return_of__borough__name", "return_of__period__quarter", "return_of__status", *fields)
            .order_by("return_of__borough__name", "return_of__period__quarter", "pk")
            .iterator(chunk_size=CHUNK)
        )
        for row in rows:
            row["return_status"] = Return.Status(row["return_of__status"]).label
            yield row

    def risks(self):
        fields = ("project__name", "description", "likelihood", "impact", "mitigation", "owner", "status")
        for row in self._logs(Risk, *fields):
            # An unsaved Risk applies the model's own scoring rule, so the band here is the band on the page.
            scored = Risk(likelihood=row["likelihood"], impact=row["impact"])
            row["score"], row["band"] = scored.score, scored.band
            row["status_label"] = Risk.Status(row["status"]).label
            yield row

    def community_engagement(self):
        return self._logs(CommunityEngagement, "date", "title", "description", "people_reached", "partners")

    def opcc_engagement(self):
        for row in self._logs(OpccEngagement, "date", "what", "pcc_involvement", "logo_used"):
            row["pcc_label"] = OpccEngagement.Pcc(row["pcc_involvement"]).label
            row["logo_label"] = "Yes" if row["logo_used"] else "No"
            yield row

    # Indicators and their actuals, loaded once for both sheets that need them (two queries).

    @cached_property
    def _indicators(self):
        """{project id: [indicator, …]} for every project reported in the year."""
        reported = Project.objects.for_user(self.user).filter(updates__return_of__period__year=self.year)
        by_project = {}
        for indicator in Indicator.objects.filter(project__in=reported).order_by("pk"):
            by_project.setdefault(indicator.project_id, []).append(indicator)
        return by_project

    @cached_property
    def _actuals(self):
        """({(update id, indicator id): value}, {indicator id: {quarter: value}}) for the whole year."""
        rows = IndicatorActual.objects.filter(
            borough_scope(self.user, "update__return_of__borough"), update__return_of__period__year=self.year
        ).values_list("update_id", "indicator_id", "value", "update__return_of__period__quarter")
        values, history = {}, {}
        for update_id, indicator_id, value, quarter in rows:
            values[(update_id, indicator_id)] = value
            if value is not None:
                history.setdefault(indicator_id, {})[quarter] = value
        return values, history

    def _figures(self, update):
        """[(indicator, actual, year to date, RAG)] for one update: as returns.overview.build_task rates them."""
        values, history = self._actuals
        quarter = update["return_of__period__quarter"]
        figures = []
        for indicator in self._indicators.get(update["project_id"], []):
            value = values.get((update["pk"], indicator.pk))
            earlier = [v for q, v in history.get(indicator.pk, {}).items() if q < quarter]
            ytd = indicator.year_to_date([*earlier, value])
            basis = ytd if indicator.is_cumulative else value
            figures.append((indicator, value, ytd, indicator.rag_for(basis, quarter) if value is not None else None))
        return figures
