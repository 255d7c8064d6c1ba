"""Nothing is lost when processes die: the faults bench in a short form (web and task
workers killed under load, on this run's database), and two task workers sharing one
PostgreSQL database, each task run by exactly one of them."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from bench.faults import FAILURES as MUST_BE_ZERO
from redress.notify.models import DeliveryStatus, OutboundEmail
from redress.notify.services import email_queue
from redress.triage.engine import load_model, model_path

REPO = Path(__file__).resolve().parent.parent
REDRESS = str(Path(sys.executable).with_name("redress"))
BENCH_TIMEOUT = 240  # seconds: a hung run fails instead of holding up the suite
WAIT = 90
ON_POSTGRESQL = "postgresql" in settings.DATABASES["default"]["ENGINE"]


def _env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("EMAIL_") and key != "DATABASE_URL"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    env.update(extra)
    return env


def test_faults_bench_loses_nothing_when_workers_are_killed(tmp_path):
    # On the PostgreSQL run the bench gets the server's URL and makes (and drops) its own
    # scratch database there; on the SQLite run, a fresh SQLite file.
    extra = {"DATABASE_URL": os.environ["DATABASE_URL"]} if ON_POSTGRESQL else {}
    # The bench starts a fresh installation, which reuses this one's triage model.
    if not model_path().exists():
        load_model()
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "faults.py"), "--seconds", "8",
         "--kill-every", "3", "--concurrency", "4"],
        env=_env(REDRESS_DATA_DIR=str(settings.DATA_DIR), **extra), cwd=tmp_path,
        capture_output=True, text=True, timeout=BENCH_TIMEOUT, check=False,
    )
    output = done.stdout + done.stderr
    figures = json.loads(done.stdout.strip().splitlines()[-1])

    assert figures["task_workers_killed"] >= 2 and figures["web_workers_killed"] >= 2, output
    assert figures["answered_201"] > 0 and figures["sla_cases"] > 0, output
    assert {name: figures[name] for name in MUST_BE_ZERO} == dict.fromkeys(MUST_BE_ZERO, 0), (
        output)
    assert figures["ack_emails_delivered"] == figures["complaints_in_db"], output
    assert done.returncode == 0, output


def _database_url() -> str:
    """The URL of the test database this test writes to, for processes it starts."""
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.skipif(not ON_POSTGRESQL,
                    reason="needs PostgreSQL: this run's database is SQLite (no DATABASE_URL)")
@pytest.mark.django_db(transaction=True)
def test_two_workers_on_one_postgresql_run_each_task_exactly_once(
    tmp_path, mail_sink, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    env = _env(DATABASE_URL=_database_url(), REDRESS_DATA_DIR=str(tmp_path),
               EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(mail_sink.port), PYTHONUNBUFFERED="1")
    logs = [tmp_path / f"worker{n}.log" for n in (1, 2)]
    workers = []
    for log in logs:
        with log.open("wb") as out:
            workers.append(subprocess.Popen(
                [REDRESS, "db_worker", "--interval", "0.05", "--no-startup-delay"],
                env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            ))
    try:
        _wait(lambda: all("Starting worker" in log.read_text() for log in logs),
              lambda: "\n".join(log.read_text() for log in logs))
        # Both are polling when the tasks appear, all at once in one commit.
        with transaction.atomic():
            for n in range(200):
                email_queue(to=f"guest{n}@example.com", subject=f"收到您的投诉 {n}",
                            body="我们已收到您的投诉。")

        _wait(lambda: DBTaskResult.objects.filter(
            status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]).count() == 0,
            lambda: "\n".join(log.read_text() for log in logs))
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            worker.wait(timeout=30)

    tasks = list(DBTaskResult.objects.values_list("status", "worker_ids"))
    assert len(tasks) == 200
    assert {status for status, _ids in tasks} == {TaskResultStatus.SUCCESSFUL}
    assert all(len(ids) == 1 for _status, ids in tasks)  # each claimed by one worker, once
    assert len({ids[0] for _status, ids in tasks}) == 2  # and both workers took a share
    assert OutboundEmail.objects.exclude(status=DeliveryStatus.SENT).count() == 0
    deliveries = sorted(to for d in mail_sink.received for to in d.rcpt_tos)
    assert deliveries == sorted(f"guest{n}@example.com" for n in range(200))


def _wait(done, explain) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + WAIT
    while not done():
        assert time.monotonic() < deadline, explain()
        time.sleep(0.1)
