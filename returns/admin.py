from django.contrib import admin

from .models import FinancialYear, PeriodExtension, Plan, PlanPriority, ReportingPeriod


class PlanPriorityInline(admin.TabularInline):
    model = PlanPriority
    extra = 1


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["name"]
    filter_horizontal = ["years"]
    inlines = [PlanPriorityInline]


@admin.register(PlanPriority)
class PlanPriorityAdmin(admin.ModelAdmin):
    list_display = ["name", "plan", "order"]
    list_filter = ["plan"]
    ordering = ["plan__name", "order", "name"]
    search_fields = ["name"]


@admin.register(FinancialYear)
class FinancialYearAdmin(admin.ModelAdmin):
    list_display = ["label", "start_date", "end_date"]


class PeriodExtensionInline(admin.TabularInline):
    model = PeriodExtension
    extra = 0
    autocomplete_fields = []
    readonly_fields = ["granted_by", "created"]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ["__str__", "start_date", "end_date", "opens_on", "due_on"]
    list_filter = ["year"]
    inlines = [PeriodExtensionInline]
