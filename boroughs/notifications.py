"""Sending emails that people act on.

`notify()` is called inside the transaction that changed something. It renders each message
straight away (so it describes the state being committed) and queues the sending for after the
commit: a failing mail server can never undo the change that caused the email, and an email is
never sent for a change that was rolled back. Sending runs on the worker and retries with backoff.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.tasks import task, task_backends
from django.template.loader import render_to_string
from django.utils import timezone

from .models import NotificationKind, NotificationOptOut

log = logging.getLogger(__name__)


def wants(users, kind):
    """The users who have not turned this kind of email off (mandatory kinds reach everyone)."""
    users = [user for user in users if user.is_active and user.email]
    if kind in NotificationKind.mandatory():
        return users
    opted_out = set(
        NotificationOptOut.objects.filter(kind=kind, user__in=[u.pk for u in users]).values_list("user_id", flat=True)
    )
    return [user for user in users if user.pk not in opted_out]


def render_message(*, template, context, user):
    """Render `<template>_subject.txt`, `.txt` and `.html` for one recipient."""
    context = {"user": user, "SITE_URL": settings.SITE_URL, "SERVICE_NAME": settings.SERVICE_NAME, **context}
    return {
        "subject": " ".join(render_to_string(f"{template}_subject.txt", context).split()),
        "body": render_to_string(f"{template}.txt", context),
        "html": render_to_string(f"{template}.html", context),
        "to": [user.email],
    }


def notify(*, kind, users, template, context):
    """Email each user who wants this kind, once the current transaction commits. Returns the recipients."""
    recipients = wants(_unique(users), kind)
    messages = [render_message(template=template, context=context, user=user) for user in recipients]
    for message in messages:
        transaction.on_commit(lambda message=message: send_email.enqueue(message=message, attempt=1))
    return recipients


def _unique(users):
    seen = {}
    for user in users:
        seen.setdefault(user.pk, user)
    return list(seen.values())


@task(priority=10)
def send_email(*, message, attempt):
    email = EmailMultiAlternatives(
        subject=message["subject"], body=message["body"], from_email=settings.DEFAULT_FROM_EMAIL, to=message["to"]
    )
    email.attach_alternative(message["html"], "text/html")
    try:
        email.send()
    except OSError as error:  # smtplib.SMTPException is an OSError; so are refused connections.
        if attempt >= settings.EMAIL_SEND_ATTEMPTS:
            log.error("Giving up on email %r to %s after %d attempts", message["subject"], message["to"], attempt)
            raise
        log.warning("Email %r failed (%s); trying again", message["subject"], error)
        _retry(message=message, attempt=attempt + 1)


def _retry(*, message, attempt):
    backend = task_backends[send_email.backend]
    if backend.supports_defer:
        delay = timedelta(minutes=2 ** (attempt - 1))
        send_email.using(run_after=timezone.now() + delay).enqueue(message=message, attempt=attempt)
    else:
        send_email.enqueue(message=message, attempt=attempt)


def notify_once(*, key, kind, users, template, context):
    """Like notify(), but only the first time for this key: reminders may run any number of times a day.

    Returns the recipients, or None if this key was sent before.
    """
    from .models import SentNotification

    with transaction.atomic():
        record, created = SentNotification.objects.select_for_update().get_or_create(key=key, defaults={"kind": kind})
        if not created:
            return None
        recipients = notify(kind=kind, users=users, template=template, context=context)
        record.recipients = len(recipients)
        record.save(update_fields=["recipients"])
    return recipients
