"""`triage_text`: what every caller receives, whatever it is given."""

import threading

import numpy as np
import pytest

from redress.triage import engine
from redress.triage.corpus import load_corpus
from redress.triage.model import C_VALUE, HEADS, TriageModel, parse
from redress.triage.normalise import normalise
from redress.triage.priority import priority_default, priority_of
from redress.triage.reading import Reading
from redress.triage.tests.conftest import TINY

LABELS = {"kind", "scenario", "emotion", "risks", "wants"}


def _valid(reading: Reading) -> None:
    assert reading.kind in ("complaint", "inquiry", "suggestion", "praise")
    assert reading.scenario in ("product_defect", "process_system", "human_error", "none")
    assert (reading.scenario == "none") == (reading.kind != "complaint")
    assert reading.lang in ("zh", "en")
    assert reading.priority in ("P1", "P2", "P3", "P4")
    assert {"kind", "scenario", "emotion", "risks", "wants"} <= set(reading.confidence)
    assert all(0.0 <= v <= 1.0 for v in reading.confidence.values())


class TestBadInput:
    def test_empty_text_reads_as_a_low_confidence_inquiry(self, with_tiny_model):
        for text in ("", "   ", "\n\t"):
            reading = engine.triage_text(text)
            assert (reading.kind, reading.scenario, reading.emotion, reading.priority) == (
                "inquiry", "none", "calm", "P4")
            assert set(reading.confidence.values()) == {0.0}
            assert reading.cues == ()

    def test_only_emoji_gets_a_reading_with_low_confidence(self, with_tiny_model):
        reading = engine.triage_text("😡😡😡👎")
        _valid(reading)
        assert max(reading.confidence.values()) <= engine.LOW_CONFIDENCE

    def test_a_hundred_thousand_characters_are_read_by_their_beginning(self, with_tiny_model):
        text = "菜里有头发，太恶心了，退钱！" + "啊" * 100_000
        reading = engine.triage_text(text)
        _valid(reading)
        assert reading.kind == "complaint"
        assert "refund" in reading.wants

    def test_control_characters_are_dropped_and_cues_keep_the_original(
            self, with_tiny_model):
        reading = engine.triage_text("已经投诉到\x0012315\x07了，退款\u200b还没到账")
        _valid(reading)
        assert "legal_media" in reading.risks
        assert any("12315" in cue for cue in reading.cues_by_label["risks:legal_media"])

    def test_traditional_characters_are_read_and_cues_are_shown_as_written(
            self, with_tiny_model):
        reading = engine.triage_text("熱水壺插上就冒煙，差點著火，嚇死了")
        _valid(reading)
        assert "safety" in reading.risks
        assert "冒煙" in reading.cues_by_label["risks:safety"]

    def test_mixed_scripts(self, with_tiny_model):
        reading = engine.triage_text("这个app又crash了!!! second time today, 气死了")
        _valid(reading)
        assert reading.lang == "zh"
        assert "repeat" in reading.risks
        assert engine.triage_text("The 前台 was rude to me again").lang == "en"

    def test_not_a_string_and_a_failing_model_do_not_raise(self, with_tiny_model,
                                                            monkeypatch):
        _valid(engine.triage_text(12345))  # type: ignore[arg-type]

        def broken(*args, **kwargs):
            raise RuntimeError("boom")

        monkeypatch.setattr(TriageModel, "predict_parsed", broken)
        reading = engine.triage_text("菜里有头发")
        assert reading == engine.empty_reading()


