"""How fast does every dashboard panel answer on a large history, and are its sums right?

On the database the environment names (DATABASE_URL for PostgreSQL, else SQLite under
REDRESS_DATA_DIR), filled by bench/generate.py:

    REDRESS_DATA_DIR=/tmp/big .venv/bin/python bench/insights.py [--rounds 5] [--rebuild]
    DATABASE_URL=postgres://… .venv/bin/python bench/insights.py

1. Recomputes the rollups (`redress insights rebuild`) when asked or when there are none,
   and times it.
2. Calls every panel (`redress.insights.selectors.PANELS`) for six filter sets a manager
   uses (the last 30 days; the last 12 months; the whole history; 12 months of one
   department; 12 months of one channel and scenario; 90 days at one location), `--rounds`
   times each, and prints p50/p95/max per panel. Goal (issue #7): p95 < 500 ms at
   1,000,000 cases on SQLite and on PostgreSQL.
3. As a reference, exports the cases, clocks, remedies and survey answers to CSV and lets
   DuckDB compute the same aggregates for the whole history straight from them; prints
   both side by side, and exits non-zero if any differs.

Writes bench/out/insights_<db>_<cases>.png and ends with one JSON line.
"""

import argparse
import csv
import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out"
sys.path.insert(0, str(REPO / "bench"))

from measuring import percentile, say, setup_django  # noqa: E402 - bench/ is on the path


def progress_bar(label: str) -> Any:
    width = 30

    def show(done: int, total: int) -> None:
        filled = width * done // max(total, 1)
        print(f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}",
              end="" if done < total else "\n", flush=True)
    return show


def filter_sets(today: date) -> dict[str, dict[str, Any]]:
    from redress.accounts.models import Department
    from redress.cases.models import Case
    from redress.insights.models import MonthlyRollup
    from redress.insights.services import local_day

    first = Case.objects.order_by("received_at").values_list("received_at", flat=True).first()
    start_all = local_day(first) if first else today
    year = today - timedelta(days=364)
    department = Department.objects.order_by("pk").values_list("pk", flat=True).first()
    location = (MonthlyRollup.objects.exclude(location="").values_list("location", flat=True)
                .order_by("-cases").first() or "")
    return {
        "30 days": {"start": today - timedelta(days=29), "end": today},
        "12 months": {"start": year, "end": today},
        "everything": {"start": start_all, "end": today},
        "12 months, one department": {"start": year, "end": today, "department": department},
        "12 months, WeChat, process": {"start": year, "end": today, "channel": "wechat",
                                       "scenario": "process_system"},
        "90 days, one location": {"start": today - timedelta(days=89), "end": today,
                                  "location": location},
    }


def measure_panels(rounds: int) -> tuple[dict[str, dict[str, float]], dict[str, list[float]]]:
    from redress.insights import selectors
    from redress.insights.selectors import InsightFilters

    today = selectors.local_day_today()
    sets = filter_sets(today)
    samples: dict[str, list[float]] = {name: [] for name in selectors.PANELS}
    total = len(selectors.PANELS) * len(sets) * rounds
    done = 0
    show = progress_bar("panels")
    for name, panel in selectors.PANELS.items():
        for values in sets.values():
            filters = InsightFilters(**values)
            panel(filters)  # warm
            for _ in range(rounds):
                started = time.perf_counter()
                panel(filters)
                samples[name].append((time.perf_counter() - started) * 1000)
                done += 1
                show(done, total)
    figures = {name: {"p50_ms": round(statistics.median(times), 1),
                      "p95_ms": round(percentile(times, 0.95), 1),
                      "max_ms": round(max(times), 1)}
               for name, times in samples.items()}
    return figures, samples


# --- the DuckDB reference ---------------------------------------------------------------

EXPORTS = {
    "cases": ("SELECT id, received_at, channel, kind, resolved_at, recovery_round "
              "FROM cases_case"),
    "clocks": ("SELECT case_id, first_responded_at, first_response_due, resolution_due, "
               "resolved_at FROM sla_caseclock"),
    "remedies": "SELECT case_id, value, cost FROM remedies_remedy WHERE status = 'executed'",
    "answers": ("SELECT f.case_id, f.recovery_round, a.solved, a.satisfaction, a.recommend, "
                "a.would_return, a.reopened, a.answered_at, a.id FROM followup_surveyanswer a "
                "JOIN followup_followup f ON f.id = a.followup_id"),
}


