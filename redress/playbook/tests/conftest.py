from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from redress.accounts.models import Department
from redress.cases.models import Case, Channel
from redress.cases.services import CustomerDetails, case_create

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def moment(django_capture_on_commit_callbacks) -> Callable[[datetime], AbstractContextManager]:
    """Do something at a given time and let it commit, as a request would."""

    @contextmanager
    def at_moment(when: datetime) -> Iterator[None]:
        with time_machine.travel(when, tick=False), \
                django_capture_on_commit_callbacks(execute=True):
            yield

    return at_moment


@pytest.fixture
def zh_case(department: Department) -> Case:
    # No contact details: nothing to send, so tests see only the timeline.
    return case_create(
        channel=Channel.WEB, department=department,
        description="上菜太慢，等了一个小时，汤还是凉的！服务员还说不归她管。",
        customer=CustomerDetails(name="王女士"),
    )
