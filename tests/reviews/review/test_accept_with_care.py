"""Accept with care: accepting a return with open flags asks for confirmation and lists the flags.

reviews/views/review.py::accept, reviews/services/review.py::return_accept (open_flags_seen),
reviews/forms/review.py::AcceptWithFlagsForm, templates/reviews/review/accept_confirm.html.
"""

import re

import pytest

from boroughs.models import Membership
from returns.models import Return
from reviews.forms.review import CONFIRM_OPEN_FLAGS
from reviews.models import Decision, FlagType
from reviews.services import review as services
from tests.conftest import assert_redirects_to_login
from tests.reviews.conftest import make_return

S = Return.Status


def url(return_):
    return f"/review/returns/{return_.pk}/accept/"


def raise_flag(return_, by, *, target, note, visibility="shared", key="outcomes-not-quantified"):
    kind = "column" if hasattr(target, "heading") else "project"
    return services.flag_raise(
        return_=return_,
        flag_type=FlagType.objects.get(key=key),
        note=note,
        visibility=visibility,
        by=by,
        **{kind: target},
    )


def seen_ids(page):
    return re.search(r'name="flags_seen" value="([^"]*)"', page).group(1)


def status_of(return_):
    return Return.objects.get(pk=return_.pk).status


@pytest.fixture
def flags(submitted, rita, columns, project):
    return [
        raise_flag(submitted, rita, target=columns["performance"], note="Quantify the outcomes note-shared-1"),
        raise_flag(submitted, rita, target=project, note="Internal doubt note-opcc-2", visibility="opcc"),
    ]


def test_with_no_open_flags_accepting_works_at_once(client, rita, submitted, columns):
    client.force_login(rita)
    page = client.get(url(submitted))
    assert page.status_code == 200
    assert "Accept this return" in page.text
    assert "flags_seen" not in page.text
    response = client.post(url(submitted), {"reason": "Thorough."})
    assert response.status_code == 302
    assert status_of(submitted) == S.ACCEPTED
    assert Decision.objects.get(return_of=submitted).reason == "Thorough."


def test_open_flags_are_listed_exactly_before_accepting(client, rita, submitted, flags, columns, project):
    resolved = raise_flag(submitted, rita, target=columns["alignment"], note="Fixed already note-resolved-3")
    services.flag_resolve(flag=resolved, by=rita, resolution="Done.")
    client.force_login(rita)
    page = client.get(url(submitted)).text
    assert "Accept with 2 open flags?" in page
    assert "Accept with these flags open" in page
    assert f'href="/review/returns/{submitted.pk}/">Go back</a>' in page
    # Each: its type, what it is on, its note and who can see it; OPCC-only ones too (the page is OPCC-only).
    assert "Column: " + columns["performance"].heading in page
    assert "Project: " + project.name in page
    assert "note-shared-1" in page
    assert "note-opcc-2" in page
    assert "Shared with the partnership" in page
    assert "OPCC only" in page
    assert FlagType.objects.get(key="outcomes-not-quantified").name in page
    assert "note-resolved-3" not in page
    assert sorted(seen_ids(page).split()) == sorted(str(f.pk) for f in flags)


def test_nothing_is_accepted_without_the_explicit_confirmation(client, rita, submitted, flags):
    client.force_login(rita)
    # The plain accept form's POST (a page opened before the flags were raised) asks for confirmation instead.
    response = client.post(url(submitted), {"reason": "Kept note"})
    assert response.status_code == 200
    assert "Accept with 2 open flags?" in response.text
    assert "Kept note" in response.text
    assert status_of(submitted) == S.SUBMITTED
    assert not Decision.objects.exists()
    # The ids alone do not confirm: the confirmation field must be there.
    ids = " ".join(str(f.pk) for f in flags)
    client.post(url(submitted), {"reason": "", "flags_seen": ids})
    assert status_of(submitted) == S.SUBMITTED


def test_confirming_accepts_with_the_flags_left_open(client, rita, submitted, flags):
    client.force_login(rita)
    page = client.get(url(submitted)).text
    data = {"reason": "Accepted; flags stay.", "confirm": CONFIRM_OPEN_FLAGS, "flags_seen": seen_ids(page)}
    response = client.post(url(submitted), data)
    assert response.status_code == 302
    assert response["Location"] == f"/review/returns/{submitted.pk}/#timeline"
    assert status_of(submitted) == S.ACCEPTED
    assert Decision.objects.get(return_of=submitted).reason == "Accepted; flags stay."
    assert all(flag.is_open for flag in services.open_flags(submitted))


def test_a_flag_raised_after_the_page_was_shown_shows_it_again(client, rita, submitted, flags, columns):
    client.force_login(rita)
    page = client.get(url(submitted)).text
    late = raise_flag(submitted, rita, target=columns["community"], note="Raised meanwhile note-late-4")
    data = {"reason": "My typed note", "confirm": CONFIRM_OPEN_FLAGS, "flags_seen": seen_ids(page)}
    response = client.post(url(submitted), data)
    assert response.status_code == 409
    assert "A flag was raised after you opened this page" in response.text
    assert "Accept with 3 open flags?" in response.text
    assert "note-late-4" in response.text
    assert "My typed note" in response.text
    assert status_of(submitted) == S.SUBMITTED
    assert not Decision.objects.exists()
    # The page now carries the new list: confirming it accepts.
    assert str(late.pk) in seen_ids(response.text).split()
    data["flags_seen"] = seen_ids(response.text)
    assert client.post(url(submitted), data).status_code == 302
    assert status_of(submitted) == S.ACCEPTED


