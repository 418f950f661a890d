"""Every move of a return's status, allowed and refused, through the model and the services."""

import pytest
from django.core.exceptions import ValidationError

from boroughs.models import Membership
from returns.models import IllegalTransition, Return
from reviews.models import Decision, Flag, ReviewNotAllowed
from reviews.services import review as services
from tests.reviews.conftest import make_return

S = Return.Status
ALLOWED = {
    "submit": {S.DRAFT: S.SUBMITTED, S.CHANGES_REQUESTED: S.RESUBMITTED},
    "request_changes": {S.SUBMITTED: S.CHANGES_REQUESTED, S.RESUBMITTED: S.CHANGES_REQUESTED},
    "accept": {S.SUBMITTED: S.ACCEPTED, S.RESUBMITTED: S.ACCEPTED},
    "reopen": {S.ACCEPTED: S.CHANGES_REQUESTED},
}


@pytest.mark.parametrize("method", ["request_changes", "accept", "reopen"])
@pytest.mark.parametrize("status", list(S))
def test_model_transition_table(method, status):
    return_ = Return(status=status)
    target = ALLOWED[method].get(status)
    if target is None:
        with pytest.raises(IllegalTransition):
            getattr(return_, method)()
        assert return_.status == status
    else:
        getattr(return_, method)()
        assert return_.status == target


def test_request_changes_records_who_when_why_and_snapshot(submitted, rita):
    decision = services.return_request_changes(
        return_=submitted, by=rita, reason="Give outcomes.", sections=["alignment", "projects"]
    )
    submitted.refresh_from_db()
    assert submitted.status == S.CHANGES_REQUESTED
    assert submitted.is_editable
    assert decision.by == rita
    assert decision.at
    assert decision.reason == "Give outcomes."
    assert decision.sections == ["alignment", "projects"]
    assert decision.from_status == S.SUBMITTED
    assert decision.to_status == S.CHANGES_REQUESTED
    assert decision.snapshot["alignment_statement"] == "Supports the Plan's domestic abuse priority."
    assert decision.snapshot["projects"][0]["update"]["activity"] == "Ran 12 sessions."


def test_request_changes_needs_a_reason(submitted, rita):
    with pytest.raises(ValidationError):
        services.return_request_changes(return_=submitted, by=rita, reason="  ", sections=[])
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED
    assert not Decision.objects.exists()


def test_accept_locks_the_return(submitted, rita):
    services.return_accept(return_=submitted, by=rita)
    submitted.refresh_from_db()
    assert submitted.status == S.ACCEPTED
    assert not submitted.is_editable


def test_resubmitted_can_be_accepted_or_sent_back(birmingham, periods, project, alice, rita):
    return_ = make_return(birmingham, periods[0], status=S.RESUBMITTED, by=alice)
    services.return_request_changes(return_=return_, by=rita, reason="Still missing.", sections=[])
    return_.refresh_from_db()
    return_.submit(by=alice)
    return_.save()
    services.return_accept(return_=return_, by=rita)
    return_.refresh_from_db()
    assert return_.status == S.ACCEPTED


@pytest.mark.parametrize(
    ("status", "refusal"),
    [
        # A draft is not the reviewer's yet: refused before any transition is tried.
        (S.DRAFT, ReviewNotAllowed),
        (S.CHANGES_REQUESTED, IllegalTransition),
        (S.ACCEPTED, IllegalTransition),
    ],
)
def test_cannot_accept_or_send_back_unless_submitted(birmingham, periods, project, alice, rita, status, refusal):
    return_ = make_return(birmingham, periods[0], status=status, by=alice)
    with pytest.raises(ValidationError) as accepted:
        services.return_accept(return_=return_, by=rita)
    with pytest.raises(ValidationError) as sent_back:
        services.return_request_changes(return_=return_, by=rita, reason="x", sections=[])
    # The exact type: a bare ValidationError (a missing reason, say) would be another refusal.
    assert accepted.type is refusal
    assert sent_back.type is refusal
    return_.refresh_from_db()
    assert return_.status == status
    assert not Decision.objects.exists()


def test_only_an_admin_reopens_and_with_a_reason(submitted, rita, adam):
    services.return_accept(return_=submitted, by=rita)
    with pytest.raises(ReviewNotAllowed):
        services.return_reopen(return_=submitted, by=rita, reason="Wrong figures.")
    with pytest.raises(ValidationError):
        services.return_reopen(return_=submitted, by=adam, reason="")
    services.return_reopen(return_=submitted, by=adam, reason="Wrong figures.")
    submitted.refresh_from_db()
    assert submitted.status == S.CHANGES_REQUESTED
    assert [d.kind for d in Decision.objects.order_by("at")] == ["accept", "reopen"]


def test_reopen_refused_unless_accepted(submitted, adam):
    with pytest.raises(IllegalTransition):
        services.return_reopen(return_=submitted, by=adam, reason="Because.")


def test_officers_cannot_review(submitted, alice, bob):
    for user in (alice, bob):
        with pytest.raises(ReviewNotAllowed):
            services.return_accept(return_=submitted, by=user)


def test_reviewer_who_is_an_officer_of_the_borough_cannot_review_it(submitted, rita, birmingham):
    Membership.objects.create(user=rita, borough=birmingham)
    with pytest.raises(ReviewNotAllowed):
        services.return_accept(return_=submitted, by=rita)
    with pytest.raises(ReviewNotAllowed):
        services.return_request_changes(return_=submitted, by=rita, reason="x", sections=[])
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED


@pytest.fixture
def open_flag(submitted, rita, columns):
    from reviews.models import FlagType

    return services.flag_raise(
        return_=submitted,
        flag_type=FlagType.objects.first(),
        column=columns["performance"],
        note="No impact assessment is given",
        visibility="shared",
        by=rita,
    )


def test_a_reviewer_who_is_an_officer_of_the_borough_cannot_resolve_its_flags(open_flag, rita, birmingham):
    Membership.objects.create(user=rita, borough=birmingham)
    with pytest.raises(ReviewNotAllowed) as refused:
        services.flag_resolve(flag=open_flag, by=rita, resolution="Figures given.")
    assert refused.value.messages == ["You are an officer of this partnership, so you cannot resolve its flags."]
    open_flag.refresh_from_db()
    assert open_flag.status == Flag.Status.OPEN
    assert (open_flag.resolved_by, open_flag.resolved_at, open_flag.resolution) == (None, None, "")


def test_the_resolve_page_is_403_for_a_reviewer_who_is_an_officer_of_the_borough(
    client, open_flag, rita, adam, submitted, birmingham, coventry
):
    url = f"/review/flags/{open_flag.pk}/resolve/?return={submitted.pk}"
    Membership.objects.create(user=rita, borough=birmingham)
    Membership.objects.create(user=adam, borough=coventry)  # an officer elsewhere may still resolve it
    client.force_login(rita)
    assert client.get(url).status_code == 403
    assert client.post(url, {"resolution": "Figures given."}).status_code == 403
    open_flag.refresh_from_db()
    assert open_flag.status == Flag.Status.OPEN
    assert open_flag.resolved_by is None

    client.force_login(adam)
    assert client.post(url, {"resolution": "Figures given."}).status_code == 302
    open_flag.refresh_from_db()
    assert (open_flag.status, open_flag.resolved_by, open_flag.resolution) == (
        Flag.Status.RESOLVED,
        adam,
        "Figures given.",
    )
