from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from .access import get_borough_for_user, require_perm
from .models import Borough, Membership


def home(request):
    """Send each person to where their work is."""
    user = request.user
    if user.has_perm("boroughs.view_all_boroughs"):
        return redirect(getattr(settings, "OPCC_HOME_URL_NAME", "borough_list"))
    if not user.has_perm("boroughs.view_borough"):
        raise PermissionDenied
    slugs = list(Borough.objects.for_user(user).values_list("slug", flat=True)[:2])
    if len(slugs) == 1:
        return redirect("borough_detail", slug=slugs[0])
    # Several boroughs: the list is their dashboard (each borough's current return, from the returns app).
    return redirect("borough_list")


def borough_list(request):
    """OPCC staff: every borough. Officers: their dashboard ({% borough_dashboard %}, supplied by returns)."""
    require_perm(request.user, "boroughs.view_borough")
    boroughs = Borough.objects.for_user(request.user)
    return render(request, "boroughs/borough_list.html", {"boroughs": boroughs})


def borough_detail(request, slug):
    borough = get_borough_for_user(request.user, slug)
    contacts = Membership.objects.filter(borough=borough).select_related("user").order_by("user__first_name")
    return render(request, "boroughs/borough_detail.html", {"borough": borough, "contacts": contacts})
