"""What each resource shows. Money and figures are Decimal, sent as strings ("40000.00"), never floats.

Every related object a serializer reads is loaded by its view's queryset (select_related / prefetch), so a
page of 200 costs the same queries as a page of 2.
"""

from datetime import date

from rest_framework import serializers

from boroughs.models import Borough
from returns.deadlines import due_date, is_overdue
from returns.models import FinancialYear, Indicator, IndicatorActual, Project, ProjectYear, ReportingPeriod, Return

from ..models import AnnexVersion, Flag


class YearSerializer(serializers.ModelSerializer):
    is_open = serializers.BooleanField(read_only=True, help_text="An admin has opened it: it has reporting periods.")
    is_closed = serializers.BooleanField(read_only=True, help_text="Closed: its returns can no longer change.")

    class Meta:
        model = FinancialYear
        fields = ["label", "start_date", "end_date", "is_open", "is_closed"]


class PeriodSerializer(serializers.ModelSerializer):
    year = serializers.CharField(source="year.label", read_only=True)
    is_closed = serializers.BooleanField(read_only=True)

    class Meta:
        model = ReportingPeriod
        fields = ["id", "year", "quarter", "start_date", "end_date", "opens_on", "due_on", "is_closed"]


class BoroughSerializer(serializers.ModelSerializer):
    class Meta:
        model = Borough
        fields = ["slug", "name", "partnership_name", "ons_code", "active", "contact_email", "website"]


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["id", "name", "unit", "baseline", "minimum_target", "aspirational_target", "higher_is_better"]


class FundedYearSerializer(serializers.ModelSerializer):
    year = serializers.CharField(source="financial_year.label", read_only=True)

    class Meta:
        model = ProjectYear
        fields = ["year", "csf_allocation"]


class ProjectSerializer(serializers.ModelSerializer):
    borough = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    priorities = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    funded_years = FundedYearSerializer(many=True, read_only=True)
    indicators = IndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "borough",
            "name",
            "delivery_partner",
            "description",
            "status",
            "csf_allocation",
            "start_date",
            "end_date",
            "priorities",
            "funded_years",
            "indicators",
        ]


class ActualSerializer(serializers.ModelSerializer):
    year = serializers.CharField(source="update.return_of.period.year.label", read_only=True)
    quarter = serializers.IntegerField(source="update.return_of.period.quarter", read_only=True)
    return_id = serializers.IntegerField(source="update.return_of_id", read_only=True)
    return_status = serializers.CharField(source="update.return_of.status", read_only=True)

    class Meta:
        model = IndicatorActual
        fields = ["year", "quarter", "return_id", "return_status", "value"]


class IndicatorWithActualsSerializer(IndicatorSerializer):
    project = serializers.PrimaryKeyRelatedField(read_only=True)
    project_name = serializers.CharField(source="project.name", read_only=True)
    borough = serializers.CharField(source="project.borough.slug", read_only=True)
    actuals = ActualSerializer(many=True, read_only=True, help_text="The value reported each quarter, oldest first.")

    class Meta(IndicatorSerializer.Meta):
        fields = ["id", "project", "project_name", "borough", *IndicatorSerializer.Meta.fields[1:], "actuals"]


class ReturnSerializer(serializers.ModelSerializer):
    borough = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    period = serializers.PrimaryKeyRelatedField(read_only=True)
    year = serializers.CharField(source="period.year.label", read_only=True)
    quarter = serializers.IntegerField(source="period.quarter", read_only=True)
    due_on = serializers.SerializerMethodField(help_text="The borough's due date: the period's, or its extension.")
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Return
        fields = ["id", "borough", "period", "year", "quarter", "status", "created", "submitted_at", "due_on"]
        fields += ["is_overdue"]

    def get_due_on(self, return_) -> date:
        # The view loads the page's extensions once (returns.deadlines.extensions_for) and passes them in.
        return due_date(return_.period, return_.borough_id, extensions=self.context.get("extensions"))

    def get_is_overdue(self, return_) -> bool:
        return is_overdue(return_, self.get_due_on(return_), period=return_.period)


class FlagSerializer(serializers.ModelSerializer):
    borough = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    year = serializers.CharField(source="period.year.label", read_only=True)
    quarter = serializers.IntegerField(source="period.quarter", read_only=True)
    flag_type = serializers.SlugRelatedField(slug_field="key", read_only=True)
    flag_type_name = serializers.CharField(source="flag_type.name", read_only=True)
    column = serializers.SlugRelatedField(slug_field="key", read_only=True, allow_null=True)
    project = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    subject = serializers.CharField(read_only=True, help_text="The annex column's heading, or the project's name.")

    class Meta:
        model = Flag
        fields = ["id", "borough", "year", "quarter", "flag_type", "flag_type_name", "column", "project", "subject"]
        fields += ["note", "visibility", "status", "raised_at", "resolved_at", "resolution"]


class AnnexVersionSerializer(serializers.ModelSerializer):
    year = serializers.CharField(source="annex.financial_year.label", read_only=True)
    label = serializers.CharField(source="annex.label", read_only=True)
    title = serializers.CharField(source="annex.title", read_only=True)

    class Meta:
        model = AnnexVersion
        fields = ["id", "year", "label", "title", "number", "meeting_date", "published_at"]


class AnnexVersionDetailSerializer(AnnexVersionSerializer):
    snapshot = serializers.JSONField(read_only=True, help_text="The annex as published: every borough's table.")

    class Meta(AnnexVersionSerializer.Meta):
        fields = [*AnnexVersionSerializer.Meta.fields, "snapshot"]
