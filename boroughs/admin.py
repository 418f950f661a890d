from django.contrib import admin

from .models import Borough, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Borough)
class BoroughAdmin(admin.ModelAdmin):
    list_display = ["name", "partnership_name", "ons_code", "active"]
    list_filter = ["active"]
    search_fields = ["name", "partnership_name", "ons_code"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "borough", "job_title"]
    list_filter = ["borough"]
    search_fields = ["user__username", "user__email", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user", "borough"]
