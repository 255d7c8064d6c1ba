"""How late are escalations when a burst of deadlines passes at once?

Builds N open cases (default 100,000) whose first-response deadlines all fall within the
next minute, on a fresh SQLite database, arms their alarms the way intake does, starts
one task worker (`redress db_worker`), and measures for every case the lag between its
deadline and its escalation entry on the timeline: p50, p99 and max. Then times the
deadline arithmetic itself, per case, on the business calendar and around the clock.

    .venv/bin/python bench/sla.py [--cases 100000] [--window 60]

Prints progress, a histogram, writes bench/out/sla_lag.png, and ends with one JSON line.
Goals (the SLA issue): p99 lag under 2 s; deadline computation under 50 µs per case.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out"


def setup_django(data_dir: str) -> None:
    os.environ["REDRESS_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "redress.config.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def progress(label: str, done: int, total: int) -> None:
    width = 30
    filled = int(width * done / max(total, 1))
    print(f"\r{label:<28} [{'#' * filled}{'.' * (width - filled)}] {done:>7}/{total}",
          end="", flush=True)
    if done >= total:
        print()


def build_cases(count: int) -> None:
    """N open P2 cases with their clocks, deadlines not yet set (see `schedule`)."""
    from django.db import transaction

    from redress.accounts.models import Department, Organisation, Role, User
    from redress.cases.models import Case, CaseEvent, Customer, EventKind, Priority, Status
    from redress.common import clock
    from redress.sla.models import CaseClock, SlaPolicy

    organisation = Organisation.objects.create(name="压测酒店")
    department = Department.objects.create(organisation=organisation, name="前台",
                                           is_default_intake=True)
    User.objects.create_user(username="sup", role=Role.SUPERVISOR, department=department)
    policy = SlaPolicy.objects.get(priority=Priority.P2)
    later = clock.now() + timedelta(days=1)
    chunk = 5000
    for offset in range(0, count, chunk):
        size = min(chunk, count - offset)
        with transaction.atomic():
            customers = Customer.objects.bulk_create(
                Customer(name=f"客户{offset + i}", phone="13900000000") for i in range(size)
            )
            cases = Case.objects.bulk_create(
                Case(reference=f"SR-BENCH-{offset + i:07d}", tracking_code=f"b{offset + i}",
                     customer=customer, channel="phone", received_at=later,
                     description="空调坏了，房间太热，一晚上没睡", priority=Priority.P2,
                     status=Status.NEW, department=department)
                for i, customer in enumerate(customers)
            )
            CaseEvent.objects.bulk_create(
                CaseEvent(case=case, kind=EventKind.CREATED, to_status=Status.NEW)
                for case in cases
            )
            CaseClock.objects.bulk_create(
                CaseClock(case=case, policy=policy, started_at=later, first_response_due=later,
                          resolution_due=later, followed_event_id=10**12)
                for case in cases
            )
        progress("cases with clocks", offset + size, count)


def schedule(count: int, window: float) -> datetime:
    """Give the clocks their deadlines, spread evenly over `window` seconds starting a
    little after the updates are done, and arm the alarms the way intake does."""
    from django.db import transaction

    from redress.common import clock
    from redress.sla.models import CaseClock
    from redress.sla.services import Stage, _alarm_set, _ceil_second, _save_clocks

    # Writing the deadlines takes a few seconds; they start only after that.
    start = clock.now() + timedelta(seconds=5 + count / 20_000)
    rows = list(CaseClock.objects.order_by("case_id"))
    for i, row in enumerate(rows):
        due = start + timedelta(seconds=window * i / count)
        row.started_at = due - timedelta(minutes=15)
        row.first_response_due = due
        row.resolution_due = due + timedelta(hours=72)
        row.next_check_at = due
        # The 80% warning is taken as already given: the bench measures breaches.
        row.stages_done = [Stage("first_response", "warn", due, due).key]
    with transaction.atomic():
        for offset in range(0, len(rows), 5000):
            _save_clocks(rows[offset:offset + 5000], (
                "started_at", "first_response_due", "resolution_due", "next_check_at",
                "stages_done",
            ))
        for second in sorted({_ceil_second(r.next_check_at) for r in rows if r.next_check_at}):
            _alarm_set(second)
    late = clock.now() - start
    if late > timedelta(0):
        print(f"warning: the deadlines were written {late.total_seconds():.1f} s late")
    return start


def run_worker(count: int, data_dir: str, timeout: float) -> float:
    from redress.cases.models import CaseEvent, EventKind

    env = {**os.environ, "REDRESS_DATA_DIR": data_dir, "LOG_LEVEL": "WARNING"}
    worker = subprocess.Popen(  # noqa: S603 - fixed argv
        [sys.executable, "-m", "redress.config.cli", "db_worker", "--interval", "0.05",
         "--no-startup-delay"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    began = time.monotonic()
    try:
        while time.monotonic() - began < timeout:
            done = CaseEvent.objects.filter(kind=EventKind.ESCALATION).count()
            progress("escalations written", min(done, count), count)
            if done >= count:
                break
            time.sleep(1)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    return time.monotonic() - began


def lags() -> list[float]:
    from redress.cases.models import CaseEvent, EventKind
    from redress.sla.models import CaseClock

    due = dict(CaseClock.objects.values_list("case_id", "first_response_due"))
    return [
        (at - due[case_id]).total_seconds()
        for case_id, at in CaseEvent.objects.filter(kind=EventKind.ESCALATION)
        .values_list("case_id", "at")
    ]


def deadline_cost(samples: int = 20000) -> dict[str, float]:
    """Microseconds per deadline: P3 first response (2 business hours) and resolution
    (3 business days) on office hours with statutory holidays, P1 around the clock."""
    from zoneinfo import ZoneInfo

    from redress.sla.models import SlaPolicy
    from redress.sla.services import deadline, working_time_of

    p3 = SlaPolicy.objects.select_related("calendar").get(priority="P3")
    p1 = SlaPolicy.objects.select_related("calendar").get(priority="P1")
    office, always = working_time_of(p3.calendar), working_time_of(p1.calendar)
    zone = ZoneInfo("Asia/Shanghai")
    # Start times spread over two years, every 37 minutes: nights, weekends, holidays.
    starts = [datetime(2025, 1, 1, tzinfo=zone) + timedelta(minutes=37 * i)
              for i in range(samples)]
    results = {}
    for name, calendar, amount, unit in (
        ("business_hours_2h", office, 2, "hours"),
        ("business_days_3", office, 3, "days"),
        ("around_the_clock_15m", always, 15, "minutes"),
    ):
        began = time.perf_counter()
        for start in starts:
            deadline(calendar, start, amount, unit)
        results[name] = (time.perf_counter() - began) / samples * 1e6
    return results


def chart(values: list[float], window: float, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 4))
    ax.hist(values, bins=60, color="#0b6e4f")
    ax.axvline(2.0, color="#b42318", linestyle="--", label="goal: p99 < 2 s")
    ax.set_xlabel("seconds from deadline to escalation")
    ax.set_ylabel("cases")
    ax.set_title(f"SLA escalation lag: {len(values):,} deadlines within {window:.0f} s, "
                 "one worker, SQLite")
    ax.legend()
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)


def text_histogram(values: list[float], buckets: int = 10) -> None:
    top = max(values)
    step = top / buckets if top > 0 else 1
    counts = [0] * buckets
    for value in values:
        counts[min(int(value / step), buckets - 1)] += 1
    peak = max(counts)
    for i, n in enumerate(counts):
        print(f"{i * step:7.2f}-{(i + 1) * step:7.2f} s {'█' * int(40 * n / peak):<40} {n}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--window", type=float, default=60.0,
                        help="seconds over which the deadlines are spread")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="redress-bench-sla-") as data_dir:
        setup_django(data_dir)
        print(f"SQLite at {data_dir}; {args.cases:,} cases due within {args.window:.0f} s")
        build_cases(args.cases)
        schedule(args.cases, args.window)
        elapsed = run_worker(args.cases, data_dir, timeout=args.window + 600)
        values = sorted(lags())
        cost = deadline_cost()
    if not values:
        print("no escalations were written")
        sys.exit(1)
    p50 = statistics.median(values)
    p99 = values[min(len(values) - 1, int(len(values) * 0.99))]
    print(f"escalated {len(values):,}/{args.cases:,} in {elapsed:.1f} s with one worker")
    print(f"lag deadline → escalation: p50 {p50:.3f} s, p99 {p99:.3f} s, max {values[-1]:.3f} s")
    text_histogram(values)
    for name, micros in cost.items():
        print(f"deadline computation {name}: {micros:.1f} µs per case")
    chart(values, args.window, OUT / "sla_lag.png")
    print(f"chart: {OUT / 'sla_lag.png'}")
    print(json.dumps({
        "bench": "sla", "cases": args.cases, "escalated": len(values),
        "window_s": args.window, "lag_p50_s": round(p50, 3), "lag_p99_s": round(p99, 3),
        "lag_max_s": round(values[-1], 3),
        "deadline_us": {k: round(v, 1) for k, v in cost.items()},
        "goal_p99_s": 2.0, "goal_deadline_us": 50,
    }))


if __name__ == "__main__":
    main()
