"""Recurring groups, weekly counts in Asia/Shanghai, spike alerts, problems from alerts."""

from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from redress.cases.models import Case
from redress.cases.services import case_record_labels
from redress.lessons.models import CaseGrouping, Problem, RecurringGroup, SpikeAlert
from redress.lessons.services import (
    cases_group_pending,
    problem_open_from_alert,
    spikes_scan,
)
from redress.lessons.tests.conftest import complaint
from redress.notify.models import StaffNotification

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Tuesday: the last complete ISO week is Monday 16 – Sunday 22 November 2026.
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=SHANGHAI)
REVIEWED = datetime(2026, 11, 16, 12, 0, tzinfo=SHANGHAI)
SLOW = ["上菜太慢，等了一个小时，汤还是凉的！", "等了一个小时才上菜，汤都凉了",
        "上菜太慢了，等了快一个小时", "汤是凉的，上菜还慢，等了一个小时"]
AIRCON = "房间空调坏了，一晚上没睡好"


def _at(moment: datetime, description: str, **extra) -> Case:
    with time_machine.travel(NOW, tick=False):
        return complaint(description, received_at=moment, **extra)


@pytest.fixture
def weekly_history(department):
    """One slow-service complaint a week for eight weeks, then eight in the reviewed week;
    and two air-conditioning complaints in the reviewed week."""
    for week in range(1, 9):
        _at(REVIEWED - timedelta(weeks=week), SLOW[week % 4])
    for i in range(8):
        _at(REVIEWED + timedelta(hours=10 * i), SLOW[i % 4])
    for i in range(2):
        _at(REVIEWED + timedelta(days=i), AIRCON)


class TestGrouping:
    def test_near_identical_complaints_share_a_group_and_others_do_not(self, department):
        slow = [_at(REVIEWED, text) for text in SLOW]
        aircon = _at(REVIEWED, AIRCON)
        cases_group_pending(until=NOW)
        groups = {CaseGrouping.objects.get(case=c).group_id for c in slow}
        assert len(groups) == 1
        assert CaseGrouping.objects.get(case=aircon).group_id not in groups
        group = RecurringGroup.objects.get(pk=groups.pop())
        assert group.members == 4
        assert group.headline == SLOW[0]  # named after its first complaint

    def test_labels_keep_the_same_words_at_different_places_apart(self, agent, department):
        a = _at(REVIEWED, SLOW[0], location="春熙路店")
        b = _at(REVIEWED, SLOW[1], location="天府店")
        c = _at(REVIEWED, SLOW[2], location=" 春熙路 店 ")
        cases_group_pending(until=NOW)
        group = {case.pk: CaseGrouping.objects.get(case=case).group_id for case in (a, b, c)}
        assert group[a.pk] == group[c.pk] != group[b.pk]

    def test_the_scenario_label_is_part_of_the_group(self, agent, department):
        a, b = _at(REVIEWED, SLOW[0]), _at(REVIEWED, SLOW[1])
        case_record_labels(case=b, actor=None, labels={"scenario": "human_error"})
        cases_group_pending(until=NOW)
        assert (CaseGrouping.objects.get(case=a).group_id
                != CaseGrouping.objects.get(case=b).group_id)

    def test_inquiries_and_praise_are_not_grouped(self, department):
        praise = _at(REVIEWED, "服务员小王很热情，谢谢！")
        case_record_labels(case=praise, actor=None, labels={"kind": "praise"})
        cases_group_pending(until=NOW)
        assert not CaseGrouping.objects.filter(case=praise).exists()

    def test_a_grouped_case_stays_in_its_group(self, department):
        case = _at(REVIEWED, SLOW[0])
        cases_group_pending(until=NOW)
        first = CaseGrouping.objects.get(case=case).group_id
        _at(REVIEWED, AIRCON)
        assert cases_group_pending(until=NOW) == 1
        assert CaseGrouping.objects.get(case=case).group_id == first


