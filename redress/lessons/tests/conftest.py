"""Cases at the stage the lessons app meets them, and a helper to record a root cause."""

from collections.abc import Iterator
from typing import Any

import pytest

from redress.accounts.models import User
from redress.cases.models import Case, Channel, Status
from redress.cases.services import CustomerDetails, case_create, case_transition
from redress.cases.signals import case_moving
from redress.lessons.models import RootCause
from redress.lessons.services import RootCauseInput, case_root_cause_record


@pytest.fixture(autouse=True)
def _quick_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _remedy_states_by_plain_moves() -> Iterator[None]:
    """Lessons meet cases after their remedies; the remedies app's guard (remedy states only
    through its service) is its own tests' subject, and `lessons` may not import
    `remedies`. Here plain moves walk a case to resolved."""
    receivers = list(case_moving.receivers)
    case_moving.disconnect(sender=Case, dispatch_uid="remedies.guard")
    try:
        yield
    finally:
        case_moving.receivers = receivers
        case_moving.sender_receivers_cache.clear()


def complaint(description: str = "上菜太慢，等了一个小时，汤还是凉的！", **extra: Any) -> Case:
    values: dict[str, Any] = {
        "channel": Channel.PHONE, "description": description,
        "customer": CustomerDetails(name="王女士", phone="13912345678"),
    }
    values.update(extra)
    return case_create(**values)


def resolved(agent: User, **extra: Any) -> Case:
    """A complaint taken through to resolved by `agent`, remedy ¥68.00."""
    case = complaint(**extra)
    for to, fields in (
        (Status.ACKNOWLEDGED, {}), (Status.INVESTIGATING, {}),
        (Status.REMEDY_PROPOSED, {"remedy": "退还汤的费用", "remedy_amount": "68"}),
        (Status.REMEDY_ACCEPTED, {}), (Status.EXECUTING, {}),
        (Status.RESOLVED, {"outcome": "已退款"}),
    ):
        case = case_transition(case=case, actor=agent, to=to, **fields)
    return case


def full_root_cause(case: Case, actor: User, **overrides: Any) -> RootCause:
    values: dict[str, Any] = {
        "category": "process", "detail": "高峰期出菜无人催单", "department_id":
        case.department_id, "step": "出菜", "customer_accepted": "yes",
    }
    values.update(overrides)
    return case_root_cause_record(case=case, actor=actor, values=RootCauseInput(**values))


@pytest.fixture
def resolved_case(agent: User) -> Case:
    return resolved(agent)
