"""The sign-in backend: allauth's, with a person's permissions read in one query rather than two.

Every page checks permissions (roles are groups of permissions), so Django's two queries, one for the person's own
permissions and one for their groups', were paid on every request. One query with both sets as subqueries reads
the same set; it is still read afresh for each request, so a role taken away applies at the next page.
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models import Q


class AuthenticationBackend(AllauthBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = _permission_names(user_obj)
        return user_obj._perm_cache


def _permission_names(user):
    if user.is_superuser:
        perms = Permission.objects.all()
    else:
        own = get_user_model().user_permissions.through.objects.filter(user_id=user.pk).values("permission_id")
        groups = get_user_model().groups.through.objects.filter(user_id=user.pk).values("group_id")
        granted = Group.permissions.through.objects.filter(group_id__in=groups).values("permission_id")
        perms = Permission.objects.filter(Q(pk__in=own) | Q(pk__in=granted))
    return {
        f"{app}.{codename}" for app, codename in perms.values_list("content_type__app_label", "codename").order_by()
    }
