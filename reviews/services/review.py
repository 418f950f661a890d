"""Writes of the quarterly review. Keyword-only and atomic, as the house style asks."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from returns.models import Return
from returns.overview import submitted_snapshot

from .. import emails
from ..models import ColumnCommentary, Decision, Flag, ProjectCommentary, ReviewEditConflict, ReviewNotAllowed
from ..permissions import is_officer_of


def ensure_may_review(user, return_):
    """The rules that hold whatever the action: a reviewer, not of this borough, on a submitted return."""
    if not user.has_perm("reviews.review_return"):
        raise ReviewNotAllowed("You cannot review returns.")
    if is_officer_of(user, return_.borough_id):
        raise ReviewNotAllowed("You are an officer of this partnership, so you cannot review its returns.")
    if return_.status == Return.Status.DRAFT:
        raise ReviewNotAllowed("This return has not been submitted yet.")


def _decide(*, return_, kind, by, reason="", sections=(), snapshot=None, change_reason=None):
    locked = (
        Return.objects.select_for_update(of=("self",))
        .with_snapshot()
        .select_related("borough", "period", "submitted_by")
        .get(pk=return_.pk)
    )
    before = locked.status
    getattr(locked, kind)()  # the model refuses an illegal move with IllegalTransition
    if change_reason:
        locked._change_reason = change_reason  # django-simple-history writes it on the History tab's entry
    locked.save(update_fields=["status"])
    decision = Decision.objects.create(
        return_of=locked,
        kind=kind,
        reason=reason.strip(),
        sections=list(sections),
        by=by,
        from_status=before,
        to_status=locked.status,
        # The version it sends back stays readable (reviews:submitted_version) once the officer changes it.
        snapshot=submitted_snapshot(locked) if snapshot else None,
    )
    return_.status = locked.status
    return decision


def _require_reason(reason):
    if not reason or not reason.strip():
        raise ValidationError("Give a reason.")


@transaction.atomic
def return_request_changes(*, return_, by, reason, sections=()):
    """Send a submitted return back to its officer, keeping what they had submitted on the decision."""
    ensure_may_review(by, return_)
    _require_reason(reason)
    decision = _decide(return_=return_, kind="request_changes", by=by, reason=reason, sections=sections, snapshot=True)
    emails.decision_made(decision)
    return decision


class UnconfirmedOpenFlags(Exception):
    """Accepting would leave open a flag the reviewer has not confirmed; `flags` is the list as it is now."""

    def __init__(self, flags):
        super().__init__("Confirm that the return is accepted with these flags open.")
        self.flags = flags


def open_flags(return_):
    """The flags accepting leaves open: this quarter's and earlier quarters' (they carry forward), oldest first."""
    return list(
        Flag.objects.open()
        .filter(borough_id=return_.borough_id, period__start_date__lte=return_.period.start_date)
        .select_related("flag_type", "column", "project", "period")
        .order_by("period__start_date", "raised_at", "pk")
    )


@transaction.atomic
def return_accept(*, return_, by, reason="", open_flags_seen=None):
    """Accept; with open flags, only if every one is among the ids the reviewer confirmed (`open_flags_seen`).

    A flag raised after the reviewer's confirmation page was drawn is not among them, so the acceptance is
    refused (UnconfirmedOpenFlags, with the list as it is now); one resolved since does not matter. The view
    passes the ids from its confirmation page, or () when none was shown. None skips the check: scripts and
    the demo accept on purpose.
    """
    ensure_may_review(by, return_)
    if open_flags_seen is not None:
        # Under the return's row lock, so two confirmations of the same return are judged one after the other.
        locked = Return.objects.select_for_update(of=("self",)).get(pk=return_.pk)
        if locked.status in Return.TRANSITIONS["accept"]:
            flags = open_flags(return_)
            if {f.pk for f in flags} - set(open_flags_seen):
                raise UnconfirmedOpenFlags(flags)
    return accept_checked(return_=return_, by=by, reason=reason)


def accept_checked(*, return_, by, reason="", change_reason=None):
    """Accept and tell the officers, once the caller has checked the rules and the flags (bulk accept too)."""
    decision = _decide(return_=return_, kind="accept", by=by, reason=reason, change_reason=change_reason)
    emails.decision_made(decision)
    return decision


@transaction.atomic
def return_reopen(*, return_, by, reason):
    if not by.has_perm("reviews.reopen_return"):
        raise ReviewNotAllowed("Only an OPCC admin can reopen an accepted return.")
    ensure_may_review(by, return_)
    _require_reason(reason)
    decision = _decide(return_=return_, kind="reopen", by=by, reason=reason, snapshot=True)
    emails.decision_made(decision)
    return decision


def _save_commentary(model, *, lookup, expected_version, by, text, rag, visibility):
    """Create on version 0, otherwise update if unchanged since `expected_version`."""
    changes = {"text": text, "rag": rag, "visibility": visibility}
    existing = model.objects.filter(**lookup).first()
    if existing is None:
        if expected_version:
            raise ValidationError("This commentary no longer exists.")
        try:
            with transaction.atomic():
                return model.objects.create(**lookup, **changes, updated_by=by)
        except IntegrityError:
            # Someone else wrote the first version in the meantime: theirs is the current text.
            raise ReviewEditConflict(model.objects.select_related("updated_by").get(**lookup)) from None
    if expected_version == 0:
        raise ReviewEditConflict(existing)
    return existing.save_changes(expected_version=expected_version, by=by, **changes)


def _commentary_save(model, *, return_, target, expected_version, by, **fields):
    ensure_may_review(by, return_)
    lookup = {"borough_id": return_.borough_id, "period_id": return_.period_id, **target}
    before = emails.commentary_before(model, lookup)
    commentary = _save_commentary(model, lookup=lookup, expected_version=expected_version, by=by, **fields)
    emails.commentary_saved(return_=return_, commentary=commentary, before=before)
    return commentary


@transaction.atomic
def column_commentary_save(*, return_, column, text, rag, visibility, expected_version, by):
    return _commentary_save(
        ColumnCommentary,
        return_=return_,
        target={"column": column},
        expected_version=expected_version,
        by=by,
        text=text,
        rag=rag,
        visibility=visibility,
    )


@transaction.atomic
def project_commentary_save(*, return_, project, text, rag, visibility, expected_version, by):
    return _commentary_save(
        ProjectCommentary,
        return_=return_,
        target={"project": project},
        expected_version=expected_version,
        by=by,
        text=text,
        rag=rag,
        visibility=visibility,
    )


@transaction.atomic
def flag_raise(*, return_, flag_type, column=None, project=None, note="", visibility, by):
    ensure_may_review(by, return_)
    if (column is None) == (project is None):
        raise ValidationError("Flag either an annex column or a project.")
    flag = Flag.objects.create(
        borough_id=return_.borough_id,
        period_id=return_.period_id,
        flag_type=flag_type,
        column=column,
        project=project,
        note=note,
        visibility=visibility,
        raised_by=by,
    )
    emails.flag_raised(return_=return_, flag=flag)
    return flag


@transaction.atomic
def flag_resolve(*, flag, by, resolution=""):
    locked = Flag.objects.select_for_update().get(pk=flag.pk)
    return resolve_locked(locked, by=by, resolution=resolution)


def resolve_locked(locked, *, by, resolution="", change_reason=None):
    """Resolve a flag whose row the caller holds locked (flag_resolve, and bulk resolve for several)."""
    if is_officer_of(by, locked.borough_id):
        raise ReviewNotAllowed("You are an officer of this partnership, so you cannot resolve its flags.")
    locked.resolve(by=by, resolution=resolution)
    if change_reason:
        locked._change_reason = change_reason
    locked.save(update_fields=["status", "resolved_by", "resolved_at", "resolution"])
    return locked
