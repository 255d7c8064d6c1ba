"""Background tasks that commit, or roll back, together with the change that caused them."""

from datetime import datetime
from typing import Any

from django.db import transaction


def task_enqueue(task: Any, *, run_after: datetime | None = None, **kwargs: Any) -> None:
    """Queue `task(**kwargs)` (at `run_after`, if given) as part of the current transaction.

    With the database task backend the task's row is written inside the transaction, so
    the change and its task are one commit: a process killed right after committing cannot
    leave a complaint stored without its acknowledgement or a deadline without its alarm,
    as it could between a commit and an `on_commit` callback. Other backends (the immediate
    one runs the task on the spot) get the task once the transaction commits.
    """
    from django_tasks_db import DatabaseBackend

    chosen = task.using(run_after=run_after) if run_after is not None else task
    if isinstance(chosen.get_backend(), DatabaseBackend):
        chosen.enqueue(**kwargs)
    else:
        transaction.on_commit(lambda: chosen.enqueue(**kwargs))
