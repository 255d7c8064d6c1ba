"""Follow-up tests start from a resolved case, at a chosen moment, with what reacts to the
commit (the follow-up being scheduled, the case's clocks) having run."""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from redress.accounts.models import User
from redress.cases.models import Case, Channel, Status
from redress.cases.services import CustomerDetails, case_create, case_transition
from redress.followup.models import FollowUp

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


RESOLVED_AT = at(2026, 11, 24, 10, 0)


@pytest.fixture(autouse=True)
def _quick_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.REDRESS_PUBLIC_URL = "https://fuwu.example.cn"


@pytest.fixture
def moment(django_capture_on_commit_callbacks: Any) -> Callable[[datetime], Any]:
    """Do something at a given time and let it commit, as a request would."""

    @contextmanager
    def at_moment(when: datetime) -> Iterator[None]:
        with time_machine.travel(when, tick=False), \
                django_capture_on_commit_callbacks(execute=True):
            yield

    return at_moment


Moment = Callable[[datetime], AbstractContextManager[None]]


@pytest.fixture
def resolved_case(
    agent: User, department: Any, moment: Moment
) -> Callable[..., Case]:
    """A case handled by `agent` and resolved at `when`.

    The remedy steps between investigating and executing are skipped with a direct update:
    they belong to the remedies app and are not what follow-up is about; the moves that
    matter here (acknowledge, resolve) go through the case service as in production.
    """

    def make(
        *, when: datetime = RESOLVED_AT, channel: str = Channel.WEB,
        email: str = "chen@example.com", phone: str = "13912345678",
        description: str = "空调坏了一整晚，前台说没有人可以修。",
        priority: str = "P3",
    ) -> Case:
        with moment(when):
            case = case_create(
                channel=channel, description=description, priority=priority,
                customer=CustomerDetails(name="陈女士", phone=phone, email=email),
                department=department, created_by=agent,
            )
            case = case_transition(case=case, actor=agent, to=Status.ACKNOWLEDGED)
            Case.objects.filter(pk=case.pk).update(status=Status.EXECUTING)
            case.refresh_from_db()
            case = case_transition(case=case, actor=agent, to=Status.RESOLVED,
                                   outcome="换了房间，退了一晚房费")
        case.refresh_from_db()
        return case

    return make


def followup_of(case: Case) -> FollowUp:
    return FollowUp.objects.get(case=case)