class TestHardCases:
    """Risks forced by the rules hold whatever the model learned; negated ones do not."""

    def test_negated_injury_is_not_safety(self, with_tiny_model):
        reading = engine.triage_text("还好没人受伤，就是服务员把菜上错了，我要个说法")
        assert "safety" not in reading.risks

    def test_indirect_threat_is_p1(self, with_tiny_model):
        reading = engine.triage_text("客服一直推脱，我会让更多人知道你们是怎么对待顾客的")
        assert "legal_media" in reading.risks
        assert reading.priority == "P1"
        assert "让更多人知道" in reading.cues

    def test_english_threat_and_churn(self, with_tiny_model):
        reading = engine.triage_text(
            "Your app double charged me. I'm switching to another bank and my followers "
            "will hear about this.")
        assert {"legal_media", "churn"} <= set(reading.risks)
        assert "followers" in reading.cues_by_label["risks:legal_media"]

    def test_repetition_but_not_two_qualities(self, with_tiny_model):
        assert "repeat" in engine.triage_text("空调又坏了，第三次了！").risks
        assert "repeat" not in engine.triage_text("送来的饭菜又冷又硬，很难吃").risks

    @pytest.mark.parametrize(("kind", "risks", "wants"), [
        ("praise", (), ()),
        ("suggestion", (), ()),
        ("inquiry", ("safety", "legal_media", "churn", "repeat"), ()),
        ("complaint", ("safety", "legal_media", "churn", "repeat"), ("refund",)),
    ])
    def test_thanks_and_ideas_carry_no_risk(self, tiny_model, kind, risks, wants):
        """However sure the risk heads are, praise ("再也不用排队了") and suggestions carry
        no risk and only complaints carry wants; a question keeps its risks."""
        probabilities = {head: {value: 0.01 for value in classes}
                         for head, classes, _shape in HEADS}
        probabilities["kind"][kind] = 0.97
        for head, classes, shape in HEADS:
            if shape == "binary":
                probabilities[head] = {classes[1]: 0.0, "no": 1.0}
        for value in ("safety", "legal_media", "churn", "repeat"):
            probabilities[f"risks:{value}"] = {value: 0.99, "no": 0.01}
        probabilities["wants:refund"] = {"refund": 0.99, "no": 0.01}
        prediction = tiny_model._decide(parse("再也不用排队了，第二次来，太方便了"),
                                        probabilities, cues=False)
        assert (prediction.kind, prediction.risks, prediction.wants) == (kind, risks, wants)

    def test_rules_alone_read_sarcasm_and_refusals(self):
        rules = TriageModel("rules")
        reading = engine.triage_many(["你们的服务真是太'好'了，我不要退款，只要道歉"],
                                     model=rules)[0]
        assert reading.emotion == "humorous"
        assert reading.wants == ("apology",)
        assert "太'好'" in reading.cues_by_label["emotion"]


