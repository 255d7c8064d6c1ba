"""`redress db_worker`: django-tasks-db's worker, which also queues again the tasks of
workers that were killed while running them (see `redress.config.workers`): when it
starts, and then every `REDRESS_TASK_RECOVER_SECONDS` while it runs."""

import logging
import threading
import time
from typing import Any

from django.db import connection
from django_tasks_db.management.commands import db_worker

from redress.config.workers import orphaned_tasks_requeue, worker_identity

logger = logging.getLogger(__name__)


class Command(db_worker.Command):
    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        # Its host and pid, so workers on this host can tell when it is gone.
        parser.set_defaults(worker_id=worker_identity())

    def handle(self, *args: Any, **options: Any) -> None:
        from django.conf import settings

        orphaned_tasks_requeue()
        every = settings.REDRESS_TASK_RECOVER_SECONDS
        if every > 0:
            threading.Thread(target=_recover_every, args=(every,), daemon=True,
                             name="requeue-orphaned-tasks").start()
        super().handle(*args, **options)


def _recover_every(seconds: float) -> None:
    while True:
        time.sleep(seconds)
        try:
            orphaned_tasks_requeue()
        except Exception:  # a database that is away for a moment: try again next time
            logger.exception("Could not look for orphaned tasks.")
        finally:
            # This thread's own connection: not held open between looks.
            connection.close()