def _epoch(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str):  # SQLite hands back text
        from django.utils.dateparse import parse_datetime

        parsed = parse_datetime(value)
        if parsed is None:
            return ""
        value = parsed
    if isinstance(value, datetime):
        if value.tzinfo is None:  # SQLite keeps UTC without an offset
            value = value.replace(tzinfo=UTC)
        return int(value.timestamp())
    return value


def export(directory: Path) -> dict[str, Path]:
    """The source tables as CSV, times as epoch seconds and the case's local day of
    receipt added, so DuckDB needs no time-zone data."""
    from django.db import connection

    from redress.insights.services import zone

    tz = zone()
    paths = {}
    for name, sql in EXPORTS.items():
        path = directory / f"{name}.csv"
        with connection.cursor() as cursor, path.open("w", newline="") as handle:
            cursor.execute(sql)  # fixed statements above, no input
            columns = [c[0] for c in cursor.description]
            writer = csv.writer(handle)
            writer.writerow([*columns, *(["day"] if name == "cases" else [])])
            rows = 0
            while True:
                batch = cursor.fetchmany(20000)
                if not batch:
                    break
                for row in batch:
                    out = [_epoch(v) if ("_at" in c or c.endswith("_due")) else
                           ("" if v is None else v) for c, v in zip(columns, row, strict=True)]
                    if name == "cases":
                        out.append(datetime.fromtimestamp(out[1], tz).date().isoformat())
                    writer.writerow(out)
                rows += len(batch)
                print(f"\rexport {name}: {rows:,}", end="", flush=True)
            print()
        paths[name] = path
    return paths


def duckdb_figures(paths: dict[str, Path], *, start: date, end: date, now: int,
                   target_seconds: int) -> tuple[dict[str, Any], float]:
    import duckdb

    db = duckdb.connect()
    for name, path in paths.items():
        db.execute(f"CREATE TABLE {name} AS SELECT * FROM read_csv_auto('{path}', "
                   "header=true, nullstr='')")
    started = time.perf_counter()
    period = f"day BETWEEN DATE '{start}' AND DATE '{end}'"
    figures: dict[str, Any] = {}
    figures["cases"], figures["complaints"], figures["resolved"], figures["reopened"] = (
        db.execute(f"SELECT count(*), count(*) FILTER (kind = 'complaint'), "
                   f"count(resolved_at), count(*) FILTER (recovery_round > 1) "
                   f"FROM cases WHERE {period}").fetchone())
    counted, within = db.execute(
        f"SELECT count(*) FILTER (k.first_responded_at IS NOT NULL "
        f"OR {now} - c.received_at > {target_seconds}), "
        f"count(*) FILTER (k.first_responded_at - c.received_at <= {target_seconds}) "
        f"FROM cases c LEFT JOIN clocks k ON k.case_id = c.id WHERE {period}").fetchone()
    figures["first_response_attainment"] = round(within / counted, 4) if counted else None
    compensation, = db.execute(
        f"SELECT coalesce(sum(r.value), 0) FROM remedies r JOIN cases c ON c.id = r.case_id "
        f"WHERE {period}").fetchone()
    figures["compensation_total"] = f"{compensation:.2f}"
    surveyed, csat = db.execute(
        f"SELECT count(*), avg(satisfaction) FROM (SELECT a.*, row_number() OVER "
        f"(PARTITION BY a.case_id ORDER BY a.answered_at DESC, a.id DESC) AS n "
        f"FROM answers a JOIN cases c ON c.id = a.case_id WHERE {period}) WHERE n = 1"
    ).fetchone()
    figures["surveyed"] = surveyed
    figures["csat_avg"] = round(csat, 2) if surveyed else None
    ever, = db.execute(f"SELECT count(*) FROM cases WHERE {period} AND "
                       f"(resolved_at IS NOT NULL OR recovery_round > 1)").fetchone()
    figures["reopen_rate"] = round(figures["reopened"] / ever, 4) if ever else None
    seconds = time.perf_counter() - started
    return figures, seconds


