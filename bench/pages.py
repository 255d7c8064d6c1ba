"""How fast are the staff pages on a large history?

Measures, in-process through Django's test client (the whole view, templates included,
no network), the pages an agent and a supervisor open all day:
- the case queue: its first page, a filtered page (status and priority), a deep page
  (near the end of the newest-first list), a Chinese text search of a word (two
  characters), one of a phrase (three to five, checked word by word in each candidate on
  PostgreSQL), an English one;
- the case page of cases picked at random across the history.

On the database the environment names (DATABASE_URL for PostgreSQL, else SQLite under
REDRESS_DATA_DIR), which bench/generate.py (or `redress demo`) has filled:

    REDRESS_DATA_DIR=/tmp/big .venv/bin/python bench/pages.py [--rounds 40]
    DATABASE_URL=postgres://… .venv/bin/python bench/pages.py

Prints progress and a table (p50/p95/max ms and SQL statements per page), writes
bench/out/pages.png, and ends with one JSON line. Goal (the speed issue): p95 ≤ 50 ms at
1,000,000 cases on both databases.
"""

import argparse
import json
import random
import statistics
import sys
import time
from importlib import import_module
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out"

from measuring import (  # noqa: E402 - bench/ is on the path
    percentile,
    say,
    setup_django,
    statements_counted,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=40, help="requests per page kind")
    parser.add_argument("--user", default="", help="staff user to sign in as "
                        "(default: the first supervisor-or-above who sees every department)")
    args = parser.parse_args()
    setup_django()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from redress.accounts.models import User
    from redress.cases.models import Case, Priority, Status
    from redress.cases.selectors import queue_cursor

    # Started as a web worker starts (redress/config/wsgi.py): the same things loaded,
    # then frozen for the garbage collector.
    import_module("redress.config.wsgi")
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    total = Case.objects.count()
    if not total:
        sys.exit("No cases: fill the database first (bench/generate.py or `redress demo`).")
    user = (User.objects.get(username=args.user) if args.user else
            next(u for u in User.objects.filter(is_active=True).order_by("id")
                 if u.sees_all_departments))
    client = Client()
    client.force_login(user)
    say(f"{connection.vendor}: {total:,} cases; signed in as {user.username}")

    # Deep pages: the cursors of cases a hundred or so from the oldest end of the queue.
    oldest = list(Case.objects.order_by("received_at", "id")[50:250:40])
    deep_cursors = [queue_cursor(c) for c in oldest] * (args.rounds // max(len(oldest), 1) + 1)
    deep_cursors = deep_cursors[:args.rounds]
    references = list(Case.objects.order_by("?").values_list("reference", flat=True)
                      [:args.rounds]) if connection.vendor == "postgresql" else [
        Case.objects.filter(pk__gte=random.randint(1, total)).order_by("pk")
        .values_list("reference", flat=True).first() or "" for _ in range(args.rounds)]
    kinds: dict[str, list[str]] = {
        "queue_first": ["/console/"] * args.rounds,
        "queue_filtered": [f"/console/?status={Status.NEW}&priority={Priority.P2}"
                           ] * args.rounds,
        "queue_deep": [f"/console/?older={cursor}" for cursor in deep_cursors],
        "search_zh": [f"/console/?q={word}" for word in
                      ("头发", "空调", "退款", "态度", "漏水") * (args.rounds // 5 + 1)
                      ][:args.rounds],
        "search_zh_phrase": [f"/console/?q={words}" for words in
                             ("电梯困人", "服务员态度", "水煮鱼", "塑料片", "快递柜")
                             * (args.rounds // 5 + 1)][:args.rounds],
        "search_en": [f"/console/?q={word}" for word in
                      ("refund", "broken", "rude", "late", "charged") * (args.rounds // 5 + 1)
                      ][:args.rounds],
        "case_page": [f"/console/cases/{ref}/" for ref in references],
    }
    figures: dict[str, dict[str, float]] = {}
    samples: dict[str, list[float]] = {}
    for kind, urls in kinds.items():
        client.get(urls[0])  # warm: templates compiled, caches filled
        times: list[float] = []
        statements = 0
        for n, url in enumerate(urls):
            with statements_counted(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                sys.exit(f"{url} answered {response.status_code}")
            statements = max(statements, captured[0])
            print(f"\r{kind:<18} {n + 1:>4}/{len(urls)}", end="", flush=True)
        print()
        samples[kind] = times
        figures[kind] = {
            "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(percentile(times, 0.95), 1),
            "max_ms": round(max(times), 1),
            "queries": statements,
        }
    say("")
    say(f"{'page':<18}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}{'SQL':>6}   (goal p95 ≤ 50)")
    for kind, values in figures.items():
        say(f"{kind:<18}{values['p50_ms']:>10}{values['p95_ms']:>10}{values['max_ms']:>10}"
            f"{values['queries']:>6}")
    path = chart(samples, figures, connection.vendor, total)
    if path:
        say(f"chart: {path}")
    print(json.dumps({"database": connection.vendor, "cases": total, "pages": figures}))


def chart(samples: dict[str, list[float]], figures: dict[str, dict[str, float]],
          vendor: str, total: int) -> Path | None:
    from charting import pyplot

    plt = pyplot(say)
    if plt is None:
        return None
    OUT.mkdir(parents=True, exist_ok=True)
    figure, axes = plt.subplots(figsize=(10, 4.5))
    kinds = list(samples)
    axes.boxplot([samples[k] for k in kinds], showfliers=False)
    axes.set_xticks(range(1, len(kinds) + 1), kinds, rotation=20)
    axes.scatter(range(1, len(kinds) + 1), [figures[k]["p95_ms"] for k in kinds],
                 marker="x", color="tab:red", label="p95", zorder=3)
    axes.axhline(50, color="black", linestyle="--", linewidth=1, label="goal: p95 50 ms")
    axes.set_ylabel("ms per request")
    axes.set_title(f"Staff pages on {vendor}, {total:,} cases")
    axes.legend()
    figure.tight_layout()
    path = OUT / f"pages_{vendor}_{total}.png"
    figure.savefig(path, dpi=110)
    return path


if __name__ == "__main__":
    main()
