"""One access helper per object: 403 without the permission, 404 outside the user's scope."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import Borough


def require_perm(user, perm):
    if not user.has_perm(perm):
        raise PermissionDenied


def get_borough_for_user(user, slug, *, perm="boroughs.view_borough"):
    require_perm(user, perm)
    return get_object_or_404(Borough.objects.for_user(user), slug=slug)
