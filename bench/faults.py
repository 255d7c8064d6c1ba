"""Kill the workers under load and count what was lost.

Starts Redress as it runs in production, apart: `redress serve --no-task-worker` (gunicorn
with --web-workers processes) and --task-workers `redress db_worker` processes, on a fresh
SQLite database, or, with DATABASE_URL set, on a scratch database made on that PostgreSQL
server (and dropped afterwards). Mail goes to an SMTP server run here, which counts every
message it is handed.

For --seconds, --concurrency clients post complaints as fast as they are answered: half to
the public endpoint, half to `POST /api/v1/cases` with an Idempotency-Key, some of those
sent again with the same key, every one cut by a kill sent again until it is answered. A
share of the API complaints are recorded as received by phone 57 seconds earlier, under a
one-minute first-response target, so their warning, breach and escalation fall due during
the run. Every --kill-every seconds one task worker and one gunicorn worker get SIGKILL;
the task worker is started again, gunicorn's master replaces its worker itself.

Then it waits for the queue to drain and counts: complaints answered 201 that are not in
the database (lost) or are there twice (duplicated); retries that got another answer than
the first; 5xx answers; acknowledgements (timeline entry and e-mail) and SLA stages
(warning, breach, escalation) that did not happen, or happened twice.

    .venv/bin/python bench/faults.py [--seconds 60] [--kill-every 5] [--concurrency 8]

Prints progress, a table of the counts and ends with one JSON line. Exits 1 if anything was
lost, duplicated, answered differently, or failed with a 5xx. Needs the test extras
(`pip install -e '.[test]'`, for the SMTP server). The data and logs directory is removed
after a clean run (--keep keeps it) and kept after a failed one.
"""

import argparse
import contextlib
import http.client
import json
import logging
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
BACKDATED_SHARE = 0.3  # of API complaints: received by phone 57 s ago, due in 3 s
RETRY_SHARE = 0.2  # of answered API complaints: sent again with the same key
START_TIMEOUT = 90
DRAIN_TIMEOUT = 120
MAX_ATTEMPTS = 20  # sends of one API complaint, cut ones included
MARK = "faults-"  # every complaint's text carries its own marker, to find it again


# -- the database, as the bench itself sees it ------------------------------------------


def scratch_database(url: str) -> tuple[str, str]:
    """A fresh database on the server `url` names: (its URL, its name)."""
    import psycopg

    name = f"redress_faults_{uuid.uuid4().hex[:10]}"
    base, _sep, _db = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}", name


def drop_database(url: str, name: str) -> None:
    import psycopg

    base, _sep, _db = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def setup_django() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "redress.config.settings"
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def prepare_organisation() -> str:
    """The organisation complaints land in, an integrator's API token, and a one-minute
    first-response target for complaints taken by phone. Returns the token."""
    from redress.accounts.models import Department, Organisation, Role, User
    from redress.accounts.services import api_token_create
    from redress.sla.models import BusinessCalendar, SlaPolicy
    from redress.sla.services import policy_for

    policy_for(priority="P3", channel="web")  # installs the default policies
    organisation = Organisation.objects.create(name="悦来酒店", industry="hotel")
    department = Department.objects.create(
        organisation=organisation, name="前台", is_default_intake=True
    )
    User.objects.create_user(username="supervisor1", password=uuid.uuid4().hex,
                             role=Role.SUPERVISOR, department=department)
    integrator = User.objects.create_user(username="integrator", password=uuid.uuid4().hex,
                                          role=Role.AGENT, department=department)
    SlaPolicy.objects.create(
        name="Phone · one minute", rank=1, channel="phone",
        calendar=BusinessCalendar.objects.get(around_the_clock=True),
        first_response=1, first_response_unit="minutes", next_reply=1, next_reply_unit="days",
        resolution=1, resolution_unit="days",
    )
    return api_token_create(user=integrator)


# -- the processes -----------------------------------------------------------------------