def test_a_flag_resolved_meanwhile_does_not_stop_the_confirmation(client, rita, submitted, flags):
    client.force_login(rita)
    page = client.get(url(submitted)).text
    services.flag_resolve(flag=flags[0], by=rita)
    data = {"reason": "", "confirm": CONFIRM_OPEN_FLAGS, "flags_seen": seen_ids(page)}
    assert client.post(url(submitted), data).status_code == 302
    assert status_of(submitted) == S.ACCEPTED


@pytest.mark.parametrize("junk", ["abc", "1,2", "-1", "9" * 40, "١٢", "\x00"])
def test_a_tampered_list_confirms_nothing_and_never_errors(client, rita, submitted, flags, junk):
    client.force_login(rita)
    response = client.post(url(submitted), {"reason": "", "confirm": CONFIRM_OPEN_FLAGS, "flags_seen": junk})
    assert response.status_code in (200, 409)
    assert "Accept with 2 open flags?" in response.text
    assert status_of(submitted) == S.SUBMITTED


def test_flags_carried_from_an_earlier_quarter_are_listed(client, rita, alice, birmingham, periods, columns):
    q1 = make_return(birmingham, periods[0], by=alice)
    raise_flag(q1, rita, target=columns["marketing"], note="From Q1 note-carried-5")
    q2 = make_return(birmingham, periods[1], by=alice)
    client.force_login(rita)
    page = client.get(url(q2)).text
    assert "note-carried-5" in page
    assert f"Raised in {periods[0].short_label}" in page


def test_the_service_refuses_unconfirmed_flags_and_scripts_may_skip_the_check(submitted, rita, adam, flags):
    with pytest.raises(services.UnconfirmedOpenFlags) as refused:
        services.return_accept(return_=submitted, by=rita, open_flags_seen=())
    assert {f.pk for f in refused.value.flags} == {f.pk for f in flags}
    assert status_of(submitted) == S.SUBMITTED
    services.return_accept(return_=submitted, by=rita)  # None: the demo and scripts accept on purpose
    assert status_of(submitted) == S.ACCEPTED


def test_accepting_an_accepted_return_is_an_error_on_the_page(client, rita, submitted, flags):
    client.force_login(rita)
    page = client.get(url(submitted)).text
    services.return_accept(return_=submitted, by=rita)
    data = {"reason": "", "confirm": CONFIRM_OPEN_FLAGS, "flags_seen": seen_ids(page)}
    response = client.post(url(submitted), data)
    assert response.status_code == 200
    assert "Cannot accept a return that is accepted." in response.text
    assert Decision.objects.count() == 1


# Personas.


@pytest.mark.parametrize("officer", ["alice", "bob"])
def test_officers_get_404(client, request, officer, submitted, flags):
    client.force_login(request.getfixturevalue(officer))
    assert client.get(url(submitted)).status_code == 404
    assert client.post(url(submitted), {"confirm": CONFIRM_OPEN_FLAGS}).status_code == 404
    assert status_of(submitted) == S.SUBMITTED


def test_charlie_without_a_role_gets_403(client, charlie, submitted, flags):
    client.force_login(charlie)
    assert client.get(url(submitted)).status_code == 403
    assert client.post(url(submitted), {"confirm": CONFIRM_OPEN_FLAGS}).status_code == 403


def test_anonymous_is_sent_to_sign_in(client, submitted, flags):
    assert_redirects_to_login(client.get(url(submitted)), url(submitted))
    assert_redirects_to_login(client.post(url(submitted)), url(submitted))


def test_adam_may_accept_with_care_too(client, adam, submitted, flags):
    client.force_login(adam)
    page = client.get(url(submitted)).text
    data = {"reason": "", "confirm": CONFIRM_OPEN_FLAGS, "flags_seen": seen_ids(page)}
    assert client.post(url(submitted), data).status_code == 302


def test_the_self_review_rule_still_refuses(client, rita, submitted, flags, birmingham):
    Membership.objects.create(user=rita, borough=birmingham)
    client.force_login(rita)
    assert client.get(url(submitted)).status_code == 403
    page_ids = " ".join(str(f.pk) for f in flags)
    response = client.post(url(submitted), {"reason": "", "confirm": CONFIRM_OPEN_FLAGS, "flags_seen": page_ids})
    assert response.status_code == 403
    assert status_of(submitted) == S.SUBMITTED


def test_a_control_character_in_the_hidden_list_shows_the_page_again_without_an_error(client, rita, submitted, flags):
    client.force_login(rita)
    data = {"reason": "", "confirm": CONFIRM_OPEN_FLAGS, "flags_seen": "1\x002"}
    response = client.post(url(submitted), data)
    assert response.status_code == 409
    assert "govuk-error-summary" not in response.text
    assert status_of(submitted) == S.SUBMITTED