def compare_with_duckdb(rebuilt_at: int) -> tuple[list[dict[str, Any]], float]:
    from redress.insights import selectors
    from redress.insights.selectors import InsightFilters
    from redress.insights.services import assumptions_get

    today = selectors.local_day_today()
    start = filter_sets(today)["everything"]["start"]
    ours = selectors.summary(InsightFilters(start=start, end=today))
    with tempfile.TemporaryDirectory() as directory:
        paths = export(Path(directory))
        theirs, seconds = duckdb_figures(
            paths, start=start, end=today, now=rebuilt_at,
            target_seconds=assumptions_get().first_response_target_minutes * 60)
    rows = [{"figure": key, "redress": ours[key], "duckdb": value,
             "equal": ours[key] == value} for key, value in theirs.items() if key in ours]
    return rows, seconds


def chart(samples: dict[str, list[float]], figures: dict[str, dict[str, float]],
          vendor: str, total: int) -> Path | None:
    from charting import pyplot

    plt = pyplot(say)
    if plt is None:
        return None
    OUT.mkdir(parents=True, exist_ok=True)
    figure, axes = plt.subplots(figsize=(11, 4.5))
    names = list(samples)
    axes.bar(names, [figures[n]["p95_ms"] for n in names], color="tab:blue", label="p95")
    axes.scatter(names, [figures[n]["p50_ms"] for n in names], color="black", marker="_",
                 s=200, label="p50", zorder=3)
    axes.axhline(500, color="tab:red", linestyle="--", linewidth=1, label="goal: p95 500 ms")
    axes.set_ylabel("ms per panel")
    axes.set_title(f"Dashboard panels on {vendor}, {total:,} cases")
    axes.tick_params(axis="x", rotation=30)
    axes.legend()
    figure.tight_layout()
    path = OUT / f"insights_{vendor}_{total}.png"
    figure.savefig(path, dpi=110)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5,
                        help="calls per panel and filter set (six sets)")
    parser.add_argument("--rebuild", action="store_true",
                        help="recompute the rollups first (done anyway when there are none)")
    parser.add_argument("--no-duckdb", action="store_true", help="skip the DuckDB reference")
    parser.add_argument("--no-panels", action="store_true",
                        help="only the DuckDB reference (the rollups as they stand)")
    args = parser.parse_args()
    setup_django()
    from django.db import connection

    from redress.cases.models import Case
    from redress.common import clock
    from redress.insights.models import DailyRollup
    from redress.insights.services import rollups_rebuild

    total = Case.objects.count()
    if not total:
        sys.exit("No cases: fill the database first (bench/generate.py or `redress demo`).")
    say(f"{connection.vendor}: {total:,} cases")
    rebuild_seconds = None
    rebuilt_at = int(clock.now().timestamp())
    if args.rebuild or not DailyRollup.objects.exists():
        started = time.perf_counter()
        rollups_rebuild(progress=progress_bar("rebuild"))
        rebuild_seconds = round(time.perf_counter() - started, 1)
        say(f"rollups rebuilt in {rebuild_seconds} s")

    figures: dict[str, dict[str, float]] = {}
    if not args.no_panels:
        figures, samples = measure_panels(args.rounds)
        say("")
        say(f"{'panel':<16}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}   (goal p95 < 500)")
        for name, values in figures.items():
            say(f"{name:<16}{values['p50_ms']:>10}{values['p95_ms']:>10}"
                f"{values['max_ms']:>10}")
        path = chart(samples, figures, connection.vendor, total)
        if path:
            say(f"chart: {path}")

    reference: list[dict[str, Any]] = []
    duckdb_seconds = None
    if not args.no_duckdb:
        reference, duckdb_seconds = compare_with_duckdb(rebuilt_at)
        say("")
        say(f"{'whole history':<28}{'Redress':>14}{'DuckDB':>14}")
        for row in reference:
            mark = "" if row["equal"] else "   DIFFERENT"
            say(f"{row['figure']:<28}{row['redress']!s:>14}{row['duckdb']!s:>14}{mark}")
        say(f"DuckDB computed them from the CSV export in {duckdb_seconds:.2f} s")
    print(json.dumps({"database": connection.vendor, "cases": total,
                      "rebuild_seconds": rebuild_seconds, "panels": figures,
                      "worst_p95_ms": max((v["p95_ms"] for v in figures.values()),
                                          default=None),
                      "duckdb_seconds": duckdb_seconds,
                      "duckdb_agrees": all(r["equal"] for r in reference) if reference
                      else None}))
    if reference and not all(r["equal"] for r in reference):
        sys.exit(1)


if __name__ == "__main__":
    main()
