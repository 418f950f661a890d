"""The reminders as a daily task on the worker, for deployments without cron."""

from datetime import datetime, time, timedelta

from django.tasks import task, task_backends
from django.utils import timezone

from .reminders import send_reminders

RUN_AT = time(7, 0)


def next_run(now=None):
    now = timezone.localtime(now)
    day = now.date() if now.time() < RUN_AT else now.date() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, RUN_AT))


@task
def daily_reminders(*, reschedule=True):
    count = send_reminders()
    # Each run books the next; reminders are idempotent, so an extra chain could only repeat no-ops.
    if reschedule and task_backends[daily_reminders.backend].supports_defer:
        daily_reminders.using(run_after=next_run()).enqueue()
    return count


def schedule_daily_reminders():
    """Start the daily chain, replacing any run already waiting, so restarts do not stack chains up."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if isinstance(task_backends[daily_reminders.backend], DatabaseBackend):
        DBTaskResult.objects.filter(task_path=daily_reminders.module_path, status="READY").delete()
    return daily_reminders.enqueue()
