"""Emails from the officers' side: submission to the OPCC, extensions and new dates to the officers."""

from datetime import date

import pytest
from django.core import mail

from boroughs.models import NotificationKind, NotificationOptOut
from returns.services import extension_grant, period_dates_save, return_submit

from .conftest import complete_everything


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    def run(action):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            result = action()
        return result

    return run


def test_submission_tells_opcc_staff_not_officers(draft, alice, bob, rita, adam, on_commit):
    complete_everything(draft)
    on_commit(lambda: return_submit(return_=draft, by=alice))
    assert sorted(m.to[0] for m in mail.outbox) == ["adam@example.org", "rita@example.org"]
    message = mail.outbox[0]
    assert message.subject == "Submitted: Birmingham Q2 2026-27 return"
    assert f"http://testserver/returns/{draft.pk}/" in message.body
    assert "Alice has submitted" in message.body


def test_reviewers_can_turn_submission_emails_off(draft, alice, rita, on_commit):
    NotificationOptOut.objects.create(user=rita, kind=NotificationKind.RETURN_SUBMITTED)
    complete_everything(draft)
    on_commit(lambda: return_submit(return_=draft, by=alice))
    assert mail.outbox == []


def test_nothing_is_sent_when_submission_fails(draft, alice, rita, on_commit):
    from returns.services import IncompleteReturn

    with pytest.raises(IncompleteReturn):
        on_commit(lambda: return_submit(return_=draft, by=alice))
    assert mail.outbox == []


def test_extension_tells_the_boroughs_officers(q2, birmingham, alice, bob, adam, on_commit):
    on_commit(
        lambda: extension_grant(
            period=q2, borough=birmingham, due_on=date(2026, 11, 20), reason="System outage <b>", by=adam
        )
    )
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]
    message = mail.outbox[0]
    assert message.subject == "Extension granted: Birmingham Q2 2026-27 return now due 20 November 2026"
    assert "Reason: System outage <b>" in message.body
    assert "System outage &lt;b&gt;" in message.alternatives[0].content


def test_new_period_dates_tell_every_active_boroughs_officers(q2, alice, bob, adam, on_commit):
    q2.due_on = date(2026, 11, 6)
    on_commit(lambda: period_dates_save(period=q2, by=adam))
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.org", "bob@example.org"]
    assert "due by 6 November 2026" in mail.outbox[0].body
