"""The API's resources. Each starts from the `for_user(user)` queryset its pages use; see README.md."""

from django.db.models import Exists, OuterRef, Prefetch, Q

from boroughs.models import Borough
from returns.deadlines import extensions_for
from returns.models import FinancialYear, Indicator, IndicatorActual, Project, ProjectYear, ReportingPeriod, Return

from ..models import Annex, AnnexVersion, Flag
from . import serializers as s
from .base import BoroughFilter, ReadOnlyResource, YearFilter, status_filter


class YearViewSet(ReadOnlyResource):
    """Financial years: reference data, the same for every token."""

    serializer_class = s.YearSerializer
    lookup_field = "label"
    lookup_value_regex = r"\d{4}-\d{2}"

    def scoped(self, user):
        opened = FinancialYear.objects.filter(periods__year=OuterRef("pk"))
        return FinancialYear.objects.annotate(is_open=Exists(opened))


class PeriodViewSet(ReadOnlyResource):
    """Reporting periods (quarters) with their default dates; a borough's own due date is on its returns."""

    serializer_class = s.PeriodSerializer
    filters = {"year": (YearFilter(), "year")}

    def scoped(self, user):
        return ReportingPeriod.objects.select_related("year")


class BoroughViewSet(ReadOnlyResource):
    serializer_class = s.BoroughSerializer
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"

    def scoped(self, user):
        return Borough.objects.for_user(user)


class ProjectViewSet(ReadOnlyResource):
    """Projects with their indicators and yearly allocations. ?year= keeps those funded in or reported on in it."""

    serializer_class = s.ProjectSerializer
    filters = {
        "year": (YearFilter(), None),
        "borough": (BoroughFilter(), "borough"),
        "status": (status_filter(Project.Status.choices), "status"),
    }

    def scoped(self, user):
        return (
            Project.objects.for_user(user)
            .select_related("borough")
            .prefetch_related(
                "priorities",
                "indicators",
                Prefetch("funded_years", queryset=ProjectYear.objects.select_related("financial_year")),
            )
        )

    def filter_by(self, queryset, name, value):
        if name == "year":
            # A project added during a year has no allocation row for it, but its returns report on it.
            in_year = Q(funded_years__financial_year=value) | Q(updates__return_of__period__year=value)
            return queryset.filter(pk__in=Project.objects.filter(in_year).values("pk"))
        return super().filter_by(queryset, name, value)


class IndicatorViewSet(ReadOnlyResource):
    """Indicators with the value reported each quarter. ?year= keeps that year's actuals (and indicators with any)."""

    serializer_class = s.IndicatorWithActualsSerializer
    filters = {"year": (YearFilter(), None), "borough": (BoroughFilter(), "project__borough")}

    def actuals(self, year=None):
        actuals = IndicatorActual.objects.filter(update__return_of__in=Return.objects.for_user(self.request.user))
        if year is not None:
            actuals = actuals.filter(update__return_of__period__year=year)
        actuals = actuals.select_related("update__return_of__period__year").order_by(
            "update__return_of__period__start_date"
        )
        return Prefetch("actuals", queryset=actuals)

    def scoped(self, user):
        return Indicator.objects.for_user(user).select_related("project__borough").prefetch_related(self.actuals())

    def filter_by(self, queryset, name, value):
        if name == "year":
            reported = IndicatorActual.objects.filter(indicator=OuterRef("pk"), update__return_of__period__year=value)
            # Replaces the prefetch of every year's actuals with this year's.
            return queryset.filter(Exists(reported)).prefetch_related(None).prefetch_related(self.actuals(value))
        return super().filter_by(queryset, name, value)


class ReturnViewSet(ReadOnlyResource):
    """Quarterly returns and their status. Officers see their own boroughs' (drafts included); OPCC staff all."""

    serializer_class = s.ReturnSerializer
    filters = {
        "year": (YearFilter(), "period__year"),
        "borough": (BoroughFilter(), "borough"),
        "status": (status_filter(Return.Status.choices), "status"),
    }

    def scoped(self, user):
        return Return.objects.for_user(user).select_related("borough", "period__year")

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        # The page's extensions in one query, for each return's due date.
        self.extensions = extensions_for({r.period_id for r in page}, boroughs={r.borough_id for r in page})
        return page

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "extensions": getattr(self, "extensions", None)}


class FlagViewSet(ReadOnlyResource):
    """Evidence-quality flags. OPCC-only ones reach only OPCC staff: Flag.objects.for_user drops them for officers."""

    serializer_class = s.FlagSerializer
    filters = {
        "year": (YearFilter(), "period__year"),
        "borough": (BoroughFilter(), "borough"),
        "status": (status_filter(Flag.Status.choices), "status"),
    }

    def scoped(self, user):
        return Flag.objects.for_user(user).select_related("borough", "period__year", "flag_type", "column", "project")


class AnnexVersionViewSet(ReadOnlyResource):
    """Published annex versions: OPCC staff only (reviews.permissions.can_see_annex), as on the pages.

    An officer's token gets an empty list and a 404 for any version: the annex's text is the OPCC's until
    the board has it, and the pages show officers no annex either.
    """

    filters = {"year": (YearFilter(), "annex__financial_year")}

    def get_serializer_class(self):
        return s.AnnexVersionDetailSerializer if self.action == "retrieve" else s.AnnexVersionSerializer

    def scoped(self, user):
        versions = AnnexVersion.objects.filter(annex__in=Annex.objects.for_user(user))
        versions = versions.select_related("annex__financial_year")
        # The list leaves each published snapshot (the whole annex) in the database.
        return versions if self.action == "retrieve" else versions.defer("snapshot")
