"""How well and how fast does triage read complaints, beside its baselines?

Quality: trains three readers on the seed corpus less its held-out fifth (ids by hash,
redress/triage/corpus.py) and measures them on that fifth, on the review polarity data set
(neg → complaint, pos → praise) and on the Weibo emotion data set (anger → angry) of
../shared/data (read in place):
- `rules`    keyword rules alone (the first baseline),
- `tfidf`    TF-IDF + logistic regression alone (the second baseline),
- `combined` the product: n-grams + rule features, rules forcing risks on.

Speed, in a child process pinned to one core with the product model saved to disk, the
way a server process meets it: model load time, texts/s through `redress triage classify`
(JSON lines in and out, batched), per-call latency of `triage_text` (what intake pays:
p50/p99), resident memory.

    .venv/bin/python bench/triage.py [--corpus GLOB] [--texts 20000] [--limit N]

Prints progress and tables, writes bench/out/triage.png, and ends with one JSON line.
Goals (the triage issue): held-out kind accuracy ≥ 0.92, scenario macro-F1 ≥ 0.85,
emotion macro-F1 ≥ 0.75, risks recall ≥ 0.95 at precision ≥ 0.85, wants micro-F1 ≥ 0.80;
reviews accuracy ≥ 0.90; ≥ 2,000 texts/s on one core, load < 1 s, RSS < 300 MB,
p99 < 5 ms.
"""

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out"
SHARED = REPO.parent / "shared" / "data"


def setup_django(data_dir: str) -> None:
    os.environ["REDRESS_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "redress.config.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(REPO))
    import django

    django.setup()


def say(message: str) -> None:
    print(message, flush=True)


def progress(label: str, done: int, total: int) -> None:
    width = 30
    filled = int(width * done / max(total, 1))
    print(f"\r{label:<28} [{'#' * filled}{'.' * (width - filled)}] {done:>7}/{total}",
          end="", flush=True)
    if done >= total:
        print()


def sample_texts(count: int) -> list[str]:
    """Load-test text: the corpus and the review data set, cycled to `count`."""
    import csv

    from redress.triage.corpus import corpus_paths, load_corpus

    texts = [e.text for e in load_corpus(corpus_paths())[0]]
    reviews = SHARED / "reviews_zh.csv"
    if reviews.exists():
        with reviews.open(encoding="utf-8", newline="") as handle:
            for n, row in enumerate(csv.DictReader(handle)):
                if n % 7 == 0:
                    texts.append(row["text"])
                if len(texts) >= count:
                    break
    if not texts:
        texts = ["房间空调坏了，一晚上没睡，太过分了！"]
    return [texts[i % len(texts)] for i in range(count)]


