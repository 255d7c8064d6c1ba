"""SQLite, with writers that queue instead of polling.

SQLite lets one transaction write at a time. Its own waiting (the busy timeout) polls:
a writer that finds the database locked sleeps 1, 2, 5, 10 … up to 100 ms between tries,
so under a stream of complaints the lock is often free while every waiting process is
still asleep; measured with four web workers, half the CPU stood idle and intake stopped
near 40 complaints a second. Here a process takes an exclusive `flock` on a file beside
the database before it begins a transaction and drops it when the transaction ends: the
kernel wakes the next waiter the moment the lock is free. A process that dies (SIGKILL
included) loses its lock with it.

Every transaction here begins IMMEDIATE (it takes the write lock at once; see settings),
so this orders nothing that SQLite did not already order one at a time. Writes outside a
transaction (autocommit) still wait in SQLite's own way. In-memory databases, which no
other process can open, take no lock.
"""

import fcntl
import os
from typing import Any

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    # The hooks below are the wrapper's own (Django's base and SQLite backends); the type
    # stubs do not list these private methods, hence the ignores on their super() calls.
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._writer_fd: int | None = None
        self._writer_locked = False

    def _writer_lock(self) -> None:
        if self._writer_locked or self.is_in_memory_db():
            return
        if self._writer_fd is None:
            self._writer_fd = os.open(f"{self.settings_dict['NAME']}.writers",
                                      os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self._writer_fd, fcntl.LOCK_EX)
        self._writer_locked = True

    def _writer_unlock(self) -> None:
        if self._writer_locked and self._writer_fd is not None:
            self._writer_locked = False
            fcntl.flock(self._writer_fd, fcntl.LOCK_UN)

    def _start_transaction_under_autocommit(self) -> None:
        self._writer_lock()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self._writer_unlock()
            raise

    def _commit(self) -> None:
        try:
            super()._commit()  # type: ignore[misc]
        finally:
            self._writer_unlock()

    def _rollback(self) -> None:
        try:
            super()._rollback()  # type: ignore[misc]
        finally:
            self._writer_unlock()

    def _close(self) -> None:
        try:
            super()._close()  # type: ignore[misc]
        finally:
            self._writer_unlock()
            if self._writer_fd is not None:
                os.close(self._writer_fd)
                self._writer_fd = None
