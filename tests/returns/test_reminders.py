from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from boroughs.models import Borough, NotificationKind, NotificationOptOut, SentNotification
from returns.models import FinancialYear, PeriodExtension, ReportingPeriod, Return
from returns.reminders import send_reminders

# 2026-27 Q2 (July to September) opens on 30 September and is due on 30 October.
OPENS, DUE = date(2026, 9, 30), date(2026, 10, 30)


@pytest.fixture
def q2(db):
    year, _ = FinancialYear.get_or_create_for_start(2026)
    year.ensure_periods()
    period = ReportingPeriod.objects.get(year=year, quarter=2)
    assert (period.opens_on, period.due_on) == (OPENS, DUE)
    # Only this quarter is in play: earlier ones would add their own reminders.
    ReportingPeriod.objects.exclude(pk=period.pk).delete()
    return period


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def run(day):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            send_reminders(day)
        return mail.outbox

    return run


def to(outbox, address):
    return [m for m in outbox if address in m.to]


def test_the_opening_reminder_goes_once(q2, alice, bob, run):
    outbox = run(OPENS)
    assert [m.subject for m in to(outbox, "alice@example.org")] == ["Reminder: Birmingham Q2 2026-27 return opens now"]
    assert len(to(outbox, "bob@example.org")) == 1
    assert "http://testserver/boroughs/birmingham/returns/" in to(outbox, "alice@example.org")[0].body
    assert run(OPENS) == []  # idempotent: a second run the same day sends nothing


def test_due_soon_at_14_and_3_days_then_on_the_day(q2, alice, run):
    run(OPENS)
    assert [m.subject for m in to(run(date(2026, 10, 16)), "alice@example.org")] == [
        "Birmingham Q2 2026-27 return is due in 14 days"
    ]
    assert to(run(date(2026, 10, 16)), "alice@example.org") == []  # already sent today
    assert to(run(date(2026, 10, 17)), "alice@example.org") == []
    assert [m.subject for m in to(run(date(2026, 10, 27)), "alice@example.org")] == [
        "Birmingham Q2 2026-27 return is due in 3 days"
    ]
    assert [m.subject for m in to(run(DUE), "alice@example.org")] == ["Birmingham Q2 2026-27 return is due today"]


def test_a_missed_day_still_sends_the_reminder_with_the_true_count(q2, alice, run):
    assert [m.subject for m in to(run(date(2026, 10, 18)), "alice@example.org")] == [
        "Birmingham Q2 2026-27 return is due in 12 days"
    ]


def test_overdue_every_seven_days_to_officers_and_the_opcc_contact(q2, alice, rita, birmingham, run):
    birmingham.opcc_contact = rita
    birmingham.save()
    outbox = run(date(2026, 11, 6))
    overdue = [m for m in outbox if m.subject.startswith("Overdue: Birmingham")]
    assert sorted(m.to[0] for m in overdue) == ["alice@example.org", "rita@example.org"]
    assert "7 days overdue" in overdue[0].body
    assert not [m for m in run(date(2026, 11, 7)) if m.subject.startswith("Overdue: Birmingham")]
    assert len([m for m in run(date(2026, 11, 13)) if m.subject.startswith("Overdue: Birmingham")]) == 2


def test_a_borough_with_an_extension_is_not_chased(q2, alice, bob, birmingham, adam, run):
    PeriodExtension.objects.create(
        period=q2, borough=birmingham, due_on=date(2026, 11, 20), reason="Data system outage", granted_by=adam
    )
    outbox = run(date(2026, 11, 6))
    # Not overdue: counted down to the extended date instead.
    assert [m.subject for m in to(outbox, "alice@example.org")] == ["Birmingham Q2 2026-27 return is due in 14 days"]
    assert [m.subject for m in to(outbox, "bob@example.org")] == [
        "Overdue: Coventry Q2 2026-27 return is still outstanding"
    ]
    assert [m.subject for m in to(run(date(2026, 11, 17)), "alice@example.org")] == [
        "Birmingham Q2 2026-27 return is due in 3 days"
    ]
    assert "extended date agreed with the OPCC" in to(run(date(2026, 11, 20)), "alice@example.org")[0].body


def test_submitted_returns_are_not_chased(q2, alice, birmingham, run):
    Return.objects.create(borough=birmingham, period=q2, status=Return.Status.SUBMITTED)
    assert to(run(date(2026, 11, 6)), "alice@example.org") == []


def test_draft_returns_are_chased_with_a_link_to_the_return(q2, alice, birmingham, run):
    draft = Return.objects.create(borough=birmingham, period=q2)
    outbox = to(run(date(2026, 10, 27)), "alice@example.org")
    assert f"http://testserver{draft.get_absolute_url()}" in outbox[0].body


def test_preferences_are_respected(q2, alice, run):
    NotificationOptOut.objects.create(user=alice, kind=NotificationKind.DUE_SOON)
    assert to(run(date(2026, 10, 27)), "alice@example.org") == []
    assert len(to(run(DUE), "alice@example.org")) == 1


