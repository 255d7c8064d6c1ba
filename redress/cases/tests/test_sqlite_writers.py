"""SQLite writers (redress.common.sqlite) queue on a lock beside the database: one
transaction at a time, the next one starting as soon as the one before ends, and a dead
process's lock released."""

import fcntl
import os
import signal
import subprocess
import sys
import threading

import pytest
from django.db import connection, connections, transaction

from redress.cases.tests.concurrency import shared_database

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite",
                       reason="the writer queue is SQLite's; PostgreSQL locks rows itself"),
]


def test_transactions_take_turns_and_the_next_starts_when_one_ends(tmp_path):
    order: list[str] = []
    first_inside = threading.Event()
    let_first_finish = threading.Event()

    def first() -> None:
        with transaction.atomic():
            order.append("first begins")
            first_inside.set()
            let_first_finish.wait(timeout=30)
            order.append("first ends")
        connections.close_all()

    def second() -> None:
        first_inside.wait(timeout=30)
        with transaction.atomic():
            order.append("second begins")
        connections.close_all()

    with shared_database(tmp_path):
        lock_file = f"{connection.settings_dict['NAME']}.writers"
        threads = [threading.Thread(target=first), threading.Thread(target=second)]
        for thread in threads:
            thread.start()
        first_inside.wait(timeout=30)
        # The first holds the lock for its whole transaction; the second is not inside one.
        probe = os.open(lock_file, os.O_RDWR)
        with pytest.raises(BlockingIOError):
            fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.close(probe)
        assert order == ["first begins"]
        let_first_finish.set()
        for thread in threads:
            thread.join(timeout=30)
        assert os.path.exists(lock_file)
    assert order == ["first begins", "first ends", "second begins"]


def test_a_killed_writer_does_not_keep_the_lock(tmp_path):
    lock_file = tmp_path / "redress.sqlite3.writers"
    holder = subprocess.Popen([  # noqa: S603 - fixed argv
        sys.executable, "-c",
        "import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT); "
        "fcntl.flock(fd, fcntl.LOCK_EX); print('held', flush=True); time.sleep(60)",
        str(lock_file)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        fd = os.open(lock_file, os.O_RDWR)
        with pytest.raises(BlockingIOError):
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # free again, without waiting
        os.close(fd)
    finally:
        holder.kill()
        holder.wait(timeout=30)


def test_an_in_memory_database_takes_no_lock():
    assert connection.is_in_memory_db()
    with transaction.atomic():
        assert not connection._writer_locked
