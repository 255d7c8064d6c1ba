"""The demo's plausible reading of its cases: keyword rules, recorded as the automatic
reader would, never over a reading already made."""

import pytest

from redress.cases.models import CaseEvent, Channel, EventKind
from redress.cases.services import CustomerDetails, case_create, case_record_labels
from redress.playbook.demo import demo_label_cases, demo_reading


@pytest.mark.parametrize("text, expected", [
    ("在春熙店用餐，上菜慢得离谱！汤是凉的，叫服务员也没人理。这已经不是第一次了，"
     "如果得不到合理处理，我会打12315投诉。希望退还这部分费用。",
     {"kind": "complaint", "emotion": "angry", "risks": ["legal_media", "repeat"],
      "wants": ["refund"]}),
    ("房间空调坏了，一晚上没睡。现在很着急，希望尽快给个说法。",
     {"kind": "complaint", "scenario": "product_defect", "emotion": "anxious",
      "wants": ["explanation", "fix_fast"]}),
    ("I was charged twice for my booking. We have been loyal customers for years and feel "
     "completely ignored. We will not be coming back.",
     {"kind": "complaint", "scenario": "process_system", "emotion": "aggrieved",
      "risks": ["churn"]}),
    ("The receptionist was rude to my mother. Quite an experience, I must say.",
     {"scenario": "human_error", "emotion": "humorous", "risks": []}),
    ("想表扬一下前台小王，服务特别周到，感谢！",
     {"kind": "praise", "scenario": "none", "emotion": "calm"}),
    ("建议周末多安排一位收银员。", {"kind": "suggestion", "scenario": "none"}),
])
def test_keyword_reading(text, expected):
    reading = demo_reading(text)
    for field, value in expected.items():
        assert reading[field] == value, field


@pytest.mark.django_db
def test_demo_cases_are_read_once_and_readings_kept(department, agent):
    def case(words):
        return case_create(channel=Channel.WEB, description=words, department=department,
                           customer=CustomerDetails(name="顾客"))

    fresh = case("房间空调坏了，一晚上没睡。现在很着急。")
    corrected = case("上菜太慢了！")
    case_record_labels(case=corrected, actor=agent, labels={"emotion": "calm"})
    assert demo_label_cases([fresh, corrected]) == 1
    fresh.refresh_from_db()
    corrected.refresh_from_db()
    assert (fresh.scenario, fresh.emotion) == ("product_defect", "anxious")
    event = CaseEvent.objects.get(case=fresh, kind=EventKind.LABELS)
    assert event.actor is None and event.message == "demo"
    assert corrected.emotion == "calm" and corrected.scenario == ""
    assert demo_label_cases([fresh]) == 0
