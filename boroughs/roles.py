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

_OFFICER = ["boroughs.view_borough"]
_REVIEWER = ["boroughs.view_borough", "boroughs.view_all_boroughs"]
_ADMIN = [
    *_REVIEWER,
    "boroughs.add_borough",
    "boroughs.change_borough",
    "boroughs.add_membership",
    "boroughs.change_membership",
    "boroughs.delete_membership",
    "boroughs.view_membership",
    "auth.add_user",
    "auth.change_user",
    "auth.view_user",
    "auth.view_group",
]

ROLE_PERMISSIONS = {
    CSP_OFFICER: _OFFICER,
    OPCC_REVIEWER: _REVIEWER,
    OPCC_ADMIN: _ADMIN,
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
