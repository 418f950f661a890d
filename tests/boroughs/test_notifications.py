import smtplib

import pytest
from django.core import mail
from django.db import transaction

from boroughs.models import NotificationKind, NotificationOptOut
from boroughs.notifications import notify


@pytest.fixture
def email_templates(settings, tmp_path):
    (tmp_path / "t_subject.txt").write_text("Hello {{ user.first_name }}")
    (tmp_path / "t.txt").write_text("Body: {{ text }}")
    (tmp_path / "t.html").write_text("<p>Body: {{ text }}</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    return "t"


def send(template, users, kind=NotificationKind.RETURN_ACCEPTED, text="<b>hi</b>"):
    return notify(kind=kind, users=users, template=template, context={"text": text})


def test_sends_after_commit_to_those_who_want_it(alice, bob, email_templates, django_capture_on_commit_callbacks):
    NotificationOptOut.objects.create(user=bob, kind=NotificationKind.RETURN_ACCEPTED)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        recipients = send(email_templates, [alice, bob, alice])
        assert mail.outbox == []  # nothing leaves before the commit
    assert recipients == [alice]
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.org"]
    assert message.subject == "Hello Alice"
    # Escaped in both parts: user text never becomes markup.
    assert message.body == "Body: &lt;b&gt;hi&lt;/b&gt;"
    assert message.alternatives[0].content == "<p>Body: &lt;b&gt;hi&lt;/b&gt;</p>"


def test_mandatory_kinds_ignore_opt_outs(alice, email_templates, django_capture_on_commit_callbacks):
    NotificationOptOut.objects.create(user=alice, kind=NotificationKind.CHANGES_REQUESTED)
    with django_capture_on_commit_callbacks(execute=True):
        send(email_templates, [alice], kind=NotificationKind.CHANGES_REQUESTED)
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]


def test_nothing_is_sent_for_a_change_that_rolled_back(alice, email_templates, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                send(email_templates, [alice])
                raise RuntimeError("the change failed")
        except RuntimeError:
            pass
    assert callbacks == []
    assert mail.outbox == []


def test_failing_smtp_is_retried_and_the_email_arrives(
    alice, email_templates, monkeypatch, django_capture_on_commit_callbacks
):
    from django.core.mail.backends.locmem import EmailBackend

    real_send = EmailBackend.send_messages
    calls = {"n": 0}

    def flaky(self, messages):
        calls["n"] += 1
        if calls["n"] < 3:
            raise smtplib.SMTPServerDisconnected("mail server is down")
        return real_send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", flaky)
    with django_capture_on_commit_callbacks(execute=True):
        send(email_templates, [alice])
    assert calls["n"] == 3
    assert len(mail.outbox) == 1


def test_inactive_users_and_users_without_email_get_nothing(alice, bob, email_templates):
    alice.is_active = False
    bob.email = ""
    assert send(email_templates, [alice, bob]) == []


def test_officers_are_members_who_hold_the_role(alice, charlie, birmingham, rita):
    # charlie is linked to Birmingham but holds no role: he files nothing, so he is told nothing.
    assert list(birmingham.officers()) == [alice]
