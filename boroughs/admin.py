from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

from .models import Borough, Membership


def _superusers_only(request):
    # The Django admin edits users, groups and raw permissions: only superusers (made with `createsuperuser`)
    # may use it. OPCC admins work in the service's own pages.
    return request.user.is_active and request.user.is_superuser


@login_not_required
def _sign_in_through_the_service(request, extra_context=None):
    """The admin has no sign-in form of its own: /accounts/login/ (throttled, with two-step verification)
    serves both, so there is no second, unthrottled way to try passwords."""
    next_url = request.GET.get(REDIRECT_FIELD_NAME) or request.POST.get(REDIRECT_FIELD_NAME) or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    next_url = next_url or resolve_url("admin:index")
    if not request.user.is_authenticated:
        return redirect_to_login(next_url)
    if not _superusers_only(request):
        raise PermissionDenied
    return redirect(next_url)


admin.site.has_permission = _superusers_only
admin.site.login = _sign_in_through_the_service


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
