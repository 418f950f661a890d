"""The service's roles, as Django groups holding permissions.

Code never compares role names: it asks `user.has_perm(...)`. This module is the one place
that says which permissions each role carries.
"""

import logging

from django.contrib.auth.models import Group, Permission

log = logging.getLogger(__name__)

CSP_OFFICER = "CSP officer"
OPCC_REVIEWER = "OPCC reviewer"
OPCC_ADMIN = "OPCC admin"

_OFFICER = [
    "boroughs.view_borough",
    "returns.view_return",
    "returns.file_return",
    "returns.view_project",
    "returns.add_project",
    "returns.change_project",
]
_REVIEWER = ["boroughs.view_borough", "boroughs.view_all_boroughs", "returns.view_return", "returns.view_project"]
_ADMIN = [
    *_REVIEWER,
    "returns.add_project",
    "returns.change_project",
    "returns.manage_periods",
    "returns.manage_years",
    "returns.view_plan",
    "returns.add_plan",
    "returns.change_plan",
    "returns.view_planpriority",
    "returns.add_planpriority",
    "returns.change_planpriority",
    "returns.delete_planpriority",
    "boroughs.add_borough",
    "boroughs.change_borough",
    "boroughs.add_membership",
    "boroughs.change_membership",
    "boroughs.delete_membership",
    "boroughs.view_membership",
    # No auth.add_user or auth.change_user: whoever may change users may make anyone a superuser.
    "auth.view_user",
    "auth.view_group",
    # The People pages (boroughs/people/): invite, give one of the three roles, deactivate, reset two-step
    # verification. They never grant superuser, staff or raw permissions.
    "boroughs.manage_people",
]

# The annual annex (reviews): OPCC staff preview, edit, publish and export it; admins also keep
# its columns, which are reference data.
_ANNEX = ["reviews.view_annex", "reviews.change_annex", "reviews.publish_annex"]
_ANNEX_ADMIN = ["reviews.view_annexcolumn", "reviews.add_annexcolumn", "reviews.change_annexcolumn"]

# The quarterly review (reviews): OPCC staff comment, flag, request changes and accept; only admins reopen.
_REVIEW = ["reviews.review_return", "reviews.view_opcc_only", "reviews.view_flagtype"]
_REVIEW_ADMIN = ["reviews.reopen_return", "reviews.add_flagtype", "reviews.change_flagtype"]

ROLE_PERMISSIONS = {
    CSP_OFFICER: _OFFICER,
    OPCC_REVIEWER: [*_REVIEWER, *_ANNEX, *_REVIEW],
    OPCC_ADMIN: [*_ADMIN, *_ANNEX, *_ANNEX_ADMIN, *_REVIEW, *_REVIEW_ADMIN],
}


def _permissions(labels):
    found = {}
    for perm in Permission.objects.select_related("content_type"):
        found[f"{perm.content_type.app_label}.{perm.codename}"] = perm
    missing = [label for label in labels if label not in found]
    return [found[label] for label in labels if label in found], missing


def sync_roles(*, strict=True):
    """Create the role groups and give each exactly its permissions."""
    for name, labels in ROLE_PERMISSIONS.items():
        permissions, missing = _permissions(labels)
        if missing and strict:
            raise LookupError(f"Role {name!r} names unknown permissions: {', '.join(missing)}")
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions)


def sync_roles_after_migrate(sender, **kwargs):
    # post_migrate fires once per app; permissions of apps not yet migrated are simply absent
    # until their own signal, and the last call sees them all.
    sync_roles(strict=False)


def give_role(user, role):
    user.groups.add(Group.objects.get(name=role))


def users_with_perm(label):
    """Active users holding a permission through a group, directly, or as superusers."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    app_label, codename = label.split(".")
    perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__permissions__in=perm) | Q(user_permissions__in=perm) | Q(is_superuser=True))
        .distinct()
        .order_by("pk")
    )


def opcc_staff():
    return users_with_perm("boroughs.view_all_boroughs")
