"""The worker records a task that raises and goes on to the next one."""

import pytest
from django.core.management import call_command
from django.tasks import task
from django_tasks_db.models import DBTaskResult

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@task
def explode():
    raise ValueError("boom")


@task
def add(a, b):
    return a + b


@pytest.mark.django_db(transaction=True)
def test_worker_survives_a_task_that_raises(settings):
    settings.TASKS = DB_TASKS  # the real worker's backend, not the tests' immediate one
    failing = explode.enqueue()
    working = add.enqueue(2, 3)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    failed = DBTaskResult.objects.get(id=failing.id)
    done = DBTaskResult.objects.get(id=working.id)
    assert failed.status == "FAILED"
    assert "ValueError" in failed.exception_class_path
    assert "boom" in failed.traceback
    assert done.status == "SUCCESSFUL"
    assert done.return_value == 5
