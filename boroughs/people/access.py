"""Fetching a person for a People view: 403 without `boroughs.manage_people`, 404 for no such account, and 403
for an account this admin may not change (a superuser's, or their own)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from boroughs.access import require_perm

from .permissions import refusal
from .selectors import person_detail


def get_person_for_user(user, pk):
    require_perm(user, "boroughs.manage_people")
    person = person_detail(user, pk)
    if person is None:
        raise Http404
    return person


def get_changeable_person_for_user(user, pk):
    person = get_person_for_user(user, pk)
    if refusal(by=user, person=person):
        raise PermissionDenied
    return person
