"""Service calls made at the same moment from several threads, each with its own database
connection, as two requests served by two server processes would make them."""

import contextvars
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.db import connection


@contextmanager
def shared_database(tmp_path: Path) -> Iterator[None]:
    """Inside the block, every thread's connection sees the same data and waits for the
    others' locks as it would in production.

    PostgreSQL needs nothing for that. The SQLite test database lives in memory with a shared
    cache, where a second writer fails at once with "database table is locked" instead of
    waiting as it does on the database file Redress runs on; so on SQLite the block runs on a
    file copy of the test database, opened with the project's settings (WAL, IMMEDIATE,
    busy timeout). Use it in `django_db(transaction=True)` tests only.
    """
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    in_memory = connection.connection
    copy = sqlite3.connect(tmp_path / "shared.sqlite3")
    in_memory.backup(copy)
    copy.close()
    # Every thread's connection is built from this one settings dict.
    settings_dict = connection.settings_dict
    name = settings_dict["NAME"]
    settings_dict["NAME"] = str(tmp_path / "shared.sqlite3")
    connection.connection = None
    # Connect once before any thread does: the first connection turns the copy into a WAL
    # database, as the real one already is, and threads racing to do that would fail.
    connection.ensure_connection()
    try:
        yield
    finally:
        connection.close()
        settings_dict["NAME"] = name
        connection.connection = in_memory


def at_once(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls at the same moment, each in its own thread with its own connection, and
    return what each returned or raised, in the order given. Each call sees the caller's
    context, so a clock frozen with `clock.travel_to` stays frozen in the threads."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[Any] = [None] * len(calls)
    contexts = [contextvars.copy_context() for _ in calls]

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=30)
            outcomes[index] = contexts[index].run(call)
        except Exception as exc:  # the caller asserts on what was raised
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return outcomes