def spawn(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(  # noqa: S603 - fixed argv
            [sys.executable, "-m", "redress.config.cli", *args], env=env, stdout=out,
            stderr=subprocess.STDOUT, start_new_session=True,
        )


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                if int(stat[1]) == pid and stat[0] != "Z":
                    found.append(int(entry.name))
    return found


def gunicorn_workers(serve: subprocess.Popen[bytes]) -> list[int]:
    """The gunicorn workers: children of the master, itself the child of `serve`."""
    return [worker for master in children(serve.pid) for worker in children(master)]


def wait_healthy(port: int, serve: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline and serve.poll() is None:
        with contextlib.suppress(OSError, http.client.HTTPException):
            status, _body = request(port, "GET", "/healthz", None, {})
            if status == 200:
                return
        time.sleep(0.2)
    raise SystemExit(f"redress serve did not answer in {START_TIMEOUT}s:\n{log.read_text()}")


def request(
    port: int, method: str, path: str, body: dict[str, Any] | None, headers: dict[str, str]
) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
        conn.request(method, path, body=data, headers={
            "Content-Type": "application/json", "Accept": "application/json", **headers,
        })
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


# -- the load ----------------------------------------------------------------------------


@dataclass
class Tally:
    """What the clients saw, shared by their threads."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    answered: dict[str, str] = field(default_factory=dict)  # marker -> reference (201)
    public_cut: list[str] = field(default_factory=list)  # markers, no answer ever
    backdated: set[str] = field(default_factory=set)  # markers
    statuses: Counter[int] = field(default_factory=Counter)
    cut: int = 0  # requests with no answer: the connection died with the worker
    retries_same_key: int = 0
    retries_after_cut: int = 0
    replay_mismatch: list[str] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)

    def saw(self, status: int, marker: str, body: bytes) -> None:
        with self.lock:
            self.statuses[status] += 1
            if status >= 500:
                self.server_errors.append(f"{marker}: {status} {body[:200]!r}")
            elif status != 201:
                self.other.append(f"{marker}: {status} {body[:200]!r}")


def client(port: int, token: str, until: float, tally: Tally, seed: int) -> None:
    rng = random.Random(seed)
    n = 0
    while time.monotonic() < until:
        n += 1
        marker = f"{MARK}{seed}-{n}"
        if rng.random() < 0.5:
            public(port, marker, tally)
        else:
            api(port, token, marker, tally, rng)


def _text(marker: str) -> str:
    return (f"房间空调坏了一整晚，前台说马上派人修，结果等到早上也没人来。请尽快处理。"
            f"（{marker}）")


def public(port: int, marker: str, tally: Tally) -> None:
    body = {"description": _text(marker), "name": "周先生", "email": f"{marker}@example.com"}
    try:
        status, raw = request(port, "POST", "/api/v1/public/complaints", body, {})
    except (OSError, http.client.HTTPException):
        # No answer: the complaint may or may not be stored, and without a key the
        # customer cannot safely send it again. It is not counted as answered.
        with tally.lock:
            tally.cut += 1
            tally.public_cut.append(marker)
        return
    tally.saw(status, marker, raw)
    if status == 201:
        with tally.lock:
            tally.answered[marker] = json.loads(raw)["reference"]


def api(port: int, token: str, marker: str, tally: Tally, rng: random.Random) -> None:
    body: dict[str, Any] = {
        "description": _text(marker),
        "customer": {"name": "李女士", "email": f"{marker}@example.com"},
    }
    if rng.random() < BACKDATED_SHARE:
        body["channel"] = "phone"
        body["received_at"] = (datetime.now(UTC) - timedelta(seconds=57)).isoformat()
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": marker}
    first: bytes | None = None
    sends = 2 if rng.random() < RETRY_SHARE else 1
    attempts = 0
    while sends and attempts < MAX_ATTEMPTS:
        attempts += 1
        try:
            status, raw = request(port, "POST", "/api/v1/cases", body, headers)
        except (OSError, http.client.HTTPException):
            with tally.lock:
                tally.cut += 1
                tally.retries_after_cut += 1
            time.sleep(0.2)
            continue  # cut by a kill: the client sends it again with the same key
        tally.saw(status, marker, raw)
        if status != 201:
            return
        if first is None:
            first = raw
            with tally.lock:
                tally.answered[marker] = json.loads(raw)["reference"]
                if "received_at" in body:
                    tally.backdated.add(marker)
        else:
            with tally.lock:
                tally.retries_same_key += 1
                if json.loads(raw) != json.loads(first):
                    tally.replay_mismatch.append(marker)
        sends -= 1


# -- the kills ---------------------------------------------------------------------------


@dataclass
class Kills:
    task_workers: int = 0
    web_workers: int = 0


def killer(
    *, every: float, until: float, serve: subprocess.Popen[bytes],
    workers: list[subprocess.Popen[bytes]], restart: Any, kills: Kills,
) -> None:
    rng = random.Random(7)
    while True:
        time.sleep(every * (0.75 + rng.random() / 2))
        if time.monotonic() >= until:
            return
        index = kills.task_workers % len(workers)
        with contextlib.suppress(ProcessLookupError):
            os.kill(workers[index].pid, signal.SIGKILL)
        workers[index].wait()
        kills.task_workers += 1
        web = gunicorn_workers(serve)
        if web:
            with contextlib.suppress(ProcessLookupError):
                os.kill(rng.choice(web), signal.SIGKILL)
            kills.web_workers += 1
        print(f"  killed task worker {index + 1} and a web worker "
              f"({kills.task_workers} + {kills.web_workers} so far)", flush=True)
        time.sleep(0.3)  # a worker is not back at once in real life either
        workers[index] = restart(index)


# -- after the run -----------------------------------------------------------------------


def drain(latest_due: datetime) -> float:
    """Wait until every task due by now has run (and the last SLA stage has fallen due).
    Returns the seconds waited."""
    from django.db import close_old_connections
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    started = time.monotonic()
    while time.monotonic() - started < DRAIN_TIMEOUT:
        close_old_connections()
        now = datetime.now(UTC)
        pending = (DBTaskResult.objects.ready().count()
                   + DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).count())
        if now > latest_due + timedelta(seconds=2) and pending == 0:
            # Ready tasks may be enqueued by a task a moment later: look once more.
            time.sleep(1.5)
            close_old_connections()
            if (DBTaskResult.objects.ready().count()
                    + DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).count()) == 0:
                return time.monotonic() - started
        time.sleep(0.5)
    print(f"  the queue did not drain in {DRAIN_TIMEOUT}s", flush=True)
    return time.monotonic() - started


def count(tally: Tally, mail: Counter[tuple[str, str]]) -> dict[str, Any]:
    """Compare what the clients were told, what the database holds and what was mailed."""
    from django.db.models import Count
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from redress.cases.models import Case, CaseEvent, EventKind
    from redress.notify.models import DeliveryStatus, OutboundEmail

    cases: dict[str, list[str]] = {}
    for reference, description in Case.objects.filter(
        description__contains=MARK
    ).values_list("reference", "description"):
        marker = description.rsplit("（", 1)[1].rstrip("）")
        cases.setdefault(marker, []).append(reference)
    lost = [m for m in tally.answered if m not in cases]
    duplicated = [m for m, refs in cases.items() if len(refs) > 1]
    wrong_reference = [m for m, ref in tally.answered.items()
                       if m in cases and ref not in cases[m]]
    stored_after_cut = [m for m in tally.public_cut if m in cases]

    ids = dict(Case.objects.filter(description__contains=MARK).values_list("pk", "reference"))
    acks = Counter(
        CaseEvent.objects.filter(case_id__in=list(ids), kind=EventKind.AUTO_ACK)
        .values_list("case_id", flat=True)
    )
    ack_events_missing = sum(1 for pk in ids if acks[pk] == 0)
    ack_events_twice = sum(1 for pk in ids if acks[pk] > 1)

    # Acknowledgement e-mails: one row per complaint, delivered to the SMTP server once.
    customer_mail = OutboundEmail.objects.filter(to__startswith=MARK)
    rows = Counter(customer_mail.values_list("to", flat=True))
    ack_mail_missing = sum(1 for m in cases if rows[f"{m}@example.com"] == 0)
    ack_mail_rows_twice = sum(1 for n in rows.values() if n > 1)
    unsent = customer_mail.exclude(status=DeliveryStatus.SENT).count()
    # A worker killed after the SMTP server took a message, before marking it sent, sends
    # it again with the same Message-ID: one message to the customer, delivered twice.
    messages = Counter(to for (to, _id) in mail if to.startswith(MARK))
    deliveries = Counter({to: n for (to, _id), n in mail.items() if to.startswith(MARK)})
    mail_lost = sum(1 for to in rows if messages[to] == 0)
    mail_twice = sum(1 for to in rows if messages[to] > 1)
    mail_resent = sum(1 for to in rows if deliveries[to] > messages[to])

    # SLA: each backdated complaint warned once, breached once, escalated once.
    backdated_refs = {ref for m in tally.backdated for ref in cases.get(m, [])}
    backdated_ids = [pk for pk, ref in ids.items() if ref in backdated_refs]
    stages: Counter[tuple[int, str]] = Counter()
    for case_id, kind, after in CaseEvent.objects.filter(
        case_id__in=backdated_ids, kind__in=[EventKind.SLA_WARNING, EventKind.ESCALATION]
    ).values_list("case_id", "kind", "after"):
        stage = "warn" if kind == EventKind.SLA_WARNING else f"level{after.get('level')}"
        stages[(case_id, f"{after.get('target')}:{stage}")] += 1
    expected = [(pk, f"first_response:{s}") for pk in backdated_ids
                for s in ("warn", "level1", "level2")]
    sla_missing = sum(1 for key in expected if stages[key] == 0)
    sla_twice = sum(1 for key in expected if stages[key] > 1)

    tasks = DBTaskResult.objects.values("status").annotate(n=Count("id"))
    by_status = {row["status"]: row["n"] for row in tasks}
    claimed_again = sum(
        1 for ids_ in DBTaskResult.objects.values_list("worker_ids", flat=True) if len(ids_) > 1
    )
    return {
        "answered_201": len(tally.answered),
        "complaints_in_db": sum(len(r) for r in cases.values()),
        "lost": len(lost),
        "duplicated": len(duplicated),
        "wrong_reference": len(wrong_reference),
        "cut_requests": tally.cut,
        "api_resent_after_cut": tally.retries_after_cut,
        "public_cut_but_stored": len(stored_after_cut),
        "idempotent_retries": tally.retries_same_key,
        "retries_answered_differently": len(tally.replay_mismatch),
        "server_errors_5xx": len(tally.server_errors),
        "other_non_201": len(tally.other),
        "ack_entries_missing": ack_events_missing,
        "ack_entries_twice": ack_events_twice,
        "ack_emails_missing": ack_mail_missing,
        "ack_emails_written_twice": ack_mail_rows_twice,
        "ack_emails_unsent": unsent,
        "ack_emails_delivered": sum(min(messages[to], 1) for to in rows),
        "ack_emails_not_delivered": mail_lost,
        "ack_emails_delivered_twice": mail_twice,
        "ack_emails_resent_same_message_id": mail_resent,
        "sla_cases": len(backdated_ids),
        "sla_stages_expected": len(expected),
        "sla_stages_missing": sla_missing,
        "sla_stages_twice": sla_twice,
        "tasks": sum(by_status.values()),
        "tasks_successful": by_status.get(TaskResultStatus.SUCCESSFUL, 0),
        "tasks_failed": by_status.get(TaskResultStatus.FAILED, 0),
        # Due and not run (deferred ones, deadlines hours ahead, are not due yet).
        "tasks_left": DBTaskResult.objects.ready().count()
        + by_status.get(TaskResultStatus.RUNNING, 0),
        "tasks_deferred": DBTaskResult.objects.filter(status=TaskResultStatus.READY).count()
        - DBTaskResult.objects.ready().count(),
        "tasks_run_again_after_a_kill": claimed_again,
        "samples": {"lost": lost[:5], "duplicated": duplicated[:5],
                    "5xx": tally.server_errors[:5], "other": tally.other[:5],
                    "replay_mismatch": tally.replay_mismatch[:5]},
    }


FAILURES = (
    "lost", "duplicated", "wrong_reference", "retries_answered_differently",
    "server_errors_5xx", "other_non_201", "ack_entries_missing", "ack_entries_twice",
    "ack_emails_missing", "ack_emails_written_twice", "ack_emails_unsent",
    "ack_emails_not_delivered", "ack_emails_delivered_twice", "sla_stages_missing",
    "sla_stages_twice", "tasks_failed", "tasks_left",
)


# -- the run -----------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60, help="load duration")
    parser.add_argument("--kill-every", type=float, default=5,
                        help="seconds between kills (±25%%)")
    parser.add_argument("--concurrency", type=int, default=8, help="clients posting at once")
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--task-workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=0, help="web port (default: a free one)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the data and logs directory also when nothing was lost")
    options = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="redress-faults-"))
    # The triage model trained for the caller's installation, if there is one, saves the
    # fresh installation half a minute of training (a stale one is trained again anyway).
    trained = Path(os.environ.get("REDRESS_DATA_DIR") or "var") / "triage" / "model.joblib"
    if trained.is_file():
        (work / "data" / "triage").mkdir(parents=True)
        shutil.copy(trained, work / "data" / "triage" / trained.name)
    server_url = os.environ.get("DATABASE_URL", "")
    scratch: tuple[str, str] | None = None
    if server_url:
        scratch = scratch_database(server_url)
        os.environ["DATABASE_URL"] = scratch[0]
    os.environ["REDRESS_DATA_DIR"] = str(work / "data")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    code = 1
    try:
        code = run(options, work, database="PostgreSQL" if scratch else "SQLite")
    finally:
        if scratch is not None:
            drop_database(server_url, scratch[1])
        if code == 0 and not options.keep:
            shutil.rmtree(work, ignore_errors=True)
    return code


def run(options: argparse.Namespace, work: Path, *, database: str) -> int:
    from aiosmtpd.controller import Controller

    print(f"Faults bench on {database}: {options.seconds:g}s of load at concurrency "
          f"{options.concurrency}, a task worker and a web worker killed every "
          f"~{options.kill_every:g}s; {options.web_workers} web and {options.task_workers} "
          f"task workers. Logs in {work}", flush=True)
    setup_django()
    token = prepare_organisation()

    mail: Counter[tuple[str, str]] = Counter()  # (recipient, Message-ID) -> deliveries
    mail_lock = threading.Lock()

    class Sink:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            import email
            import email.policy

            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            with mail_lock:
                for to in envelope.rcpt_tos:
                    mail[(to, str(message["Message-ID"]))] += 1
            return "250 OK"

    logging.getLogger("mail.log").setLevel(logging.WARNING)
    smtp_port = free_port()
    sink = Controller(Sink(), hostname=HOST, port=smtp_port)
    sink.start()

    port = options.port or free_port()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
        "EMAIL_HOST": HOST, "EMAIL_PORT": str(smtp_port),
        "REDRESS_PUBLIC_RATE": "",  # the load comes from one address
        "REDRESS_SLA_MANAGER_AFTER_MINUTES": "0",  # escalation with the breach
        "PYTHONUNBUFFERED": "1",
    }
    serve = spawn(["serve", "--host", HOST, "--port", str(port), "--workers",
                   str(options.web_workers), "--no-task-worker"], env, work / "serve.log")

    def start_worker(index: int) -> subprocess.Popen[bytes]:
        return spawn(["db_worker", "--interval", "0.2"], env, work / f"worker{index + 1}.log")

    workers = [start_worker(i) for i in range(options.task_workers)]
    try:
        wait_healthy(port, serve, work / "serve.log")
        print("Serving; load starts.", flush=True)
        tally = Tally()
        kills = Kills()
        began = time.monotonic()
        until = began + options.seconds
        threads = [threading.Thread(target=client, args=(port, token, until, tally, seed))
                   for seed in range(options.concurrency)]
        threads.append(threading.Thread(target=killer, kwargs={
            "every": options.kill_every, "until": until, "serve": serve, "workers": workers,
            "restart": start_worker, "kills": kills,
        }))
        for thread in threads:
            thread.start()
        while any(t.is_alive() for t in threads[:-1]):
            time.sleep(min(5.0, options.seconds / 3))
            with tally.lock:
                print(f"  {time.monotonic() - began:5.1f}s  {len(tally.answered)} answered 201, "
                      f"{tally.cut} cut, {len(tally.server_errors)} 5xx", flush=True)
        for thread in threads:
            thread.join()
        load_seconds = time.monotonic() - began
        print("Load over; waiting for the queue to drain.", flush=True)
        latest_due = datetime.now(UTC) + timedelta(seconds=4)
        drained = drain(latest_due)
        time.sleep(0.5)  # the last e-mails' SMTP sessions end
        figures = count(tally, mail)
    finally:
        for process in [*workers, serve]:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in [*workers, serve]:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        sink.stop()

    figures = {
        "bench": "faults", "database": database, "seconds": round(load_seconds, 1),
        "concurrency": options.concurrency, "web_workers": options.web_workers,
        "task_workers": options.task_workers, "task_workers_killed": kills.task_workers,
        "web_workers_killed": kills.web_workers, "drain_seconds": round(drained, 1),
        **figures,
    }
    failed = [name for name in FAILURES if figures[name]]
    figures["ok"] = not failed
    print()
    width = max(len(k) for k in figures)
    for key, value in figures.items():
        if key != "samples":
            print(f"  {key:<{width}}  {value}")
    if failed:
        print(f"\nFAILED: {', '.join(failed)}; samples: {figures['samples']}")
    print(json.dumps(figures, ensure_ascii=False))
    return 1 if failed else 0


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


if __name__ == "__main__":
    sys.exit(main())
