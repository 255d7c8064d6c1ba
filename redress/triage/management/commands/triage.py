import io
import json
import sys
import time
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from redress.triage.corpus import (
    CorpusError,
    Example,
    corpus_paths,
    example_from,
    fingerprint,
    load_corpus,
    read_gold,
    split,
)
from redress.triage.engine import (
    ModelUnavailable,
    load_model,
    model_path,
    read_model,
    save_model,
    set_model,
    train_model,
    triage_many,
)
from redress.triage.evaluation import emotions_score, headline, report, reviews_score, score
from redress.triage.model import MODES, TriageModel

BATCH = 512


class Command(BaseCommand):
    help = str(gettext_lazy(
        "Triage (TAXONOMY.md). `classify` reads JSON lines {\"id\", \"text\"} on standard "
        "input and writes one reading per line; `evaluate` measures the model against gold "
        "labels and the public data sets; `train` rebuilds the model from the seed corpus "
        "and the organisation's confirmed cases."
    ))

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["classify", "evaluate", "train"])
        parser.add_argument("--corpus", default="",
                            help="glob(s) of corpus files (default: the shipped corpus)")
        parser.add_argument("--data", default="", help="evaluate: a CSV or JSONL gold file")
        parser.add_argument("--heldout", action="store_true",
                            help="evaluate: train on the corpus less its held-out fifth and "
                                 "measure on that fifth")
        parser.add_argument("--split", choices=["heldout"], default=None,
                            help="same as --heldout")
        parser.add_argument("--reviews", default="",
                            help="evaluate: reviews_zh.csv (neg → complaint, pos → praise)")
        parser.add_argument("--emotions", default="",
                            help="evaluate: emotions_zh.csv (anger → angry)")
        parser.add_argument("--limit", type=int, default=0,
                            help="evaluate: read at most this many rows of each data set")
        parser.add_argument("--mode", choices=MODES, default="combined",
                            help="evaluate/train: combined (default), tfidf or rules alone")
        parser.add_argument("--holdout", action="store_true",
                            help="train: leave the held-out fifth out")
        parser.add_argument("--folds", type=int, default=5, help="train: cross-validation folds")
        parser.add_argument("--organisation", type=int, default=None,
                            help="train: only this organisation's confirmed cases")
        parser.add_argument("--no-cases", action="store_true",
                            help="train: the corpus only, no confirmed cases")
        parser.add_argument("--json", action="store_true", help="evaluate: print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "classify":
            # Bytes that are not UTF-8 must not end the run: they become U+FFFD.
            source = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace") if (
                hasattr(sys.stdin, "buffer")) else sys.stdin
            self.classify(source, self.stdout)
        elif action == "train":
            self.train(options)
        else:
            self.evaluate(options)

    # ---- classify ----------------------------------------------------------------------
    def classify(self, source: TextIO, out: Any) -> None:
        try:
            model = load_model()
        except Exception as error:
            raise CommandError(_("The triage model cannot be loaded: %(error)s")
                               % {"error": error}) from error
        pending: list[tuple[Any, str | None, str]] = []  # (id, error, text)

        def flush() -> None:
            texts = [text for _id, error, text in pending if error is None]
            readings = iter(triage_many(texts, model=model)) if texts else iter(())
            for ident, error, _text in pending:
                if error is not None:
                    line = {"id": ident, "error": error}
                else:
                    line = {"id": ident, **next(readings).as_json()}
                out.write(json.dumps(line, ensure_ascii=False))
            pending.clear()

        for raw in source:
            line = raw.rstrip("\r\n")
            try:
                data = json.loads(line)
            except (json.JSONDecodeError, ValueError) as error:
                pending.append((None, _("invalid JSON: %(error)s") % {"error": error}, ""))
            else:
                if not isinstance(data, dict):
                    pending.append((None, _("a line must be a JSON object"), ""))
                else:
                    ident = data.get("id")
                    if isinstance(ident, dict | list):
                        ident = json.dumps(ident, ensure_ascii=False)
                    text = data.get("text")
                    if "text" not in data or text is None:
                        pending.append((ident, _("no text"), ""))
                    elif not isinstance(text, str):
                        pending.append((ident, _("text must be a string"), ""))
                    else:
                        pending.append((ident, None, text))
            if len(pending) >= BATCH:
                flush()
        flush()

    # ---- train -------------------------------------------------------------------------
    def _say(self, message: str) -> None:
        self.stderr.write(message)

    def _corpus(self, pattern: str) -> tuple[list[Example], str]:
        paths = corpus_paths(pattern or None)
        if not paths:
            raise CommandError(_("No corpus files found."))
        examples, problems = load_corpus(paths)
        for problem in problems:
            self._say(_("skipped: %(problem)s") % {"problem": problem})
        self._say(_("corpus: %(count)d examples from %(files)d files")
                  % {"count": len(examples), "files": len(paths)})
        return examples, fingerprint(paths)

    def train(self, options: dict[str, Any]) -> None:
        examples, corpus = self._corpus(options["corpus"])
        if options["holdout"]:
            examples, held = split(examples)
            self._say(_("held out: %(count)d examples never trained on") % {"count": len(held)})
        if not options["no_cases"]:
            from django.db import DatabaseError

            from redress.triage.selectors import confirmed_cases

            try:
                cases = confirmed_cases(organisation_id=options["organisation"])
            except DatabaseError as error:
                self._say(_("confirmed cases not read (%(error)s)") % {"error": error})
                cases = []
            added = 0
            for record in cases:
                try:
                    examples.append(example_from(record, record["id"]))
                    added += 1
                except CorpusError as error:
                    self._say(_("skipped: %(problem)s") % {"problem": error})
            self._say(_("confirmed cases: %(count)d") % {"count": added})
        started = time.monotonic()
        model, scores = train_model(examples, mode=options["mode"], folds=options["folds"],
                                    corpus=corpus, progress=self._say)
        model.meta["holdout"] = bool(options["holdout"])
        path = save_model(model)
        set_model(None)
        self.stdout.write(_("trained on %(count)d examples in %(seconds).1f s; written to "
                            "%(path)s") % {"count": len(examples),
                                           "seconds": time.monotonic() - started,
                                           "path": path})
        if scores:
            self.stdout.write(_("cross-validated (%(folds)d folds):")
                              % {"folds": options["folds"]})
            self.stdout.write(report(scores))

    # ---- evaluate ----------------------------------------------------------------------
    def evaluate(self, options: dict[str, Any]) -> None:
        heldout = options["heldout"] or options["split"] == "heldout"
        if not (options["data"] or heldout or options["reviews"] or options["emotions"]):
            raise CommandError(_("Say what to evaluate on: --data FILE, --heldout, --reviews "
                                 "or --emotions."))
        mode = options["mode"]
        model: TriageModel
        if heldout:
            examples, corpus = self._corpus(options["corpus"])
            train, held = split(examples)
            self._say(_("training on %(train)d examples, measuring on the %(held)d held out")
                      % {"train": len(train), "held": len(held)})
            model, _scores = train_model(train, mode=mode, corpus=corpus, progress=self._say)
        elif mode != "combined":
            examples, corpus = self._corpus(options["corpus"])
            model, _scores = train_model(examples, mode=mode, corpus=corpus, progress=self._say)
        else:
            try:
                model = read_model(model_path()) if model_path().exists() else load_model()
            except (ModelUnavailable, OSError, ValueError):
                model = load_model()
        results: dict[str, Any] = {"mode": mode}
        if heldout:
            predictions = model.predict([e.text for e in held], cues=False)
            results["heldout"] = score(held, predictions)
            self.stdout.write(_("== held-out split (%(count)d examples)") % {"count": len(held)})
            self.stdout.write(report(results["heldout"]))
        if options["data"]:
            path = Path(options["data"])
            if not path.exists():
                raise CommandError(_("No such file: %(path)s") % {"path": path})
            gold, problems = read_gold(path)
            for problem in problems:
                self._say(_("skipped: %(problem)s") % {"problem": problem})
            if not gold:
                raise CommandError(_("No labelled examples in %(path)s") % {"path": path})
            predictions = model.predict([e.text for e in gold], cues=False)
            results["data"] = score(gold, predictions)
            self.stdout.write(_("== %(path)s (%(count)d examples)")
                              % {"path": path.name, "count": len(gold)})
            self.stdout.write(report(results["data"]))
        limit = options["limit"] or None

        def read_many(texts: list[str]) -> list[Any]:
            return model.predict(texts, cues=False)

        for key, function, label in (("reviews", reviews_score, "reviews"),
                                     ("emotions", emotions_score, "emotions")):
            if not options[key]:
                continue
            path = Path(options[key])
            if not path.exists():
                raise CommandError(_("No such file: %(path)s") % {"path": path})
            started = time.monotonic()
            results[label] = function(path, read_many, limit=limit)
            results[label]["seconds"] = round(time.monotonic() - started, 1)
            self.stdout.write(f"== {path.name}: "
                              + json.dumps(results[label], ensure_ascii=False))
        if options["json"]:
            summary = {k: (headline(v) if k in ("heldout", "data") else v)
                       for k, v in results.items()}
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