class TestSpikeScan:
    def test_a_spike_alerts_the_quality_managers_once(self, weekly_history, quality):
        with time_machine.travel(NOW, tick=False):
            alerts = spikes_scan()
        assert len(alerts) == 1
        alert = alerts[0]
        assert (alert.week_start.isoformat(), alert.count, alert.baseline) == (
            "2026-11-16", 8, 1.0)
        assert alert.p_value < 0.001
        note = StaffNotification.objects.get(recipient=quality)
        assert "8" in note.text and "2026-11-16" in note.text
        assert note.link == "/console/lessons/recurring/"
        # the air-conditioning group (two that week, none before) raised nothing
        assert SpikeAlert.objects.count() == 1

        with time_machine.travel(NOW + timedelta(hours=5), tick=False):
            assert spikes_scan() == []
        assert SpikeAlert.objects.count() == 1
        assert StaffNotification.objects.filter(recipient=quality).count() == 1

    def test_the_week_is_the_iso_week_in_shanghai(self, department, quality):
        # Five complaints late on Sunday night in Shanghai (afternoon in UTC) belong to the
        # reviewed week; five just after midnight belong to the current one.
        sunday_night = datetime(2026, 11, 22, 23, 30, tzinfo=SHANGHAI)
        for i in range(5):
            _at(sunday_night + timedelta(minutes=i), SLOW[i % 4])
        monday_morning = datetime(2026, 11, 23, 0, 10, tzinfo=SHANGHAI)
        for i in range(5):
            _at(monday_morning + timedelta(minutes=i), AIRCON)
        with time_machine.travel(NOW, tick=False):
            alerts = spikes_scan()
        assert [(a.count, a.week_start.isoformat()) for a in alerts] == [(5, "2026-11-16")]
        assert "上菜" in alerts[0].group.headline

    def test_noise_raises_nothing(self, department, quality):
        for week, count in enumerate([2, 3, 1, 2, 4, 2, 3, 2, 3]):
            for i in range(count):
                _at(REVIEWED - timedelta(weeks=8 - week) + timedelta(hours=i), SLOW[i % 4])
        with time_machine.travel(NOW, tick=False):
            assert spikes_scan() == []
        assert not StaffNotification.objects.exists()

    def test_duplicates_do_not_count(self, weekly_history, agent, quality):
        from redress.cases.services import case_transition

        for case in Case.objects.filter(received_at__gte=REVIEWED, description__in=SLOW)[:5]:
            with time_machine.travel(NOW, tick=False):
                case_transition(case=case, actor=agent, to="acknowledged")
                case_transition(case=case, actor=agent, to="closed", close_reason="duplicate")
        with time_machine.travel(NOW, tick=False):
            assert spikes_scan() == []

    def test_the_command(self, weekly_history, quality):
        out = StringIO()
        with time_machine.travel(NOW, tick=False):
            call_command("lessons", "scan", stdout=out)
            call_command("lessons", "scan", stdout=out)
        assert SpikeAlert.objects.count() == 1
        assert "2026-11-16" in out.getvalue()


class TestProblemFromAlert:
    def test_it_links_the_groups_cases_once(self, weekly_history, quality):
        with time_machine.travel(NOW, tick=False):
            alert = spikes_scan()[0]
            problem = problem_open_from_alert(actor=quality, alert=alert)
            again = problem_open_from_alert(actor=quality, alert=alert)
        assert again == problem
        assert Problem.objects.count() == 1
        linked = set(problem.cases.values_list("description", flat=True))
        assert linked <= set(SLOW)
        assert problem.cases.count() == 16  # eight baseline weeks and the eight of the spike
        assert problem.group == alert.group
        alert.refresh_from_db()
        assert alert.problem == problem

    def test_an_agent_cannot(self, weekly_history, agent, quality):
        from redress.common.errors import NotAllowed

        with time_machine.travel(NOW, tick=False):
            alert = spikes_scan()[0]
            with pytest.raises(NotAllowed):
                problem_open_from_alert(actor=agent, alert=alert)
        assert not Problem.objects.exists()
