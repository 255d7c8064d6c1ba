"""How many complaints a second does Redress take in, beside its peer and the machine's limit?

In one run, on this machine, one after the other (each server alone on the cores, sharing
them with the load generator):
- the limit: a bare Django endpoint doing one SQLite INSERT per request, and one answering
  a constant JSON document (bench/bare_app.py), on the gunicorn settings of `redress serve`;
- Redress: `redress serve` in its production configuration (DEBUG off, its gunicorn
  workers, the task worker running, SQLite in a throwaway data directory, the demo
  organisation without cases), complaints posted to `POST /api/v1/cases` (staff token,
  a fresh Idempotency-Key each) and to `POST /api/v1/public/complaints`, with triage, SLA
  clocks and the acknowledgement (e-mail through the task worker) on. The public rate
  limit is off (REDRESS_PUBLIC_RATE=""): every request comes from one address;
- django-helpdesk, through ../shared/bench/django_helpdesk/run.sh (its ticket creation
  through its REST API, token auth), when that directory is there.

Each endpoint is measured with wrk (bench/intake.lua: every complaint different, Chinese
and English, from the triage seed corpus) at concurrency 8 and 32 for a fixed time, after
a warm-up. Afterwards the cases stored are counted against the 2xx answers, and the
pipeline is checked: one triage record, one clock and one acknowledgement per case (wrk
stops with up to c requests in flight, which the server still stores: stored ≥ 2xx). The
CPU seconds of the web workers, the task worker, wrk and every other process are recorded
for each measurement: on a shared machine the last says how disturbed a figure is.

    .venv/bin/python bench/intake.py [--seconds 15] [--no-peer] [--profile]

Needs wrk (Debian: `apt-get install wrk`). Prints the measurements, a table and the
ratios, writes bench/out/intake.png (with the `bench` extra: matplotlib), and ends with one
JSON line. Goals (the speed issue): ≥ 5× django-helpdesk's creations/s at c=8 and c=32 with p99
≤ 1/3 of its p99; aim for 60% of the one-insert limit.
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import resource
import secrets
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out"
LUA = REPO / "bench" / "intake.lua"
CORPUS = REPO / "redress" / "triage" / "corpus"
PEER = REPO.parent / "shared" / "bench" / "django_helpdesk"
PYTHON = sys.executable
HOST = "127.0.0.1"
WORKERS = 2 * (os.cpu_count() or 1)  # what `redress serve` starts without --workers
API = "/api/v1/cases"
PUBLIC = "/api/v1/public/complaints"
# What bench/bare_app.py inserts into.
BARE_TABLE = ("CREATE TABLE complaint (id INTEGER PRIMARY KEY AUTOINCREMENT, "
              "received_at TEXT NOT NULL, body TEXT NOT NULL)")
# The demo's frontline agent: cases it records land in its department.
AGENT = "agent1"

TARGETS = {
    "bare-json": "bare Django, constant JSON",
    "bare-insert": "bare Django, one INSERT",
    "redress-api": "Redress POST /api/v1/cases",
    "redress-public": "Redress POST /api/v1/public/complaints",
    "helpdesk-api": "django-helpdesk POST /api/tickets/",
}


def say(message: str = "") -> None:
    print(message, flush=True)


def stamp() -> str:
    return datetime.now().strftime("%H:%M:%S")


# ---- load generation ---------------------------------------------------------------------
def wrk_present() -> None:
    if shutil.which("wrk") is None:
        sys.exit(
            "wrk is not installed. It generates the load (bench/intake.lua builds each "
            "complaint); on Debian or Ubuntu: apt-get install -y wrk"
        )


def texts_write(path: Path) -> tuple[int, int]:
    """The seed corpus as a Lua table of JSON-escaped strings, by language."""
    pools: dict[str, list[str]] = {"zh": [], "en": []}
    for file in sorted(CORPUS.glob("*.jsonl")):
        for line in file.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            entry = json.loads(line)
            text = json.dumps(entry["text"], ensure_ascii=False)[1:-1]
            if "]==]" not in text:  # cannot occur in a Lua long string
                pools["en" if entry.get("lang") == "en" else "zh"].append(text)
    if not pools["zh"] or not pools["en"]:
        sys.exit(f"no seed corpus under {CORPUS}")
    with path.open("w", encoding="utf-8") as handle:
        handle.write("return {\n")
        for lang, texts in pools.items():
            handle.write(f"{lang} = {{\n")
            handle.writelines(f"[==[{t}]==],\n" for t in texts)
            handle.write("},\n")
        handle.write("}\n")
    return len(pools["zh"]), len(pools["en"])


def wrk(label: str, url: str, *, mode: str, concurrency: int, seconds: int, work: Path,
        texts: Path, token: str = "") -> dict:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    wrk_cpu_before = usage.ru_utime + usage.ru_stime
    env = {**os.environ, "WRK_MODE": mode, "WRK_TOKEN": token, "WRK_TEXTS": str(texts),
           "WRK_RUN": f"{label}-{secrets.token_hex(4)}", "WRK_LABEL": label}
    done = subprocess.run(  # noqa: S603 - fixed argv
        [shutil.which("wrk") or "wrk", "-t1", f"-c{concurrency}", f"-d{seconds}s",
         "--timeout", "30s", "--latency", "-s", str(LUA), url],
        capture_output=True, text=True, env=env, check=False,
    )
    wrk_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    wrk_cpu_s = wrk_cpu.ru_utime + wrk_cpu.ru_stime - wrk_cpu_before
    (work / f"wrk_{label}.txt").write_text(done.stdout + done.stderr, encoding="utf-8")
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            return {**json.loads(line[len("RESULT "):]), "wrk_cpu_s": round(wrk_cpu_s, 2)}
    sys.exit(f"wrk gave no result for {label}:\n{done.stdout}\n{done.stderr}")


# ---- servers -----------------------------------------------------------------------------
class Server:
    """A child process (its output to a log file), stopped by SIGTERM to its own id."""

    def __init__(self, argv: list[str], *, env: dict, log: Path, cwd: Path = REPO) -> None:
        self.log = log
        self.handle = log.open("wb")
        self.process = subprocess.Popen(  # noqa: S603 - fixed argv
            argv, env=env, cwd=cwd, stdout=self.handle, stderr=subprocess.STDOUT
        )

    def wait_ready(self, url: str, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(url, timeout=2) as answer:  # noqa: S310 - loopback
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.3)
        self.stop()
        tail = self.log.read_text(encoding="utf-8", errors="replace")[-3000:]
        sys.exit(f"server did not answer {url}; its log ({self.log}) ends:\n{tail}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.handle.close()


def tree_cpu(pid: int) -> dict[str, float]:
    """CPU seconds used so far by a server's processes, web workers apart from the task
    worker (empty without psutil, from the `bench` extra)."""
    try:
        import psutil
    except ImportError:
        return {}
    total = psutil.cpu_times()
    used = {"web": 0.0, "tasks": 0.0,
            "machine": sum(total) - total.idle - getattr(total, "iowait", 0.0)}
    try:
        processes = [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        return {}
    for process in processes:
        try:
            times = process.cpu_times()
            role = "tasks" if "db_worker" in process.cmdline() else "web"
        except psutil.NoSuchProcess:
            continue
        used[role] += times.user + times.system
    return used


def cpu_used(server: "Server", before: dict[str, float]) -> dict[str, float]:
    after = tree_cpu(server.process.pid)
    return {role: round(after[role] - before[role], 2) for role in before if role in after}


def gunicorn_argv(app: str, port: int, workers: int) -> list[str]:
    # As redress/config/management/commands/serve.py starts the web server.
    return [PYTHON, "-m", "gunicorn", app, "--bind", f"{HOST}:{port}", "--workers",
            str(workers), "--graceful-timeout", "5", "--access-logfile", "-",
            "--error-logfile", "-"]


def post(url: str, body: dict, headers: dict) -> tuple[int, str]:
    request = urllib.request.Request(  # noqa: S310 - loopback
        url, data=json.dumps(body).encode(), method="POST",
        headers={"Content-Type": "application/json", **headers},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def scalar(db: Path | str, sql: str, *params: object) -> int:
    """One number from the database: an SQLite file, or a PostgreSQL URL (`--postgres`)."""
    if isinstance(db, str):
        import psycopg

        with psycopg.connect(db) as connection:
            row = connection.execute(sql.replace("?", "%s"), params).fetchone()
        return int(row[0]) if row else 0
    with sqlite3.connect(db, timeout=30) as connection:
        return int(connection.execute(sql, params).fetchone()[0])


def row(target: str, concurrency: int, result: dict, stored: int | None,
        cpu: dict[str, float] | None = None) -> dict:
    ok = result["requests"] - result["non2xx3xx"]
    socket_errors = sum(result[k] for k in ("connect_err", "read_err", "write_err",
                                            "timeout_err"))
    return {
        "target": target, "c": concurrency, "requests": result["requests"],
        "seconds": result["seconds"], "rps": result["rps"], "p50_ms": result["p50_ms"],
        "p90_ms": result["p90_ms"], "p99_ms": result["p99_ms"], "max_ms": result["max_ms"],
        "ok": ok, "non2xx": result["non2xx3xx"], "socket_errors": socket_errors,
        "stored": stored,
        # Where the two cores went: web workers, the task worker, wrk (CPU seconds).
        "cpu_web_s": (cpu or {}).get("web"), "cpu_tasks_s": (cpu or {}).get("tasks"),
        "cpu_wrk_s": result.get("wrk_cpu_s"),
        # Other work on the machine meanwhile (it is shared): what the figures lost to it.
        "cpu_other_s": (round(cpu["machine"] - cpu["web"] - cpu["tasks"]
                              - result.get("wrk_cpu_s", 0), 2) if cpu else None),
        "web_cpu_ms_per_request": (round(1000 * cpu["web"] / result["requests"], 1)
                                   if cpu and result["requests"] else None),
    }


def say_row(r: dict) -> None:
    stored = "" if r["stored"] is None else f", stored {r['stored']}"
    say(f"  [{stamp()}] {r['target']:<15} c={r['c']:<3} {r['rps']:>8.1f} req/s  "
        f"p50 {r['p50_ms']:>7.1f} ms  p99 {r['p99_ms']:>7.1f} ms  "
        f"non-2xx {r['non2xx']}  socket errors {r['socket_errors']}{stored}")
    if r["cpu_web_s"] is not None:
        say(f"      CPU s: web {r['cpu_web_s']}, task worker {r['cpu_tasks_s']}, wrk "
            f"{r['cpu_wrk_s']}, other processes {r['cpu_other_s']} (of "
            f"{(os.cpu_count() or 1) * r['seconds']:.0f} available); web "
            f"{r['web_cpu_ms_per_request']} ms CPU per request")


# ---- the limit ---------------------------------------------------------------------------
def measure_bare(args: argparse.Namespace, work: Path, texts: Path) -> list[dict]:
    db = work / "bare.sqlite3"
    with sqlite3.connect(db) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute(BARE_TABLE)
    port = args.port + 1
    base = f"http://{HOST}:{port}"
    env = {**os.environ, "BARE_DB": str(db), "PYTHONPATH": str(REPO)}
    say(f"[{stamp()}] bare Django: gunicorn, {args.workers} workers, on {base}")
    server = Server(gunicorn_argv("bench.bare_app:application", port, args.workers), env=env,
                    log=work / "bare.log")
    rows = []
    try:
        server.wait_ready(f"{base}/json")
        for label, mode, path in (("bare-json", "get", "/json"),
                                  ("bare-insert", "public", "/insert")):
            wrk(f"warmup-{label}", base + path, mode=mode, concurrency=8,
                seconds=args.warmup, work=work, texts=texts)
            for c in args.levels:
                before = scalar(db, "SELECT COUNT(*) FROM complaint")
                cpu = tree_cpu(server.process.pid)
                result = wrk(f"{label}-c{c}", base + path, mode=mode, concurrency=c,
                             seconds=args.seconds, work=work, texts=texts)
                used = cpu_used(server, cpu)
                time.sleep(1)  # the requests cut off by wrk's stop still finish
                stored = (scalar(db, "SELECT COUNT(*) FROM complaint") - before
                          if mode != "get" else None)
                rows.append(row(label, c, result, stored, used))
                say_row(rows[-1])
    finally:
        server.stop()
    return rows


# ---- Redress -----------------------------------------------------------------------------
def redress_env(data_dir: Path, postgres: str = "") -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    if postgres:
        env["DATABASE_URL"] = postgres
    env.update({
        "REDRESS_DATA_DIR": str(data_dir), "DEBUG": "0", "PYTHONPATH": str(REPO),
        "DJANGO_SETTINGS_MODULE": "redress.config.settings",
        # All the load comes from one address: the per-address limit would refuse it.
        "REDRESS_PUBLIC_RATE": "",
    })
    return env


def redress_command(env: dict, *argv: str) -> str:
    done = subprocess.run(  # noqa: S603 - fixed argv
        [PYTHON, "-m", "redress.config.cli", *argv], env=env, cwd=REPO,
        capture_output=True, text=True, check=False,
    )
    if done.returncode != 0:
        sys.exit(f"redress {' '.join(argv)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def tasks_due(db: Path | str) -> int:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    # django-tasks-db stores "no run_after" as the year 9999. (A bare '9999' would be
    # compared as a number against the column's text, and every row would match.)
    return scalar(db, "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult "
                      "WHERE status IN ('READY', 'RUNNING') "
                      "AND (run_after <= ? OR run_after >= '9999-01-01')", now)


def drain(db: Path | str, limit: float) -> float:
    """Seconds until the task worker has run every task already due (at most `limit`)."""
    started = time.monotonic()
    while tasks_due(db) and time.monotonic() - started < limit:
        time.sleep(0.5)
    return round(time.monotonic() - started, 1)


def measure_redress(args: argparse.Namespace, work: Path,
                    texts: Path) -> tuple[list[dict], dict, str]:
    data_dir = work / "redress"
    db: Path | str = args.postgres or data_dir / "redress.sqlite3"
    env = redress_env(data_dir, args.postgres)
    say(f"[{stamp()}] Redress: migrate, demo organisation ({args.demo_cases} cases), token")
    redress_command(env, "migrate", "-v0")
    redress_command(env, "demo", "--cases", str(args.demo_cases))
    token = redress_command(env, "token", "create", AGENT).strip()
    base = f"http://{HOST}:{args.port}"
    say(f"[{stamp()}] redress serve on {base} ({args.workers} web workers and the task worker)")
    server = Server([PYTHON, "-m", "redress.config.cli", "serve", "--port", str(args.port),
                     "--workers", str(args.workers)],
                    env=env, log=work / "redress.log")
    rows: list[dict] = []
    drains: dict[str, float] = {}
    try:
        server.wait_ready(f"{base}/healthz")
        smoke = [
            post(base + API, {"description": "房间空调坏了，一晚上没睡。",
                              "customer": {"name": "王先生", "phone": "13900000000"}},
                 {"Authorization": f"Bearer {token}", "Idempotency-Key": "smoke"}),
            post(base + PUBLIC, {"description": "The room was dirty.", "name": "Ann Lee",
                                 "email": "ann@example.com"}, {}),
        ]
        for status, body in smoke:
            if status != 201:
                server.stop()
                sys.exit(f"smoke request answered {status}: {body}")
        for label, mode, path in (("redress-api", "api", API),
                                  ("redress-public", "public", PUBLIC)):
            wrk(f"warmup-{label}", base + path, mode=mode, concurrency=8,
                seconds=args.warmup, work=work, texts=texts, token=token)
            drain(db, args.drain)
            for c in args.levels:
                before = scalar(db, "SELECT COUNT(*) FROM cases_case")
                cpu = tree_cpu(server.process.pid)
                result = wrk(f"{label}-c{c}", base + path, mode=mode, concurrency=c,
                             seconds=args.seconds, work=work, texts=texts, token=token)
                used = cpu_used(server, cpu)
                time.sleep(1)
                stored = scalar(db, "SELECT COUNT(*) FROM cases_case") - before
                rows.append(row(label, c, result, stored, used))
                due = tasks_due(db)
                drains[f"{label}-c{c}"] = drain(db, args.drain)
                say_row(rows[-1])
                say(f"      tasks due at the end: {due}; the worker caught up in "
                    f"{drains[f'{label}-c{c}']} s")
        checks_memory = worker_memory(server.process.pid)
        say(f"      resident memory after the load: web workers {checks_memory['web_mb']} MB "
            f"each (largest {checks_memory['web_mb_max']} MB), task worker "
            f"{checks_memory['task_worker_mb']} MB")
    finally:
        server.stop()
    checks = pipeline_checks(db, drains)
    checks["memory"] = checks_memory
    return rows, checks, token


def worker_memory(pid: int) -> dict:
    """Resident memory of `redress serve`'s children: the gunicorn workers (the master's
    children) and the task worker (empty without psutil, from the `bench` extra)."""
    try:
        import psutil
    except ImportError:
        return {}
    web: list[float] = []
    task_worker = 0.0
    for child in psutil.Process(pid).children(recursive=True):
        try:
            command = " ".join(child.cmdline())
            rss = child.memory_info().rss / 2**20
            parent = child.parent()
        except psutil.NoSuchProcess:
            continue
        if "gunicorn" in command and parent is not None and "gunicorn" in " ".join(
                parent.cmdline()):
            web.append(rss)
        elif "db_worker" in command:
            task_worker = rss
    return {"web_workers": len(web),
            "web_mb": round(sum(web) / len(web), 1) if web else None,
            "web_mb_max": round(max(web), 1) if web else None,
            "task_worker_mb": round(task_worker, 1)}


def pipeline_checks(db: Path | str, drains: dict[str, float]) -> dict:
    """Every stored case went through the whole intake: read, clocked, acknowledged."""
    count = lambda sql: scalar(db, sql)  # noqa: E731
    cases = count("SELECT COUNT(*) FROM cases_case")
    checks = {
        "cases": cases,
        "triage_records": count("SELECT COUNT(*) FROM triage_triagerecord"),
        "clocks": count("SELECT COUNT(*) FROM sla_caseclock"),
        "acknowledgements": count(
            "SELECT COUNT(*) FROM cases_caseevent WHERE kind = 'auto_ack'"),
        "emails": count("SELECT COUNT(*) FROM notify_outboundemail"),
        "emails_sent": count("SELECT COUNT(*) FROM notify_outboundemail WHERE status = 'sent'"),
        "idempotency_records": count("SELECT COUNT(*) FROM intake_idempotencyrecord"),
        "tasks_due_left": tasks_due(db),
        "drain_seconds": drains,
    }
    checks["complete"] = (checks["triage_records"] == checks["clocks"]
                          == checks["acknowledgements"] == cases)
    return checks


# ---- django-helpdesk ---------------------------------------------------------------------
def measure_peer(args: argparse.Namespace, work: Path) -> list[dict]:
    run_sh = PEER / "run.sh"
    if not run_sh.exists():
        say(f"[{stamp()}] {run_sh} is not there: django-helpdesk not measured")
        return []
    dh_work = Path(os.environ.get("DH_WORK", "/tmp/dh"))  # noqa: S108 - run.sh's default
    env = {**os.environ, "DH_WORK": str(dh_work), "API_DUR": str(args.seconds),
           "API_CONCS": " ".join(map(str, args.levels)),
           # Only its ticket creation is compared here: a small bulk load, no page runs.
           "N_TICKETS": "1000", "PAGE_CONCS": " ",
           "REUSE_VENV": "0" if args.peer_rebuild else "1"}
    env.pop("PYTHONPATH", None)
    say(f"[{stamp()}] django-helpdesk: {run_sh} (DH_WORK={dh_work}; the first time it "
        "builds from PyPI)")
    log = work / "helpdesk.log"
    with log.open("w", encoding="utf-8") as handle:
        done = subprocess.run(["bash", str(run_sh)], env=env, stdout=handle,  # noqa: S603,S607
                              stderr=subprocess.STDOUT, check=False)
    results = dh_work / "results"
    if done.returncode != 0 or not (results / "results.jsonl").exists():
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
        say(f"  run.sh failed (exit {done.returncode}); its log ends:\n{tail}")
        return []
    created: dict[str, int] = {}
    for line in (results / "checks.txt").read_text(encoding="utf-8").splitlines():
        parts = dict(p.split("=", 1) for p in line.split()[2:] if "=" in p)
        if line.startswith("CHECK ") and "tickets_created" in parts:
            created[line.split()[1]] = int(parts["tickets_created"])
    rows = []
    for line in (results / "results.jsonl").read_text(encoding="utf-8").splitlines():
        result = json.loads(line)
        for c in args.levels:
            if result["label"] == f"api_create_token_c{c}":
                rows.append(row("helpdesk-api", c, result, created.get(result["label"])))
                say_row(rows[-1])
    return rows


# ---- one request, profiled ---------------------------------------------------------------
def profile_child(args: argparse.Namespace) -> None:
    """Profiles API intake in-process (Django's test client, no server): the top costs."""
    os.environ.update(redress_env(Path(args.data_dir)))
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    headers = {"Authorization": f"Bearer {args.token}"}
    pools = [json.loads(line)["text"] for file in sorted(CORPUS.glob("*.jsonl"))
             for line in file.read_text(encoding="utf-8").splitlines() if line.strip()]

    def send(n: int) -> None:
        body = {"description": f"{pools[n % len(pools)]} {pools[(n * 7) % len(pools)]}",
                "customer": {"name": "王先生", "phone": f"139{n:08d}",
                             "email": f"p{n}@example.com"}}
        answer = client.post(API, body, content_type="application/json",
                             headers={**headers, "Idempotency-Key": f"profile-{n}"})
        assert answer.status_code == 201, answer.content

    for n in range(20):
        send(n)
    # CPU time as well as wall time: on a shared machine the wall clock counts the others.
    count = args.profile_requests
    started, cpu = time.perf_counter(), time.process_time()
    for n in range(20, 20 + count):
        send(n)
    wall_ms = (time.perf_counter() - started) * 1000 / count
    cpu_ms = (time.process_time() - cpu) * 1000 / count
    profiler = cProfile.Profile()
    profiler.enable()
    for n in range(20 + count, 20 + 2 * count):
        send(n)
    profiler.disable()
    sink = io.StringIO()
    stats = pstats.Stats(profiler, stream=sink)
    stats.sort_stats("cumulative").print_stats(r"redress|ninja|django/db|rapidfuzz|jieba", 40)
    stats.sort_stats("tottime").print_stats(15)
    print(f"API intake in-process, {count} requests: {cpu_ms:.1f} ms CPU and {wall_ms:.1f} ms "
          f"wall per request (unprofiled); the profile of {count} more follows")
    print(sink.getvalue())


def profile(work: Path, token: str, requests: int) -> None:
    say(f"[{stamp()}] profiling {requests} API intake requests in-process (cProfile)")
    done = subprocess.run(  # noqa: S603 - fixed argv
        [PYTHON, __file__, "--profile-child", "--data-dir", str(work / "redress"),
         "--token", token, "--profile-requests", str(requests)],
        capture_output=True, text=True, check=False, cwd=REPO,
    )
    path = OUT / "intake-profile.txt"
    path.write_text(done.stdout + done.stderr, encoding="utf-8")
    say("\n".join(done.stdout.splitlines()[:70]))
    say(f"  full profile: {path}")


# ---- report ------------------------------------------------------------------------------
def table(rows: list[dict]) -> None:
    say("")
    say(f"{'target':<16}{'c':>4}{'req/s':>9}{'p50 ms':>9}{'p90 ms':>9}{'p99 ms':>9}"
        f"{'max ms':>9}{'2xx':>8}{'non-2xx':>8}{'sockerr':>8}{'stored':>8}"
        f"{'CPU ms/req':>11}")
    for r in rows:
        stored = "-" if r["stored"] is None else str(r["stored"])
        cpu = r.get("web_cpu_ms_per_request")
        cpu_text = "-" if cpu is None else f"{cpu:.1f}"
        say(f"{r['target']:<16}{r['c']:>4}{r['rps']:>9.1f}{r['p50_ms']:>9.1f}"
            f"{r['p90_ms']:>9.1f}{r['p99_ms']:>9.1f}{r['max_ms']:>9.1f}{r['ok']:>8}"
            f"{r['non2xx']:>8}{r['socket_errors']:>8}{stored:>8}{cpu_text:>11}")


def ratios(rows: list[dict], levels: tuple[int, ...]) -> dict:
    by = {(r["target"], r["c"]): r for r in rows}
    found: dict[str, dict] = {}
    for target in ("redress-api", "redress-public"):
        for c in levels:
            mine = by.get((target, c))
            if mine is None:
                continue
            entry: dict[str, float] = {}
            if (peer := by.get(("helpdesk-api", c))) and peer["rps"]:
                entry["rps_vs_helpdesk"] = round(mine["rps"] / peer["rps"], 2)
                entry["p99_vs_helpdesk"] = round(mine["p99_ms"] / peer["p99_ms"], 3)
            for limit in ("bare-insert", "bare-json"):
                if (bare := by.get((limit, c))) and bare["rps"]:
                    entry[f"rps_vs_{limit}"] = round(mine["rps"] / bare["rps"], 3)
            found[f"{target}-c{c}"] = entry
    return found


def say_ratios(found: dict) -> None:
    say("")
    say(f"{'ratio':<22}{'req/s ÷ helpdesk':>18}{'p99 ÷ helpdesk':>16}"
        f"{'÷ one INSERT':>14}{'÷ bare JSON':>13}")
    for name, entry in found.items():
        cells = [entry.get("rps_vs_helpdesk"), entry.get("p99_vs_helpdesk"),
                 entry.get("rps_vs_bare-insert"), entry.get("rps_vs_bare-json")]
        texts = ["-" if v is None else f"{v:.2f}" for v in cells]
        say(f"{name:<22}{texts[0]:>18}{texts[1]:>16}{texts[2]:>14}{texts[3]:>13}")
    say("goals: req/s ÷ helpdesk ≥ 5, p99 ÷ helpdesk ≤ 0.33, ÷ one INSERT ≥ 0.60 (aim)")


def goals(found: dict) -> dict:
    met: dict[str, bool] = {}
    for name, entry in found.items():
        if name.startswith("redress-api") and "rps_vs_helpdesk" in entry:
            met[f"{name} ≥5x helpdesk"] = entry["rps_vs_helpdesk"] >= 5
            met[f"{name} p99 ≤1/3 helpdesk"] = entry["p99_vs_helpdesk"] <= 1 / 3
        if "rps_vs_bare-insert" in entry:
            met[f"{name} ≥60% of one INSERT"] = entry["rps_vs_bare-insert"] >= 0.6
    return met


def chart(rows: list[dict], levels: tuple[int, ...], workers: int) -> Path | None:
    from charting import pyplot

    plt = pyplot(say)
    if plt is None:
        return None
    OUT.mkdir(parents=True, exist_ok=True)
    targets = [t for t in TARGETS if any(r["target"] == t for r in rows)]
    by = {(r["target"], r["c"]): r for r in rows}
    figure, (left, right) = plt.subplots(1, 2, figsize=(14, 5))
    width = 0.8 / len(levels)
    for n, c in enumerate(levels):
        xs = [i + n * width for i in range(len(targets))]
        rps = [by[(t, c)]["rps"] if (t, c) in by else 0 for t in targets]
        p99 = [by[(t, c)]["p99_ms"] if (t, c) in by else 0 for t in targets]
        bars = left.bar(xs, rps, width, label=f"c={c}")
        left.bar_label(bars, fmt="%.0f", fontsize=7)
        bars = right.bar(xs, p99, width, label=f"c={c}")
        right.bar_label(bars, fmt="%.0f", fontsize=7)
    for axis, title in ((left, "requests per second (higher is better, log scale)"),
                        (right, "p99 latency, ms (lower is better, log scale)")):
        axis.set_xticks([i + width / 2 for i in range(len(targets))])
        axis.set_xticklabels(targets, rotation=20, ha="right", fontsize=8)
        axis.set_title(title)
        axis.legend(fontsize=8)
    left.set_yscale("log")
    right.set_yscale("log")
    figure.suptitle(f"intake on {os.cpu_count()} cores, wrk on the same cores, "
                    f"{workers} gunicorn workers, SQLite")
    figure.tight_layout()
    path = OUT / "intake.png"
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=15, help="each measurement (15)")
    parser.add_argument("--concurrency", default="8,32",
                        help="comma-separated concurrency levels (8,32)")
    parser.add_argument("--workers", type=int, default=WORKERS,
                        help=f"gunicorn workers for Redress and the bare server ({WORKERS}, "
                             "as `redress serve` starts)")
    parser.add_argument("--warmup", type=int, default=3, help="warm-up per endpoint (3)")
    parser.add_argument("--drain", type=float, default=60,
                        help="longest wait for the task worker to catch up after a run (60)")
    parser.add_argument("--port", type=int, default=18801,
                        help="Redress's port; the bare server takes the next one")
    parser.add_argument("--demo-cases", type=int, default=0,
                        help="demo cases loaded before the run (0)")
    parser.add_argument("--no-peer", action="store_true", help="skip django-helpdesk")
    parser.add_argument("--peer-rebuild", action="store_true",
                        help="rebuild django-helpdesk's virtualenv even if one is there")
    parser.add_argument("--no-bare", action="store_true", help="skip the bare limit")
    parser.add_argument("--postgres", default="", metavar="URL",
                        help="run Redress on this empty PostgreSQL database instead of SQLite "
                             "(the bare limit and django-helpdesk stay on SQLite)")
    parser.add_argument("--profile", action="store_true",
                        help="then profile API intake in-process (cProfile)")
    parser.add_argument("--profile-requests", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    parser.add_argument("--profile-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", default="", help=argparse.SUPPRESS)
    parser.add_argument("--token", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.profile_child:
        profile_child(args)
        return
    wrk_present()
    args.levels = tuple(int(c) for c in args.concurrency.split(","))
    sys.path.insert(0, str(REPO))
    work = Path(tempfile.mkdtemp(prefix="redress-intake-"))
    texts = work / "texts.lua"
    zh, en = texts_write(texts)
    say(f"intake benchmark: {args.seconds} s per measurement at c={args.levels}, "
        f"{os.cpu_count()} cores, wrk -t1 on the same cores; texts {zh} zh + {en} en; "
        f"work directory {work}")
    rows: list[dict] = []
    checks: dict = {}
    failed = True
    try:
        if not args.no_bare:
            rows += measure_bare(args, work, texts)
        redress_rows, checks, token = measure_redress(args, work, texts)
        rows += redress_rows
        if not args.no_peer:
            rows += measure_peer(args, work)
        if args.profile:
            profile(work, token, args.profile_requests)
        failed = False
    finally:
        if args.keep or failed:
            say(f"work directory kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    table(rows)
    found = ratios(rows, args.levels)
    say_ratios(found)
    met = goals(found)
    for name, ok in met.items():
        say(f"  {'met   ' if ok else 'MISSED'} {name}")
    say("")
    lost = [r for r in rows if r["stored"] is not None and r["stored"] < r["ok"]]
    for r in rows:
        if r["stored"] is not None and r["target"] != "bare-json":
            # wrk stops with up to c requests in flight: the server still stores them.
            say(f"stored vs 2xx, {r['target']} c={r['c']}: {r['stored']} stored, {r['ok']} "
                f"answered 2xx, {r['stored'] - r['ok']} cut off in flight by wrk's stop")
    say(f"Redress pipeline: {checks.get('cases')} cases, {checks.get('triage_records')} "
        f"triage records, {checks.get('clocks')} clocks, {checks.get('acknowledgements')} "
        f"acknowledgements, {checks.get('emails_sent')}/{checks.get('emails')} e-mails sent, "
        f"{checks.get('tasks_due_left')} tasks due left; complete: {checks.get('complete')}")
    if lost:
        say(f"LOST: fewer cases stored than 2xx answers in {[r['target'] for r in lost]}")
    path = chart(rows, args.levels, args.workers)
    if path:
        say(f"chart: {path}")
    print(json.dumps({
        "seconds": args.seconds, "cores": os.cpu_count(), "workers": args.workers,
        "results": rows, "ratios": found, "goals_met": met, "checks": checks,
        "lost": len(lost),
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