class TestModelCache:
    def test_trained_once_saved_and_reused(self, settings, monkeypatch):
        calls = []
        original = engine.train_model

        def counting(*args, **kwargs):
            calls.append(1)
            return original(*args, **kwargs)

        monkeypatch.setattr(engine, "train_model", counting)
        threads = [threading.Thread(target=engine.triage_text, args=("菜里有头发",))
                   for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(calls) == 1
        assert engine.model_path().exists()
        engine.set_model(None)
        engine.triage_text("退款还没到账")
        assert len(calls) == 1  # read from the file, not trained again

    def test_a_changed_corpus_makes_the_saved_model_stale(self, tmp_path, monkeypatch):
        from redress.triage.tests.conftest import TINY

        engine.get_model()
        first = engine.read_model(engine.model_path()).meta["corpus"]
        changed = tmp_path / "corpus.jsonl"
        changed.write_text(TINY.read_text(encoding="utf-8") + TINY.read_text(
            encoding="utf-8").replace('"id": "t-', '"id": "u-'), encoding="utf-8")
        monkeypatch.setenv("REDRESS_TRIAGE_CORPUS", str(changed))
        engine.set_model(None)
        model = engine.get_model()
        assert model.meta["corpus"] != first
        assert model.meta["examples"] == 72

    def test_a_damaged_model_file_is_replaced(self):
        path = engine.model_path()
        path.parent.mkdir(parents=True)
        path.write_bytes(b"not a model")
        assert engine.get_model().mode == "combined"
        assert engine.read_model(path).mode == "combined"

    def test_no_corpus_and_no_model_reads_by_the_rules(self, tmp_path, monkeypatch):
        monkeypatch.setenv("REDRESS_TRIAGE_CORPUS", str(tmp_path / "none-*.jsonl"))
        assert engine.get_model().mode == "rules"
        _valid(engine.triage_text("菜里有头发，退钱"))


class TestPriority:
    @pytest.mark.parametrize("kind, emotion, risks, expected", [
        ("complaint", "calm", ["safety"], "P1"),
        ("inquiry", "calm", ["legal_media"], "P1"),
        ("complaint", "angry", [], "P2"),
        ("complaint", "aggrieved", [], "P2"),
        ("complaint", "calm", ["churn"], "P2"),
        ("complaint", "calm", ["repeat"], "P2"),
        ("complaint", "anxious", [], "P3"),
        ("inquiry", "anxious", [], "P4"),
        ("suggestion", "calm", [], "P4"),
        ("praise", "humorous", [], "P4"),
    ])
    def test_the_taxonomy_rule(self, kind, emotion, risks, expected):
        assert priority_default(kind, emotion, risks) == expected

    def test_an_organisation_can_name_its_own_rule(self, settings, with_tiny_model):
        settings.REDRESS_TRIAGE_PRIORITY_RULE = (
            "redress.triage.tests.test_engine.everything_urgent")
        assert priority_of("praise", "calm", []) == "P1"
        assert engine.triage_text("谢谢前台小李，非常满意").priority == "P1"


def everything_urgent(kind: str, emotion: str, risks: object) -> str:
    return "P1"


class TestNormalise:
    def test_full_width_and_traditional(self):
        text = normalise("ＡＰＰ閃退，服務太差")
        assert text.text == "app闪退,服务太差"  # NFKC folds the full-width comma too
        assert text.span(0, 3) == "ＡＰＰ"

    def test_language_by_script(self):
        assert normalise("房间很脏").lang == "zh"
        assert normalise("The room was dirty").lang == "en"
        assert normalise("😡").lang == "zh"


def test_demo_load_readies_the_model():
    from redress.triage.demo import demo_load

    assert demo_load(organisations=[], now=None) == {"mode": "combined", "examples": 36}
    assert engine.model_path().exists()


class TestWantsScaling:
    def test_log_count_ratio_favours_the_words_of_those_who_ask(self):
        from scipy import sparse

        from redress.triage.model import _log_count_ratio

        # Columns: a word only askers use, one nobody who asks uses, one everybody uses.
        features = sparse.csr_matrix(np.array([[0.5, 0.0, 0.3],
                                               [0.7, 0.0, 0.2],
                                               [0.0, 0.4, 0.6],
                                               [0.0, 0.9, 0.1]], dtype=np.float32))
        ratio = _log_count_ratio(features, [True, True, False, False])
        assert ratio[0] > 0 > ratio[1]
        assert ratio[2] == pytest.approx(0.0, abs=1e-6)

    def test_scaled_weights_read_the_plain_features(self, tiny_model):
        """A want's head learns on scaled features; folded back, its weights give the
        same probability from the plain row that the learner gives from the scaled."""
        from scipy import sparse
        from sklearn.linear_model import LogisticRegression

        from redress.triage.model import _log_count_ratio

        examples, _problems = load_corpus([TINY])
        complaints = [e for e in examples if e.kind == "complaint"]
        model = TriageModel("combined")
        model._fit_once(examples, [parse(e.text) for e in examples])
        matrix = model.matrix([parse(e.text) for e in complaints])
        targets = ["refund" if "refund" in e.wants else "no" for e in complaints]
        assert "refund" in targets and "no" in targets
        scale = _log_count_ratio(matrix, [t != "no" for t in targets])
        learner = LogisticRegression(C=C_VALUE, class_weight="balanced", max_iter=500,
                                     solver="newton-cg").fit(matrix @ sparse.diags(scale),
                                                             targets)
        expected = learner.predict_proba(matrix @ sparse.diags(scale))[:, 1]
        read = model.predict_parsed([parse(e.text) for e in complaints], cues=False)
        got = [p.probabilities["wants:refund"]["refund"] for p in read]
        assert got == pytest.approx(expected.tolist(), abs=1e-3)
