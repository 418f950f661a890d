"""Every change the People pages make to an account. Each is atomic, refuses what `permissions.refusal` forbids,
and records a PersonEvent (who, whom, what, why, when) for the person's history.

Roles change only by moving a person between the three role groups of `boroughs.roles`: other groups, raw
permissions and the superuser and staff flags are never read from input and never written.
"""

from allauth.account.adapter import get_adapter
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction

from boroughs.models import Membership, PersonEvent
from boroughs.notifications import render_message, send_email

from .permissions import OFFICER, ROLES, refusal, role_of
from .tokens import INVITATION_DAYS, invitation_expires_at, invitation_url


class PeopleError(Exception):
    """A change that cannot be made, with a message for the admin."""


def _refuse_unless_changeable(*, by, person):
    if not by.has_perm("boroughs.manage_people"):
        raise PermissionDenied
    reason = refusal(by=by, person=person)
    if reason:
        raise PermissionDenied(reason)


def _locked(person):
    return get_user_model().objects.select_for_update().get(pk=person.pk)


def _record(*, person, by, action, details="", reason=""):
    return PersonEvent.objects.create(person=person, by=by, action=action, details=details, reason=reason)


def _role_and_boroughs(person):
    groups = person.groups.filter(name__in=ROLES.values()).values_list("name", flat=True)
    boroughs = [m.borough for m in Membership.objects.filter(user=person).select_related("borough")]
    return role_of(groups), sorted(boroughs, key=lambda borough: borough.name)


def describe_role(role, boroughs):
    """ "CSP officer of Birmingham and Coventry", "OPCC reviewer", "no role"."""
    if role is None:
        return "no role"
    if role == OFFICER:
        names = [borough.name for borough in boroughs]
        places = ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else "".join(names)
        return f"{ROLES[role]} of {places}" if places else ROLES[role]
    return ROLES[role]


def _give_role(person, *, role, boroughs):
    """Puts the person in exactly one of the three role groups, and makes them an officer of exactly `boroughs`
    (OPCC roles have none). Memberships kept keep their job title and phone."""
    if role not in ROLES:
        raise PeopleError("Choose one of the three roles")
    boroughs = list(boroughs) if role == OFFICER else []
    if role == OFFICER and not boroughs:
        raise PeopleError("Select the boroughs this officer reports for")
    person.groups.remove(*Group.objects.filter(name__in=ROLES.values()).exclude(name=ROLES[role]))
    person.groups.add(Group.objects.get(name=ROLES[role]))
    Membership.objects.filter(user=person).exclude(borough__in=boroughs).delete()
    for borough in boroughs:
        Membership.objects.get_or_create(user=person, borough=borough)


def _send_invitation(*, person, by):
    # Rendered now, sent by the worker once the account is committed (boroughs/notifications.py). An invitation
    # is not a kind anyone can opt out of, so it does not go through notify().
    role, boroughs = _role_and_boroughs(person)
    message = render_message(
        template="boroughs/email/invitation",
        context={
            "url": invitation_url(person),
            "by": by,
            "role": describe_role(role, boroughs),
            "expires_at": invitation_expires_at(),
            "days": INVITATION_DAYS,
        },
        user=person,
    )
    transaction.on_commit(lambda: send_email.enqueue(message=message, attempt=1))


@transaction.atomic
def invite_person(*, by, first_name, last_name, email, username, role, boroughs):
    """Make an account with no usable password, give it its role, and email a set-password link."""
    if not by.has_perm("boroughs.manage_people"):
        raise PermissionDenied
    person = get_user_model()(username=username, email=email, first_name=first_name, last_name=last_name)
    person.set_unusable_password()
    person.save()
    _give_role(person, role=role, boroughs=boroughs)
    _record(
        person=person, by=by, action=PersonEvent.Action.INVITED, details=describe_role(*_role_and_boroughs(person))
    )
    _send_invitation(person=person, by=by)
    return person


@transaction.atomic
def resend_invitation(*, by, person):
    """A new link for someone who has not set a password yet. The old link stops working: the new unusable
    password changes what the token signs."""
    _refuse_unless_changeable(by=by, person=person)
    person = _locked(person)
    if person.has_usable_password():
        raise PeopleError(f"{person.get_full_name() or person.username} has set a password already")
    if not person.is_active:
        raise PeopleError("Reactivate the account before sending a new invitation")
    person.set_unusable_password()
    person.save(update_fields=["password"])
    _record(person=person, by=by, action=PersonEvent.Action.INVITATION_RESENT, details=f"Sent to {person.email}")
    _send_invitation(person=person, by=by)
    return person


@transaction.atomic
def change_role(*, by, person, role, boroughs, reason=""):
    """Give one of the three roles (and boroughs, for an officer). Returns False if nothing changed."""
    _refuse_unless_changeable(by=by, person=person)
    person = _locked(person)
    before = describe_role(*_role_and_boroughs(person))
    _give_role(person, role=role, boroughs=boroughs)
    after = describe_role(*_role_and_boroughs(person))
    if before == after:
        return False
    _record(
        person=person,
        by=by,
        action=PersonEvent.Action.ROLE_CHANGED,
        details=f"From {before} to {after}",
        reason=reason,
    )
    return True


@transaction.atomic
def deactivate_person(*, by, person, reason):
    """They can no longer sign in, and any session they have ends at its next request (Django's backend refuses
    inactive users). Role, boroughs and history stay, for reactivation."""
    _refuse_unless_changeable(by=by, person=person)
    person = _locked(person)
    if not person.is_active:
        raise PeopleError("This account is deactivated already")
    person.is_active = False
    person.save(update_fields=["is_active"])
    _record(person=person, by=by, action=PersonEvent.Action.DEACTIVATED, reason=reason)
    return person


@transaction.atomic
def reactivate_person(*, by, person, reason):
    _refuse_unless_changeable(by=by, person=person)
    person = _locked(person)
    if person.is_active:
        raise PeopleError("This account is active already")
    person.is_active = True
    person.save(update_fields=["is_active"])
    _record(person=person, by=by, action=PersonEvent.Action.REACTIVATED, reason=reason)
    return person


@transaction.atomic
def reset_mfa(*, by, person, reason):
    """Remove the person's authenticator app and recovery codes (allauth's Authenticators), for someone who has
    lost both. They sign in with their password next time and, if OPCC staff must use it, set it up again."""
    _refuse_unless_changeable(by=by, person=person)
    person = _locked(person)
    removed, _ = Authenticator.objects.filter(user=person).delete()
    if not removed:
        raise PeopleError("Two-step verification is not on for this account: there is nothing to reset")
    _record(
        person=person,
        by=by,
        action=PersonEvent.Action.MFA_RESET,
        details="Removed their authenticator app and recovery codes",
        reason=reason,
    )
    return person


@transaction.atomic
def accept_invitation(*, person, password):
    """The invited person chooses their password (already checked against the password rules by the form)."""
    person = _locked(person)
    get_adapter().set_password(person, password)
    _record(person=person, by=person, action=PersonEvent.Action.PASSWORD_SET)
    return person
