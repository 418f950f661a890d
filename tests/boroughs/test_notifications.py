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


@pytest.mark.django_db(transaction=True)  # the worker commits as it goes, as it does in production
def test_a_failing_mail_server_is_retried_with_growing_waits_then_recorded_as_failed(
    alice, email_templates, settings, monkeypatch, caplog
):
    from django.core.mail.backends.locmem import EmailBackend
    from django.core.management import call_command
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # can wait; the immediate one can't
    settings.EMAIL_SEND_ATTEMPTS = 4
    tried = []

    def down(self, messages):
        tried.append([m.to for m in messages])
        raise smtplib.SMTPServerDisconnected("mail server is down")

    monkeypatch.setattr(EmailBackend, "send_messages", down)
    with transaction.atomic():
        send(email_templates, [alice])

    waits = []
    for _ in range(10):  # bounded: a give-up that never comes fails below, not by hanging
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
        waiting = DBTaskResult.objects.filter(status="READY").first()
        if waiting is None:
            break
        waits.append(round((waiting.run_after - waiting.enqueued_at).total_seconds() / 60))
        # Let the wait pass: the worker only takes a retry once its time has come.
        DBTaskResult.objects.filter(pk=waiting.pk).update(run_after=timezone.now())

    assert waits == [2, 4, 8]  # minutes before attempts 2, 3 and 4: each wait doubles
    assert tried == [[["alice@example.org"]]] * 4
    assert mail.outbox == []
    runs = list(DBTaskResult.objects.order_by("enqueued_at"))
    assert [r.args_kwargs["kwargs"]["attempt"] for r in runs] == [1, 2, 3, 4]
    # Each failed attempt that queued the next one ended normally; the last is recorded as failed.
    assert [r.status for r in runs] == ["SUCCESSFUL", "SUCCESSFUL", "SUCCESSFUL", "FAILED"]
    assert runs[-1].exception_class_path == "smtplib.SMTPServerDisconnected"
    assert "mail server is down" in runs[-1].traceback
    assert "Giving up on email 'Hello Alice' to ['alice@example.org'] after 4 attempts" in caplog.text
