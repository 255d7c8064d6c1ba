"""`redress triage classify | evaluate | train` (TAXONOMY.md, command-line contract)."""

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from redress.triage import engine
from redress.triage.tests.conftest import TINY

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def _english_output() -> Iterator[None]:
    # The product speaks Chinese first; these tests read the commands' English output.
    with translation.override("en"):
        yield



def classify(monkeypatch, data: bytes) -> list[dict]:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    out = io.StringIO()
    call_command("triage", "classify", stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


class TestClassify:
    def test_one_line_out_per_line_in_in_order_with_error_lines(self, monkeypatch):
        lines = [
            json.dumps({"id": "c1", "text": "同一笔订单扣了我两次钱，已经投诉到12315了"},
                       ensure_ascii=False),
            "{not json",
            json.dumps({"id": "c3"}),
            json.dumps({"id": 4, "text": 42}),
            json.dumps(["a", "list"]),
            "",
            json.dumps({"id": "c7", "text": "Thank you, the nurse was so kind!"}),
            json.dumps({"id": None, "text": ""}),
        ]
        data = ("\n".join(lines) + "\n").encode() + b'{"id": "c9", "text": "bad \xff byte"}\n'
        out = classify(monkeypatch, data)
        assert len(out) == 9
        assert out[0]["id"] == "c1"
        assert out[0]["kind"] == "complaint"
        assert "legal_media" in out[0]["risks"] and out[0]["priority"] == "P1"
        assert "12315" in " ".join(out[0]["cues"])
        assert set(out[0]) >= {"id", "kind", "scenario", "emotion", "risks", "wants", "lang",
                               "priority", "confidence", "cues"}
        assert out[1]["id"] is None and out[1]["error"].startswith("invalid JSON")
        assert out[2] == {"id": "c3", "error": "no text"}
        assert out[3] == {"id": 4, "error": "text must be a string"}
        assert out[4]["id"] is None and "object" in out[4]["error"]
        assert out[5]["id"] is None and "error" in out[5]
        assert out[6]["id"] == "c7" and out[6]["kind"] == "praise" and out[6]["lang"] == "en"
        assert out[7]["id"] is None and out[7]["kind"] == "inquiry"
        assert out[8]["id"] == "c9" and "kind" in out[8]

    def test_many_lines_are_batched_and_keep_their_order(self, monkeypatch, with_tiny_model):
        texts = ["菜里有头发", "请问几点退房？", "谢谢前台小李"] * 400
        data = "".join(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n"
                       for i, t in enumerate(texts)).encode()
        out = classify(monkeypatch, data)
        assert [line["id"] for line in out] == list(range(len(texts)))
        assert out[1198]["kind"] == out[1]["kind"] == "inquiry"
        assert out[1197]["kind"] == out[0]["kind"] == "complaint"

    def test_a_model_that_cannot_load_is_an_error(self, monkeypatch):
        def broken(**kwargs):
            raise OSError("disk on fire")

        monkeypatch.setattr("redress.triage.management.commands.triage.load_model", broken)
        with pytest.raises(CommandError, match="cannot be loaded"):
            classify(monkeypatch, b'{"id": 1, "text": "x"}\n')

    def test_exit_status_of_the_real_command(self, tmp_path):
        env = {**os.environ, "REDRESS_DATA_DIR": str(tmp_path),
               "REDRESS_TRIAGE_CORPUS": str(TINY), "PYTHONPATH": str(REPO),
               "DJANGO_SETTINGS_MODULE": "redress.config.settings"}
        env.pop("DATABASE_URL", None)
        command = [sys.executable, "-m", "redress.config.cli", "triage", "classify"]
        done = subprocess.run(command, input='{"id": 1, "text": "房间太脏了"}\nnope\n',  # noqa: S603
                              capture_output=True, text=True, env=env, cwd=tmp_path,
                              timeout=120, check=False)
        assert done.returncode == 0, done.stderr
        out = [json.loads(line) for line in done.stdout.splitlines()]
        assert out[0]["id"] == 1 and out[0]["kind"] == "complaint"
        assert "error" in out[1]
        (tmp_path / "triage").mkdir(exist_ok=True)
        (tmp_path / "triage" / "model.joblib").write_bytes(b"broken")
        env["REDRESS_TRIAGE_CORPUS"] = str(tmp_path / "nothing-*.jsonl")
        # No corpus and a damaged model: still a reading, by the rules alone.
        done = subprocess.run(command, input='{"id": 1, "text": "房间太脏了"}\n',  # noqa: S603
                              capture_output=True, text=True, env=env, cwd=tmp_path,
                              timeout=120, check=False)
        assert done.returncode == 0
        assert json.loads(done.stdout)["kind"] == "complaint"


GOLD = [
    {"id": "g1", "text": "空调坏了，太过分了！", "kind": "complaint", "scenario": "product_defect",
     "emotion": "angry", "risks": [], "wants": ["repair"]},
    {"id": "g2", "text": "请问几点退房？", "kind": "inquiry", "scenario": "none",
     "emotion": "calm", "risks": [], "wants": []},
    {"id": "g3", "text": "谢谢前台小李，非常满意", "kind": "praise", "scenario": "none",
     "emotion": "calm", "risks": [], "wants": []},
    {"id": "g4", "text": "又扣了我两次钱，我要投诉到12315", "kind": "complaint",
     "scenario": "process_system", "emotion": "angry", "risks": ["legal_media", "repeat"],
     "wants": ["refund"]},
]


class TestEvaluate:
    def test_jsonl_gold_file(self, tmp_path, with_tiny_model):
        engine.save_model(with_tiny_model)
        gold = tmp_path / "gold.jsonl"
        gold.write_text("\n".join(json.dumps(g, ensure_ascii=False) for g in GOLD)
                        + "\n{broken\n", encoding="utf-8")
        out, err = io.StringIO(), io.StringIO()
        call_command("triage", "evaluate", "--data", str(gold), stdout=out, stderr=err)
        text = out.getvalue()
        assert "gold.jsonl (4 examples)" in text
        assert "== kind  (n=4)" in text and "macro-F1" in text
        assert "confusion (rows gold, columns predicted)" in text
        assert "== risks  micro P" in text and "legal_media" in text
        assert "kind_accuracy" in text
        assert "invalid JSON" in err.getvalue()

    def test_csv_gold_file_and_json_summary(self, tmp_path, with_tiny_model):
        engine.save_model(with_tiny_model)
        gold = tmp_path / "gold.csv"
        rows = ["id,text,kind,scenario,emotion,risks,wants"] + [
            f'{g["id"]},{g["text"]},{g["kind"]},{g["scenario"]},{g["emotion"]},'
            f'"{",".join(g["risks"])}","{",".join(g["wants"])}"' for g in GOLD]
        gold.write_text("\n".join(rows) + "\n", encoding="utf-8")
        out = io.StringIO()
        call_command("triage", "evaluate", "--data", str(gold), "--json", stdout=out)
        summary = json.loads(out.getvalue().splitlines()[-1])
        assert summary["mode"] == "combined"
        assert 0.0 <= summary["data"]["kind_accuracy"] <= 1.0
        assert set(summary["data"]) == {"kind_accuracy", "scenario_macro_f1",
                                        "emotion_macro_f1", "risks_recall",
                                        "risks_precision", "wants_micro_f1"}

    def test_heldout_reviews_and_emotions(self, tmp_path):
        reviews = tmp_path / "reviews.csv"
        reviews.write_text("id,source,domain,label,text\n"
                           "a,x,hotel,neg,房间太脏了，服务员态度很差\n"
                           "b,x,hotel,pos,服务很贴心，五星好评\n", encoding="utf-8")
        emotions = tmp_path / "emotions.csv"
        emotions.write_text("id,source,emotion,text\n"
                            "a,x,anger,太过分了！什么破店！恶心死了！\n"
                            "b,x,none,今天天气不错\n", encoding="utf-8")
        out = io.StringIO()
        call_command("triage", "evaluate", "--heldout", "--reviews", str(reviews),
                     "--emotions", str(emotions), "--json", stdout=out, stderr=io.StringIO())
        summary = json.loads(out.getvalue().splitlines()[-1])
        assert summary["reviews"]["n"] == 2 and summary["reviews"]["accuracy"] == 1.0
        assert summary["emotions"]["n"] == 2 and summary["emotions"]["recall"] == 1.0
        assert "heldout" in summary

    def test_rules_baseline_mode(self, tmp_path):
        gold = tmp_path / "gold.jsonl"
        gold.write_text("\n".join(json.dumps(g, ensure_ascii=False) for g in GOLD),
                        encoding="utf-8")
        out = io.StringIO()
        call_command("triage", "evaluate", "--data", str(gold), "--mode", "rules", "--json",
                     stdout=out, stderr=io.StringIO())
        summary = json.loads(out.getvalue().splitlines()[-1])
        assert summary["mode"] == "rules"
        assert summary["data"]["risks_recall"] == 1.0

    def test_nothing_to_evaluate_or_a_missing_file(self, tmp_path):
        with pytest.raises(CommandError, match="Say what to evaluate"):
            call_command("triage", "evaluate")
        with pytest.raises(CommandError, match="No such file"):
            call_command("triage", "evaluate", "--data", str(tmp_path / "missing.jsonl"))


@pytest.mark.django_db
class TestTrain:
    def test_train_on_the_tiny_corpus_with_cross_validation(self):
        out, err = io.StringIO(), io.StringIO()
        call_command("triage", "train", "--folds", "3", stdout=out, stderr=err)
        assert "corpus: 36 examples from 1 files" in err.getvalue()
        assert "fold 3/3 done" in err.getvalue()
        assert "trained on 36 examples" in out.getvalue()
        assert "cross-validated (3 folds)" in out.getvalue()
        model = engine.read_model(engine.model_path())
        assert model.meta["examples"] == 36
        assert model.thresholds  # chosen on out-of-fold predictions

    def test_holdout_leaves_the_heldout_fifth_out(self):
        from redress.triage.corpus import is_heldout, load_corpus

        examples, _ = load_corpus([TINY])
        held = sum(is_heldout(e.id) for e in examples)
        assert 0 < held < len(examples)
        call_command("triage", "train", "--holdout", "--folds", "0", stdout=io.StringIO(),
                     stderr=io.StringIO())
        assert engine.read_model(engine.model_path()).meta["examples"] == len(examples) - held

    def test_confirmed_cases_join_the_training(self, agent):
        from redress.cases.services import CustomerDetails, case_create, case_record_labels
        from redress.triage.selectors import confirmed_cases

        corrected = case_create(channel="phone", description="前台把我的房间号告诉了陌生人",
                                customer=CustomerDetails(name="王女士", phone="13912345678"))
        case_record_labels(case=corrected, actor=agent, labels={
            "kind": "complaint", "scenario": "human_error", "emotion": "anxious",
            "risks": ["safety"], "wants": ["accountability"]})
        by_triage = case_create(channel="phone", description="请问几点退房",
                                customer=CustomerDetails(name="李先生", phone="13912345679"))
        case_record_labels(case=by_triage, actor=None, labels={"kind": "inquiry",
                                                               "emotion": "calm"})
        found = confirmed_cases()
        assert [c["text"] for c in found] == ["前台把我的房间号告诉了陌生人"]
        assert found[0]["scenario"] == "human_error" and found[0]["risks"] == ["safety"]
        err = io.StringIO()
        call_command("triage", "train", "--folds", "0", stdout=io.StringIO(), stderr=err)
        assert "confirmed cases: 1" in err.getvalue()
        assert engine.read_model(engine.model_path()).meta["examples"] == 37
