"""What the People pages read. Every read starts from `people_for_user`."""

from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef, Prefetch

from boroughs.models import Membership, PersonEvent

from .permissions import NO_ROLE, ROLES, role_of

PAGE_SIZE = 25


def people_for_user(user):
    """Every account for those who manage people; nobody for anyone else."""
    User = get_user_model()
    if not user.is_active or not user.has_perm("boroughs.manage_people"):
        return User.objects.none()
    return User.objects.all()


def with_roles_and_boroughs(queryset):
    """Each person's role groups and memberships in one query each, and whether two-step verification is on."""
    return queryset.annotate(
        mfa_on=Exists(Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP))
    ).prefetch_related(
        Prefetch("groups", queryset=Group.objects.filter(name__in=ROLES.values()), to_attr="role_groups"),
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("borough").order_by("borough__name"),
            to_attr="borough_memberships",
        ),
    )


def people_list(user, *, role=None, borough=None):
    """The people an admin may see, by role (a key of ROLES, or NO_ROLE) and borough, ordered by name.

    A person is filtered by the role they are shown with: someone in the admin and reviewer groups is an admin.
    """
    people = people_for_user(user)
    keys = list(ROLES)
    if role == NO_ROLE:
        people = people.exclude(groups__name__in=ROLES.values())
    elif role:
        higher = [ROLES[key] for key in keys[keys.index(role) + 1 :]]
        people = people.filter(groups__name=ROLES[role]).exclude(groups__name__in=higher)
    if borough is not None:
        people = people.filter(memberships__borough=borough)
    return with_roles_and_boroughs(people).order_by("last_name", "first_name", "username")


def describe(people):
    """Sets `role` (a key of ROLES or None) and `boroughs` on people read through with_roles_and_boroughs."""
    for person in people:
        person.role = role_of(group.name for group in person.role_groups)
        person.boroughs = [membership.borough for membership in person.borough_memberships]
    return people


def person_detail(user, pk):
    """One person, described, or None outside what this user may see."""
    person = with_roles_and_boroughs(people_for_user(user).filter(pk=pk)).first()
    return describe([person])[0] if person else None


def person_history(person):
    return PersonEvent.objects.filter(person=person).select_related("by")
