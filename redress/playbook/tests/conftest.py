"""Fixtures of the playbook's tests: the default flagged phrases, and standard answers
written through the services the way an administrator writes them."""


from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from importlib import import_module
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps

from redress.accounts.models import Department
from redress.cases.models import Case, Channel
from redress.cases.services import CustomerDetails, case_create
from redress.playbook.models import Article, WordingPhrase
from redress.playbook.services import article_create


@pytest.fixture
def default_phrases(db: None) -> None:
    # The data migration installs them; a transactional test elsewhere in the run may
    # have flushed the table since, so put them back the same way.
    if not WordingPhrase.objects.exists():
        migration = import_module("redress.playbook.migrations.0004_default_wording_phrases")
        migration.install(apps, None)


@pytest.fixture
def write_article(db: None):
    def write(**values: Any) -> Article:
        defaults: dict[str, Any] = {
            "actor": None, "question": values.get("title", "问题"),
            "answer": values.get("title", "答案"), "language": "zh",
            "published": True, "public": True,
        }
        defaults.update(values)
        return article_create(**defaults)

    return write


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
