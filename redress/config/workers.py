"""Task workers that can be killed: who a worker is, and putting back in the queue the
tasks a dead worker was running.

django-tasks-db marks a task RUNNING when a worker claims it and SUCCESSFUL or FAILED when
it ends; a worker killed in between (SIGKILL, the out-of-memory killer, a power cut)
leaves the task RUNNING for ever, so it would never run. Every task here is safe to run
twice, so such a task is simply queued again once its worker is known to be gone.
"""

import logging
import os
import socket
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)


def _host() -> str:
    return socket.gethostname()[:30]


def _started(pid: int) -> str:
    """When process `pid` started (clock ticks since boot), or "" if it is not running:
    with the pid it tells a worker from a later process that reused its pid."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return ""
        except PermissionError:
            pass
        return "?"  # alive, but no /proc to read its start from (not Linux)
    fields = stat.rsplit(")", 1)[1].split()
    return "" if fields[0] == "Z" else fields[19]


def worker_identity() -> str:
    """This process's worker id: host, pid and start, so that a worker on the same host
    can tell whether it is still running (at most 64 characters, the column's limit)."""
    pid = os.getpid()
    return f"{_host()}:{pid}:{_started(pid)}"


def _gone(worker_id: str) -> bool | None:
    """True if the worker that took this id is no longer running, False if it is, None if
    this host cannot tell (another host, or an id not made by `worker_identity`)."""
    host, _sep, rest = worker_id.partition(":")
    pid, _sep, started = rest.partition(":")
    if host != _host() or not pid.isdigit() or not started:
        return None
    now = _started(int(pid))
    return now == "" or (now != started and "?" not in (now, started))


def orphaned_tasks_requeue() -> int:
    """Queue again every RUNNING task whose worker is gone: at once when it ran on this
    host, after `REDRESS_TASK_STALE_MINUTES` of running when this host cannot see it.
    Returns how many tasks were queued again."""
    stale_before = timezone.now() - timedelta(minutes=settings.REDRESS_TASK_STALE_MINUTES)
    requeued = 0
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
    for task_id, worker_ids, started_at in running.values_list("id", "worker_ids", "started_at"):
        gone = _gone(worker_ids[-1]) if worker_ids else None
        if gone is None:
            gone = started_at is not None and started_at < stale_before
        if not gone:
            continue
        with transaction.atomic():
            # Only if nobody claimed it again meanwhile (another worker doing the same).
            requeued += DBTaskResult.objects.filter(
                id=task_id, status=TaskResultStatus.RUNNING, started_at=started_at
            ).update(status=TaskResultStatus.READY)
    if requeued:
        logger.warning("Queued again %d task(s) whose worker stopped while running them.",
                       requeued)
    return requeued
