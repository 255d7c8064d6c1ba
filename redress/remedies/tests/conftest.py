from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from redress.accounts.models import Department, Role, User
from redress.cases.models import Case, Channel, Status
from redress.cases.services import CustomerDetails, case_create, case_transition

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _quick_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def manager(department: Department) -> User:
    return User.objects.create_user(username="manager1", password="x", role=Role.MANAGER,
                                    department=department, first_name="赵经理")


@pytest.fixture
def supervisor2(department: Department) -> User:
    return User.objects.create_user(username="supervisor2", password="x", role=Role.SUPERVISOR,
                                    department=department, first_name="钱主管")


@pytest.fixture
def open_case(department: Department, agent: User) -> Callable[..., Case]:
    """A complaint the agent has acknowledged, ready for a remedy."""

    def make(stake: object = None, *, language: str = "zh", email: str = "") -> Case:
        case = case_create(
            channel=Channel.PHONE,
            description="房间空调坏了一整晚，没人来修。" if language == "zh"
            else "The air conditioning was broken all night.",
            customer=CustomerDetails(name="陈女士", phone="13800138000", email=email),
            amount_at_stake=stake, department=department, created_by=agent,
        )
        if language == "en":
            Case.objects.filter(pk=case.pk).update(language="en")
            case.refresh_from_db()
        return case_transition(case=case, actor=agent, to=Status.ACKNOWLEDGED)

    return make


@pytest.fixture
def moment(django_capture_on_commit_callbacks: Any) -> Callable[[datetime], Any]:
    """Do something at a given time and let it commit, as a request would."""

    @contextmanager
    def at_moment(when: datetime) -> Iterator[None]:
        with time_machine.travel(when, tick=False), \
                django_capture_on_commit_callbacks(execute=True):
            yield

    return at_moment


def yuan(text: str) -> Decimal:
    return Decimal(text)
