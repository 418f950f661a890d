"""The review's emails to a borough's officers: decisions, shared comments and flags, and reopening."""

import pytest
from django.core import mail
from django.db import transaction

from boroughs.models import NotificationKind, NotificationOptOut
from returns.models import IllegalTransition, Return
from reviews.models import Decision, FlagType, ReviewEditConflict, ReviewNotAllowed
from reviews.services import review as services
from tests.reviews.conftest import make_return

SECRET = "Internal doubt opcc-only-9924"
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run an action as a request would: its emails go out when its transaction commits."""

    def run(action):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            result = action()
        return result

    return run


@pytest.fixture
def everyone(alice, bob, rita, adam):
    return [alice, bob, rita, adam]


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def html(message):
    (content, mimetype), *_ = message.alternatives
    assert mimetype == "text/html"
    return content


def all_text(message):
    return message.subject + message.body + html(message)


def comment(return_, by, *, column, text, visibility, version=0, rag="amber"):
    return services.column_commentary_save(
        return_=return_, column=column, text=text, rag=rag, visibility=visibility, expected_version=version, by=by
    )


# Changes requested


def test_changes_requested_tells_the_boroughs_officers_the_reasons_in_full(submitted, rita, everyone, on_commit):
    reason = "Give outcome figures for every project.\n\n" + "The referral numbers do not add up. " * 100 + "END-4412"
    on_commit(
        lambda: services.return_request_changes(
            return_=submitted, by=rita, reason=reason, sections=["alignment", "projects", "risks"]
        )
    )
    assert recipients() == ["alice@example.org"]
    message = mail.outbox[0]
    assert message.subject == "Changes requested: Birmingham Q1 2026-27 return"
    assert reason in message.body  # in full, never cut short
    assert "END-4412" in html(message)
    url = f"http://testserver/returns/{submitted.pk}/"
    assert f"Make the changes and submit the return again: {url}" in message.body
    assert f"- Alignment to the Police and Crime Plan: {url}alignment/" in message.body
    assert f"- Projects: {url}\n" in message.body
    assert f"- Risks: {url}risks/" in message.body
    assert f'<a href="{url}risks/">Risks</a>' in html(message)


def test_changes_requested_cannot_be_turned_off(submitted, alice, rita, on_commit):
    NotificationOptOut.objects.create(user=alice, kind=NotificationKind.CHANGES_REQUESTED)
    on_commit(lambda: services.return_request_changes(return_=submitted, by=rita, reason="Add figures.", sections=[]))
    assert recipients() == ["alice@example.org"]
    assert "Sections to change" not in mail.outbox[0].body


def test_reasons_are_escaped_in_the_html_part(submitted, alice, rita, on_commit):
    on_commit(
        lambda: services.return_request_changes(
            return_=submitted, by=rita, reason=f"Fix this {SCRIPT} & that", sections=["alignment"]
        )
    )
    message = mail.outbox[0]
    assert f"Fix this {SCRIPT} & that" in message.body  # plain text is plain
    assert SCRIPT not in html(message)
    assert "Fix this &lt;script&gt;alert(1)&lt;/script&gt; &amp; that" in html(message)


def test_borough_name_is_not_html_escaped_in_the_subject_or_text(submitted, birmingham, alice, rita, on_commit):
    birmingham.name = "Birmingham & Solihull"
    birmingham.save()
    submitted.refresh_from_db()
    on_commit(lambda: services.return_accept(return_=submitted, by=rita))
    message = mail.outbox[0]
    assert message.subject == "Accepted: Birmingham & Solihull Q1 2026-27 return"
    assert "for Birmingham & Solihull." in message.body
    assert "for Birmingham &amp; Solihull." in html(message)


def test_only_this_boroughs_officers_hear(coventry, periods, submitted, everyone, rita, adam, on_commit):
    coventry_return = make_return(coventry, periods[0])
    on_commit(lambda: services.return_request_changes(return_=coventry_return, by=rita, reason="Add.", sections=[]))
    assert recipients() == ["bob@example.org"]
    on_commit(lambda: services.return_accept(return_=submitted, by=adam))
    assert recipients() == ["alice@example.org"]


# Accepted


def test_accepted_tells_the_officers_borough_quarter_and_link(submitted, everyone, rita, on_commit):
    on_commit(lambda: services.return_accept(return_=submitted, by=rita))
    assert recipients() == ["alice@example.org"]
    message = mail.outbox[0]
    assert message.subject == "Accepted: Birmingham Q1 2026-27 return"
    assert "The OPCC has accepted the Q1 2026-27 return for Birmingham." in message.body
    assert f"http://testserver/returns/{submitted.pk}/" in message.body
    assert f'href="http://testserver/returns/{submitted.pk}/"' in html(message)


def test_accepted_respects_the_opt_out(submitted, alice, rita, on_commit):
    NotificationOptOut.objects.create(user=alice, kind=NotificationKind.RETURN_ACCEPTED)
    on_commit(lambda: services.return_accept(return_=submitted, by=rita))
    assert mail.outbox == []


# Reopened


def test_reopening_tells_the_officers_the_admins_reason(birmingham, periods, project, everyone, adam, on_commit):
    accepted = make_return(birmingham, periods[0], status=Return.Status.ACCEPTED)
    on_commit(lambda: services.return_reopen(return_=accepted, by=adam, reason=f"Wrong figures {SCRIPT} in Q1."))
    assert recipients() == ["alice@example.org"]
    message = mail.outbox[0]
    assert message.subject == "Reopened: Birmingham Q1 2026-27 return"
    assert f"Wrong figures {SCRIPT} in Q1." in message.body
    assert "Wrong figures &lt;script&gt;alert(1)&lt;/script&gt; in Q1." in html(message)
    assert f"http://testserver/returns/{accepted.pk}/" in message.body


def test_reopening_is_a_deadline_change_people_can_turn_off(birmingham, periods, project, alice, adam, on_commit):
    NotificationOptOut.objects.create(user=alice, kind=NotificationKind.DEADLINE_CHANGED)
    accepted = make_return(birmingham, periods[0], status=Return.Status.ACCEPTED)
    on_commit(lambda: services.return_reopen(return_=accepted, by=adam, reason="Wrong figures."))
    assert mail.outbox == []


# Nothing is sent for a decision that did not happen


def test_a_refused_decision_sends_nothing(birmingham, periods, project, alice, rita, on_commit):
    draft = make_return(birmingham, periods[0], status=Return.Status.DRAFT)
    with pytest.raises(ReviewNotAllowed):
        on_commit(lambda: services.return_accept(return_=draft, by=rita))
    accepted = make_return(birmingham, periods[1], status=Return.Status.ACCEPTED)
    with pytest.raises(ReviewNotAllowed):  # only admins reopen
        on_commit(lambda: services.return_reopen(return_=accepted, by=rita, reason="Please."))
    assert mail.outbox == []


def test_a_rolled_back_decision_sends_nothing(submitted, alice, rita, on_commit):
    def send_back_then_fail():
        with transaction.atomic():
            services.return_request_changes(return_=submitted, by=rita, reason="Add figures.", sections=[])
            services.return_accept(return_=submitted, by=rita)  # illegal now: rolls both back

    with pytest.raises(IllegalTransition):
        on_commit(send_back_then_fail)
    submitted.refresh_from_db()
    assert submitted.status == Return.Status.SUBMITTED
    assert not Decision.objects.exists()
    assert mail.outbox == []


def test_an_outer_rollback_sends_nothing(submitted, alice, rita, on_commit):
    class Boom(Exception):
        pass

    def accept_then_fail():
        with transaction.atomic():
            services.return_accept(return_=submitted, by=rita)
            raise Boom

    with pytest.raises(Boom):
        on_commit(accept_then_fail)
    assert mail.outbox == []


# Shared comments and flags


def test_a_shared_column_comment_tells_the_officers_its_text(submitted, columns, everyone, rita, on_commit):
    text = f"Outcomes need numbers.\n\nSee {SCRIPT} shared-7731"
    on_commit(lambda: comment(submitted, rita, column=columns["alignment"], text=text, visibility="shared"))
    assert recipients() == ["alice@example.org"]
    message = mail.outbox[0]
    assert message.subject == "New comment: Birmingham Q1 2026-27 return"
    assert text in message.body
    assert columns["alignment"].heading in message.body
    assert SCRIPT not in html(message)
    assert "See &lt;script&gt;alert(1)&lt;/script&gt; shared-7731" in html(message)
    assert f"http://testserver/returns/{submitted.pk}/" in message.body


def test_an_opcc_only_comment_or_flag_sends_nothing(submitted, columns, project, alice, rita, on_commit):
    on_commit(lambda: comment(submitted, rita, column=columns["alignment"], text=SECRET, visibility="opcc"))
    on_commit(
        lambda: services.project_commentary_save(
            return_=submitted, project=project, text=SECRET, rag="", visibility="opcc", expected_version=0, by=rita
        )
    )
    on_commit(
        lambda: services.flag_raise(
            return_=submitted,
            flag_type=FlagType.objects.get(key="no-impact-assessment"),
            project=project,
            note=SECRET,
            visibility="opcc",
            by=rita,
        )
    )
    assert mail.outbox == []


def test_editing_a_comment_emails_only_when_shared_text_is_new(submitted, columns, alice, rita, on_commit):
    column = columns["alignment"]
    on_commit(lambda: comment(submitted, rita, column=column, text=SECRET, visibility="opcc"))
    assert mail.outbox == []
    # Made shared: the officers now see it for the first time.
    on_commit(lambda: comment(submitted, rita, column=column, text="Now shared-1", visibility="shared", version=1))
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]
    assert "Now shared-1" in mail.outbox[0].body
    # Only the rating changes: nothing new to read.
    on_commit(
        lambda: comment(submitted, rita, column=column, text="Now shared-1", visibility="shared", version=2, rag="red")
    )
    assert mail.outbox == []
    # The shared text changes.
    on_commit(lambda: comment(submitted, rita, column=column, text="Changed shared-2", visibility="shared", version=3))
    assert "Changed shared-2" in mail.outbox[0].body
    assert "Now shared-1" not in all_text(mail.outbox[0])
    # Made OPCC-only: nothing.
    on_commit(lambda: comment(submitted, rita, column=column, text=SECRET, visibility="opcc", version=4))
    assert mail.outbox == []


def test_a_conflicting_edit_sends_nothing(submitted, columns, alice, rita, adam, on_commit):
    column = columns["alignment"]
    comment(submitted, rita, column=column, text="First", visibility="shared")
    with pytest.raises(ReviewEditConflict):
        on_commit(lambda: comment(submitted, adam, column=column, text="Stale shared-3", visibility="shared"))
    assert mail.outbox == []


def test_a_shared_project_comment_names_the_project(submitted, project, everyone, rita, on_commit):
    on_commit(
        lambda: services.project_commentary_save(
            return_=submitted,
            project=project,
            text="Strong delivery shared-8812",
            rag="green",
            visibility="shared",
            expected_version=0,
            by=rita,
        )
    )
    assert recipients() == ["alice@example.org"]
    assert "Domestic abuse advocacy" in mail.outbox[0].body
    assert "Strong delivery shared-8812" in mail.outbox[0].body


def test_a_shared_flag_tells_the_officers_its_note(submitted, columns, everyone, rita, on_commit):
    flag_type = FlagType.objects.get(key="outcomes-not-quantified")
    on_commit(
        lambda: services.flag_raise(
            return_=submitted,
            flag_type=flag_type,
            column=columns["alignment"],
            note=f"Flag note {SCRIPT} shared-5521",
            visibility="shared",
            by=rita,
        )
    )
    assert recipients() == ["alice@example.org"]
    message = mail.outbox[0]
    assert message.subject == "Flag raised: Birmingham Q1 2026-27 return"
    assert f"{flag_type.name}: {columns['alignment'].heading}" in message.body
    assert f"Flag note {SCRIPT} shared-5521" in message.body
    assert "Flag note &lt;script&gt;alert(1)&lt;/script&gt; shared-5521" in html(message)


def test_shared_comments_respect_the_opt_out(submitted, columns, project, alice, rita, on_commit):
    NotificationOptOut.objects.create(user=alice, kind=NotificationKind.COMMENT_SHARED)
    on_commit(lambda: comment(submitted, rita, column=columns["alignment"], text="Shared", visibility="shared"))
    on_commit(
        lambda: services.flag_raise(
            return_=submitted,
            flag_type=FlagType.objects.get(key="outcomes-not-quantified"),
            project=project,
            visibility="shared",
            by=rita,
        )
    )
    assert mail.outbox == []


def test_no_email_carries_opcc_only_text(submitted, columns, project, alice, rita, adam, on_commit):
    """With OPCC-only comments and flags on the return, every email the officers get leaves them out."""
    comment(submitted, rita, column=columns["performance"], text=SECRET, visibility="opcc")
    services.flag_raise(
        return_=submitted,
        flag_type=FlagType.objects.get(key="no-impact-assessment"),
        project=project,
        note=f"Flag {SECRET}",
        visibility="opcc",
        by=rita,
    )
    sent = []
    for action in [
        lambda: comment(submitted, rita, column=columns["alignment"], text="Shared-1", visibility="shared"),
        lambda: services.return_request_changes(return_=submitted, by=rita, reason="Add.", sections=["projects"]),
    ]:
        on_commit(action)
        sent += mail.outbox
    submitted.refresh_from_db()
    submitted.submit(by=alice)
    submitted.save()
    for action in [
        lambda: services.return_accept(return_=submitted, by=rita),
        lambda: services.return_reopen(return_=submitted, by=adam, reason="Reopened."),
    ]:
        on_commit(action)
        sent += mail.outbox
    assert len(sent) == 4
    assert {m.to[0] for m in sent} == {"alice@example.org"}
    for message in sent:
        assert "opcc-only-9924" not in all_text(message)
        assert "OPCC only" not in all_text(message)
