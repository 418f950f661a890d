"""Reference data of the review and the annex that OPCC admins keep: annex columns and flag types."""

from django.contrib import admin

from .models import AnnexColumn, FlagType


@admin.register(AnnexColumn)
class AnnexColumnAdmin(admin.ModelAdmin):
    list_display = ["heading", "financial_year", "order", "key", "role"]
    list_filter = ["financial_year", "role"]
    ordering = ["-financial_year__start_date", "order", "pk"]
    search_fields = ["heading", "key"]


@admin.register(FlagType)
class FlagTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "order", "active"]
    list_filter = ["active"]
    ordering = ["order", "name"]
    search_fields = ["name", "key"]
    prepopulated_fields = {"key": ["name"]}