def test_weekly_digest_once_a_week_to_opcc_staff(q2, alice, rita, adam, run):
    outbox = run(date(2026, 11, 9))  # a Monday
    digests = [m for m in outbox if m.subject.startswith("Weekly digest")]
    assert sorted(m.to[0] for m in digests) == ["adam@example.org", "rita@example.org"]
    assert digests[0].subject == "Weekly digest: 7 overdue, 0 outstanding returns"
    assert "Birmingham, Q2 2026-27: due 30 October 2026 (not started)" in digests[0].body
    assert not [m for m in run(date(2026, 11, 10)) if m.subject.startswith("Weekly digest")]
    assert len([m for m in run(date(2026, 11, 16)) if m.subject.startswith("Weekly digest")]) == 2


def test_the_command_is_idempotent(q2, alice, capsys, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--date", "2026-10-27")
        call_command("send_reminders", "--date", "2026-10-27")
    assert len(to(mail.outbox, "alice@example.org")) == 1
    assert SentNotification.objects.filter(key__startswith="due-in-3:").count() == 7
    assert "Queued 0 reminder emails." in capsys.readouterr().out.splitlines()[-1]


def test_the_daily_task_sends_the_same_reminders(q2, alice, django_capture_on_commit_callbacks, monkeypatch):
    from django.utils import timezone

    from returns.tasks import daily_reminders, next_run

    monkeypatch.setattr(timezone, "localdate", lambda *a: date(2026, 10, 27))
    with django_capture_on_commit_callbacks(execute=True):
        daily_reminders.enqueue(reschedule=False)
    assert [m.subject for m in to(mail.outbox, "alice@example.org")] == [
        "Birmingham Q2 2026-27 return is due in 3 days"
    ]
    morning = next_run(timezone.make_aware(timezone.datetime(2026, 10, 27, 9, 30)))
    assert (morning.date(), morning.hour) == (date(2026, 10, 28), 7)


DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # the worker's: it can run a task later


def waiting_daily_runs():
    from django_tasks_db.models import DBTaskResult

    from returns.tasks import daily_reminders

    return list(DBTaskResult.objects.filter(task_path=daily_reminders.module_path, status="READY"))


def test_each_daily_run_books_the_next_for_seven_in_the_morning(
    q2, alice, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from returns.tasks import daily_reminders, next_run

    settings.TASKS = DB_TASKS
    monkeypatch.setattr(timezone, "localdate", lambda *a: date(2026, 10, 27))
    with django_capture_on_commit_callbacks(execute=True):
        sent = daily_reminders.call()  # what the worker does with a queued run
    assert sent == 1  # alice's "due in 3 days"
    [booked] = waiting_daily_runs()
    assert booked.run_after == next_run()
    assert (timezone.localtime(booked.run_after).hour, timezone.localtime(booked.run_after).minute) == (7, 0)
    # The booked run reschedules itself in turn, so the chain never ends.
    assert booked.args_kwargs == {"args": [], "kwargs": {}}


def test_a_run_told_not_to_reschedule_books_nothing(q2, settings):
    from returns.tasks import daily_reminders

    settings.TASKS = DB_TASKS
    daily_reminders.call(reschedule=False)
    assert waiting_daily_runs() == []


def test_starting_the_chain_again_replaces_the_waiting_run(q2, settings, capsys):
    from returns.tasks import daily_reminders

    settings.TASKS = DB_TASKS
    daily_reminders.call()  # books tomorrow's 7:00 run
    [tomorrow] = waiting_daily_runs()
    call_command("send_reminders", "--on-worker")  # a restart starts the chain again
    [now] = waiting_daily_runs()
    assert now.pk != tomorrow.pk
    assert now.task.run_after is None  # runs as soon as a worker is free
    assert f"Queued the daily reminders task ({now.pk})." in capsys.readouterr().out


def _queries_for_a_run_with_nothing_to_send(day):
    send_reminders(day)  # sends what is due; the next run the same day has nothing to send
    with CaptureQueriesContext(connection) as queries:
        assert send_reminders(day) == 0
    return len(queries)


@pytest.mark.parametrize("day", [OPENS, date(2026, 10, 16), DUE, date(2026, 11, 13)])
def test_a_run_with_nothing_to_send_costs_the_same_for_7_boroughs_as_for_40(q2, alice, bob, day):
    few = _queries_for_a_run_with_nothing_to_send(day)
    Borough.objects.bulk_create(
        Borough(name=f"Extra {n}", slug=f"extra-{n}", partnership_name=f"Extra {n} CSP", ons_code=f"E0899{n:04d}")
        for n in range(33)
    )
    SentNotification.objects.filter(key__startswith="digest:").delete()  # the weekly digest goes again, as before
    many = _queries_for_a_run_with_nothing_to_send(day)
    assert many == few
    assert many < 30
