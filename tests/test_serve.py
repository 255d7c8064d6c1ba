"""`redress serve` as an operator runs it: a fresh installation answers, takes a complaint,
the task worker it started e-mails the apology through a real SMTP server, and SIGINT
(Ctrl-C) stops it cleanly with nothing left running."""

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

REDRESS = str(Path(sys.executable).with_name("redress"))
CUSTOMER_EMAIL = "zhou.customer@example.com"
APOLOGY = "周先生，非常抱歉，外卖送错了还迟到了一个小时。我们马上为您重新安排。"
START_TIMEOUT = 60  # seconds: migrating a fresh database on a slow 2-core machine
MAIL_TIMEOUT = 30
STOP_TIMEOUT = 15
POLL = 0.2
INHERITED_SETTINGS = {
    "DATABASE_URL", "DEBUG", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "DEFAULT_FROM_EMAIL",
    "REDRESS_TASK_BACKEND", "REDRESS_HOST", "PORT", "WEB_CONCURRENCY", "SECRET_KEY",
    "SECRET_KEY_FILE",
}


def _request(
    url: str, *, data: dict[str, Any] | None = None, token: str = ""
) -> tuple[int, dict[str, Any]]:
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    body = json.dumps(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers=headers)  # noqa: S310 - loopback
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def _process_tree(root: int) -> dict[int, str]:
    """Every live descendant of `root` with its command line, read from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # exited while we looked
        # The command name may hold spaces and brackets: fields follow the last ")".
        parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    tree: dict[int, str] = {}
    todo = [root]
    while todo:
        parent = todo.pop()
        for pid, ppid in parents.items():
            if ppid == parent and pid not in tree:
                tree[pid] = _cmdline(pid)
                todo.append(pid)
    return tree


def _cmdline(pid: int) -> str:
    try:
        return (Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip())
    except OSError:
        return ""


def _still_running(pid: int, cmdline: str) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    # A zombie has stopped; the same command line guards against a reused pid.
    return state != "Z" and _cmdline(pid) == cmdline


def test_serve_answers_sends_mail_from_its_worker_and_stops_on_ctrl_c(
    tmp_path, free_port, mail_sink
):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    # The served instance gets its own fresh SQLite in tmp_path, also when the suite runs on
    # PostgreSQL: with DATABASE_URL passed on, it would migrate and write into the real
    # database that URL names (the suite's test database is another one). Settings a
    # developer's shell may hold (mail server, hosts, debug) are not passed on either.
    env = {
        key: value for key, value in os.environ.items()
        if key not in INHERITED_SETTINGS and not key.startswith("EMAIL_")
    }
    env.update({
        "REDRESS_DATA_DIR": str(tmp_path / "data"),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(mail_sink.port),
        "REDRESS_PUBLIC_URL": base,
        "DJANGO_SUPERUSER_USERNAME": "admin",
        "DJANGO_SUPERUSER_EMAIL": "admin@example.com",
        "DJANGO_SUPERUSER_PASSWORD": "serve-test-password-2718",
        "PYTHONUNBUFFERED": "1",
    })
    log_path = tmp_path / "serve.log"
    with log_path.open("wb") as log:
        # Its own session: a Ctrl-C typed at the test run does not reach it, and whatever
        # happens the finally block can end the whole group it started.
        serve = subprocess.Popen(
            [REDRESS, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"],
            env=env, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        _serve_journey(serve, base, env, log_path, mail_sink)
    finally:
        # Whatever the outcome, nothing this test started outlives it (children left behind
        # by a failed stop are still in serve's process group).
        with contextlib.suppress(ProcessLookupError):
            os.killpg(serve.pid, signal.SIGKILL)
        serve.wait(timeout=STOP_TIMEOUT)


def _serve_journey(
    serve: subprocess.Popen[bytes], base: str, env: dict[str, str], log_path: Path,
    mail_sink: Any,
) -> None:
    def log() -> str:
        return log_path.read_text(errors="replace")

    deadline = time.monotonic() + START_TIMEOUT
    health: tuple[int, Any] = (0, None)
    while time.monotonic() < deadline and serve.poll() is None:
        try:
            health = _request(f"{base}/healthz")
        except OSError:
            health = (0, None)  # not listening yet
        if health[0] == 200:
            break
        time.sleep(POLL)
    assert health == (200, {"status": "ok"}), f"not healthy in {START_TIMEOUT}s:\n{log()}"

    def redress(*args: str) -> str:
        done = subprocess.run(
            [REDRESS, *args], env=env, capture_output=True, text=True, timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    redress("createsuperuser", "--noinput")
    token = redress("token", "create", "admin").splitlines()[-1].strip()

    status, receipt = _request(f"{base}/api/v1/public/complaints", data={
        "description": "外卖送错了，还晚了一个小时，打电话也没人接。",
        "name": "周先生", "email": CUSTOMER_EMAIL,
    })
    assert status == 201, receipt
    reference = receipt["reference"]

    status, moved = _request(f"{base}/api/v1/cases/{reference}/transitions", token=token,
                             data={"to": "acknowledged", "message": APOLOGY})
    assert status == 200, moved
    assert moved["status"] == "acknowledged"

    # Only the task worker `serve` started sends e-mail: this arrives through it or not at all.
    apologies = mail_sink.wait_for(CUSTOMER_EMAIL, containing=APOLOGY, timeout=MAIL_TIMEOUT)
    assert len(apologies) == 1, f"no apology e-mail in {MAIL_TIMEOUT}s:\n{log()}"
    assert reference in apologies[0].subject
    assert f"{base}/track/{receipt['tracking_code']}/" in apologies[0].text

    children = _process_tree(serve.pid)
    assert any("gunicorn" in cmd for cmd in children.values()), children
    assert any("db_worker" in cmd for cmd in children.values()), children

    serve.send_signal(signal.SIGINT)
    try:
        code = serve.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"serve still running {STOP_TIMEOUT}s after Ctrl-C:\n{log()}")
    assert code == 0, log()
    left = {pid: cmd for pid, cmd in children.items() if _still_running(pid, cmd)}
    assert not left, f"still running after serve stopped: {left}"
