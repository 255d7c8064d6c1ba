"""The weekly review of recurring problems wakes a worker by itself."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


class TestTheWeeklyReviewArmsItself:
    def test_next_monday_six_in_shanghai(self) -> None:
        from redress.lessons.services import weekly_scan_next

        shanghai = ZoneInfo("Asia/Shanghai")
        # Tuesday → next Monday; Monday 05:59 → the same morning; Monday 06:00 → a week on.
        assert weekly_scan_next(datetime(2026, 11, 24, 10, 0, tzinfo=shanghai)) == \
            datetime(2026, 11, 30, 6, 0, tzinfo=shanghai)
        assert weekly_scan_next(datetime(2026, 11, 30, 5, 59, tzinfo=shanghai)) == \
            datetime(2026, 11, 30, 6, 0, tzinfo=shanghai)
        assert weekly_scan_next(datetime(2026, 11, 30, 6, 0, tzinfo=shanghai)) == \
            datetime(2026, 12, 7, 6, 0, tzinfo=shanghai)

    def test_armed_once_however_often_the_server_starts(self, settings,
                                                        django_capture_on_commit_callbacks
                                                        ) -> None:
        from django_tasks import default_task_backend

        from redress.lessons.models import WeeklyScan

        settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
        default_task_backend.clear()  # type: ignore[attr-defined]
        with django_capture_on_commit_callbacks(execute=True):
            for _ in range(3):
                call_command("lessons", "scan", stdout=io.StringIO())
        assert WeeklyScan.objects.count() == 1
        armed = [r for r in default_task_backend.results  # type: ignore[attr-defined]
                 if r.task.name == "lessons_scan"]
        assert len(armed) == 1
        assert armed[0].task.run_after == WeeklyScan.objects.get().at
