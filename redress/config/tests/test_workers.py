"""Task workers that are killed: the task they were running is queued again once its
worker is known to be gone, and not while it may still be running."""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from redress.config.workers import orphaned_tasks_requeue, worker_identity
from redress.notify.services import email_queue

pytestmark = pytest.mark.django_db

WHO_AM_I = (
    "import django; django.setup(); "
    "from redress.config.workers import worker_identity; print(worker_identity())"
)
DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def database_tasks(settings):  # type: ignore[no-untyped-def]
    settings.TASKS = DATABASE_BACKEND


def _dead_worker_id() -> str:
    """The id a worker on this host had, whose process has since ended."""
    done = subprocess.run(  # noqa: S603 - this interpreter, fixed code
        [sys.executable, "-c", WHO_AM_I], capture_output=True, text=True, check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "redress.config.settings"},
    )
    return done.stdout.strip()


def _running(worker_id: str, *, minutes_ago: int = 0) -> DBTaskResult:
    outbound = email_queue(to="li@example.com", subject="收到您的投诉", body="我们已收到。")
    task = DBTaskResult.objects.get(args_kwargs__kwargs__outbound_id=outbound.pk)
    task.claim(worker_id)
    if minutes_ago:
        DBTaskResult.objects.filter(pk=task.pk).update(
            started_at=timezone.now() - timedelta(minutes=minutes_ago)
        )
    return task


class TestOrphanedTasksRequeue:
    def test_a_task_whose_worker_was_killed_is_queued_again(self, database_tasks):
        task = _running(_dead_worker_id())

        assert orphaned_tasks_requeue() == 1

        task.refresh_from_db()
        assert task.status == TaskResultStatus.READY
        assert DBTaskResult.objects.ready().get() == task

    def test_a_task_whose_worker_is_running_is_left_alone(self, database_tasks):
        task = _running(worker_identity(), minutes_ago=24 * 60)

        assert orphaned_tasks_requeue() == 0

        task.refresh_from_db()
        assert task.status == TaskResultStatus.RUNNING

    def test_a_worker_elsewhere_is_presumed_gone_only_after_the_stale_time(
        self, database_tasks, settings
    ):
        settings.REDRESS_TASK_STALE_MINUTES = 60
        recent = _running("another-host:4242:1234", minutes_ago=5)
        old = _running("another-host:4243:1234", minutes_ago=61)

        assert orphaned_tasks_requeue() == 1

        recent.refresh_from_db()
        old.refresh_from_db()
        assert (recent.status, old.status) == (TaskResultStatus.RUNNING, TaskResultStatus.READY)