# ---- the speed child ---------------------------------------------------------------------
def child(args: argparse.Namespace) -> None:
    """Runs pinned to one core in its own process: load, classify, latency, memory."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    setup_django(args.data_dir)
    import psutil

    from redress.triage import engine
    from redress.triage.management.commands.triage import Command

    texts = sample_texts(args.texts)
    started = time.perf_counter()
    model = engine.read_model(engine.model_path())
    load_seconds = time.perf_counter() - started
    engine.set_model(model)
    engine.triage_text("预热")  # first call: the OpenCC table and regexes

    source = io.StringIO("".join(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n"
                                 for i, t in enumerate(texts)))
    sink = io.StringIO()
    command = Command(stdout=sink)
    started = time.perf_counter()
    command.classify(source, command.stdout)
    classify_seconds = time.perf_counter() - started
    lines = sink.getvalue().count("\n")

    latencies = []
    for text in texts[:args.calls]:
        started = time.perf_counter()
        engine.triage_text(text)
        latencies.append((time.perf_counter() - started) * 1000)
    latencies.sort()
    intake = intake_overhead(texts[:args.intake])
    rss = psutil.Process().memory_info().rss / 2**20
    print(json.dumps({
        "load_seconds": round(load_seconds, 3),
        "classify_texts": lines,
        "texts_per_second": round(lines / classify_seconds),
        "latency_ms_p50": round(latencies[len(latencies) // 2], 3),
        "latency_ms_p99": round(latencies[int(len(latencies) * 0.99) - 1], 3),
        "latency_ms_max": round(latencies[-1], 3),
        "rss_mb": round(rss, 1),
        **intake,
        "latencies": latencies,
    }))


def intake_overhead(texts: list[str]) -> dict[str, float]:
    """What triage adds to an intake request, in real public complaint submissions on a
    migrated SQLite database: reading the text and looking up repeats and duplicates
    before the transaction (`triage_read_ahead`), then writing the labels, priority,
    routing, links and record inside it (`case_triage`); beside the whole submission."""
    from django.core.management import call_command
    from django.db import connection
    from measuring import statements_counted

    from redress.accounts.models import Department, Organisation
    from redress.intake import services as intake

    call_command("migrate", verbosity=0)
    organisation = Organisation.objects.create(name="Bench")
    Department.objects.create(organisation=organisation, name="Intake", is_default_intake=True)
    ahead_ms: list[float] = []
    inside_ms: list[float] = []
    queries: list[int] = []
    real_ahead, real_inside = intake.triage_read_ahead, intake.case_triage

    def timed_ahead(*args, **kwargs):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        with statements_counted(connection) as counted:
            read = real_ahead(*args, **kwargs)
        ahead_ms.append((time.perf_counter() - started) * 1000)
        queries.append(counted[0])
        return read

    def timed_inside(**kwargs):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        with statements_counted(connection) as counted:
            case = real_inside(**kwargs)
        inside_ms.append((time.perf_counter() - started) * 1000)
        queries[-1] += counted[0]
        return case

    intake.triage_read_ahead, intake.case_triage = timed_ahead, timed_inside
    request_ms: list[float] = []
    for n, text in enumerate(texts):
        started = time.perf_counter()
        # One complaint in ten comes from the customer of five complaints before, so
        # repeats are looked up and linked (every look-up runs either way).
        customer = n - 5 if n % 10 == 9 else n
        intake.public_complaint_submit(description=text, name="Bench",
                                       phone=f"138{customer:08d}")
        request_ms.append((time.perf_counter() - started) * 1000)
        if n % 100 == 0:
            progress("intake with triage", n, len(texts))
    progress("intake with triage", len(texts), len(texts))
    intake.triage_read_ahead, intake.case_triage = real_ahead, real_inside
    warm = slice(min(20, len(texts) // 10), None)  # the first calls fill caches
    triage_ms = sorted(a + b for a, b in zip(ahead_ms[warm], inside_ms[warm], strict=True))
    inside = sorted(inside_ms[warm])
    request_ms = sorted(request_ms[warm])

    def p(values: list[float], share: float) -> float:
        return round(values[max(0, int(len(values) * share) - 1)], 3)

    return {
        "intake_requests": len(request_ms),
        "intake_triage_ms_p50": p(triage_ms, 0.5),
        "intake_triage_ms_p99": p(triage_ms, 0.99),
        # The part inside the transaction, which holds SQLite's one write lock.
        "intake_triage_in_transaction_ms_p50": p(inside, 0.5),
        "intake_triage_in_transaction_ms_p99": p(inside, 0.99),
        "intake_request_ms_p50": p(request_ms, 0.5),
        "intake_request_ms_p99": p(request_ms, 0.99),
        "intake_triage_queries": max(queries[warm]) if queries else 0,
    }


# ---- the quality part --------------------------------------------------------------------
def quality(args: argparse.Namespace) -> tuple[dict, dict, int]:
    from redress.triage.corpus import corpus_paths, fingerprint, load_corpus, split
    from redress.triage.engine import train_model
    from redress.triage.evaluation import emotions_score, headline, reviews_score, score
    from redress.triage.model import MODES

    paths = corpus_paths(args.corpus or None)
    if not paths:
        sys.exit("no corpus files: pass --corpus GLOB or set REDRESS_TRIAGE_CORPUS")
    examples, problems = load_corpus(paths)
    train, held = split(examples)
    say(f"corpus: {len(examples)} examples from {len(paths)} files "
        f"({len(problems)} lines skipped); training on {len(train)}, held out {len(held)}")
    figures: dict[str, dict] = {}
    for mode in MODES:
        started = time.perf_counter()
        model, _ = train_model(train, mode=mode, corpus=fingerprint(paths),
                               progress=lambda m, mode=mode: say(f"  [{mode}] {m}"))
        trained = time.perf_counter() - started
        result = headline(score(held, model.predict([e.text for e in held], cues=False)))
        result["train_seconds"] = round(trained, 1)

        def read_many(texts: list[str], model=model, mode=mode) -> list:
            read_many.done += len(texts)  # type: ignore[attr-defined]
            progress(f"  [{mode}] public data", read_many.done,  # type: ignore[attr-defined]
                     read_many.total)  # type: ignore[attr-defined]
            return model.predict(texts, cues=False)

        for key, function in (("reviews", reviews_score), ("emotions", emotions_score)):
            path = SHARED / f"{key}_zh.csv"
            if not path.exists():
                continue
            total = args.limit or sum(1 for _ in path.open(encoding="utf-8")) - 1
            read_many.done, read_many.total = 0, total  # type: ignore[attr-defined]
            values = function(path, read_many, limit=args.limit or None)
            if key == "reviews":
                result["reviews_accuracy"] = values["accuracy"]
                result["reviews_strict_accuracy"] = values["strict_accuracy"]
            else:
                result["anger_precision"] = values["precision"]
                result["anger_recall"] = values["recall"]
        figures[mode] = result
    full, _ = train_model(examples, corpus=fingerprint(paths),
                          progress=lambda m: say(f"  [product model, all {len(examples)}] {m}"))
    return figures, {"model": full}, len(examples)


def table(figures: dict[str, dict]) -> None:
    from redress.triage.evaluation import TARGETS

    keys = [*TARGETS, "reviews_accuracy", "anger_precision", "anger_recall"]
    targets = {**TARGETS, "reviews_accuracy": 0.90}
    say("")
    say(f"{'held-out figure':<26}" + "".join(f"{m:>10}" for m in figures) + f"{'target':>10}")
    for key in keys:
        row = f"{key:<26}"
        for mode in figures:
            value = figures[mode].get(key)
            row += f"{value:>10.3f}" if isinstance(value, float | int) else f"{'-':>10}"
        target = targets.get(key)
        row += f"{'≥ ' + format(target, '.2f'):>10}" if target else f"{'':>10}"
        say(row)


def chart(figures: dict[str, dict], speed: dict) -> Path | None:
    from charting import pyplot

    plt = pyplot(say)
    if plt is None:
        return None
    from redress.triage.evaluation import TARGETS

    OUT.mkdir(parents=True, exist_ok=True)
    keys = [*TARGETS, "reviews_accuracy"]
    figure, (left, right) = plt.subplots(1, 2, figsize=(14, 5))
    width = 0.8 / max(len(figures), 1)
    for n, (mode, values) in enumerate(figures.items()):
        left.bar([i + n * width for i in range(len(keys))],
                 [values.get(k, 0) for k in keys], width, label=mode)
    left.scatter([i + width for i in range(len(keys))],
                 [{**TARGETS, "reviews_accuracy": 0.9}[k] for k in keys], marker="_",
                 s=600, color="black", label="target", zorder=3)
    left.set_xticks([i + width for i in range(len(keys))])
    left.set_xticklabels(keys, rotation=30, ha="right", fontsize=8)
    left.set_ylim(0, 1.05)
    left.set_title("held-out split and reviews")
    left.legend(fontsize=8)
    right.hist(speed.get("latencies", []), bins=60, color="tab:blue")
    right.set_xlabel("triage_text latency, ms (one core)")
    right.set_title(f"p50 {speed.get('latency_ms_p50')} ms, p99 {speed.get('latency_ms_p99')}"
                    f" ms; {speed.get('texts_per_second')} texts/s")
    figure.tight_layout()
    path = OUT / "triage.png"
    figure.savefig(path, dpi=110)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default="", help="glob(s) of corpus files")
    parser.add_argument("--texts", type=int, default=20_000, help="texts to classify")
    parser.add_argument("--calls", type=int, default=5_000, help="single calls timed")
    parser.add_argument("--intake", type=int, default=1_000,
                        help="public complaints submitted to time triage inside intake")
    parser.add_argument("--limit", type=int, default=0,
                        help="rows of each public data set (default all)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.corpus:
        os.environ["REDRESS_TRIAGE_CORPUS"] = args.corpus
    if args.child:
        child(args)
        return
    with tempfile.TemporaryDirectory() as data_dir:
        setup_django(data_dir)
        from redress.triage.engine import save_model

        figures, built, size = quality(args)
        table(figures)
        save_model(built["model"])
        say("")
        say(f"speed: one core, {args.texts} texts through classify, {args.calls} single calls …")
        done = subprocess.run(  # noqa: S603
            [sys.executable, __file__, "--child", "--data-dir", data_dir,
             "--texts", str(args.texts), "--calls", str(args.calls),
             "--intake", str(args.intake)],
            capture_output=True, text=True, check=True, env=os.environ.copy())
        speed = json.loads(done.stdout.strip().splitlines()[-1])
        for key in ("load_seconds", "texts_per_second", "latency_ms_p50", "latency_ms_p99",
                    "latency_ms_max", "rss_mb", "intake_triage_ms_p50", "intake_triage_ms_p99",
                    "intake_triage_in_transaction_ms_p50",
                    "intake_triage_in_transaction_ms_p99",
                    "intake_request_ms_p50", "intake_request_ms_p99", "intake_triage_queries"):
            say(f"  {key:<38}{speed[key]}")
        path = chart(figures, speed)
        if path:
            say(f"chart: {path}")
        speed.pop("latencies", None)
        print(json.dumps({"corpus_examples": size, "quality": figures, "speed": speed},
                         ensure_ascii=False))


if __name__ == "__main__":
    main()
