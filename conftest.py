"""The cast every test draws from: one organisation with two departments, and the people of
DESIGN.md ("Who uses it") who work there. An `outsider` works in the other department and
must be refused whatever they try on the first department's cases."""

import pytest
from django.conf import settings

from redress.accounts.models import Department, Organisation, Role, User

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings: settings) -> None:  # type: ignore[valid-type]
    # In tests a task runs when it is enqueued (after commit), so an e-mail queued by a
    # service is handed to the mail backend within the test that caused it.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.REDRESS_PUBLIC_RATE = None


@pytest.fixture
def organisation(db: None) -> Organisation:
    return Organisation.objects.create(name="悦来酒店", industry="hotel")


@pytest.fixture
def department(organisation: Organisation) -> Department:
    return Department.objects.create(
        organisation=organisation, name="前台", is_default_intake=True
    )


@pytest.fixture
def other_department(organisation: Organisation) -> Department:
    return Department.objects.create(organisation=organisation, name="餐饮部")


def _staff(username: str, role: str, department: Department | None, **extra: object) -> User:
    return User.objects.create_user(
        username=username, password=PASSWORD, role=role, department=department,
        first_name=extra.pop("first_name", ""), **extra,
    )


@pytest.fixture
def agent(department: Department) -> User:
    return _staff("agent1", Role.AGENT, department, first_name="小张")


@pytest.fixture
def agent2(department: Department) -> User:
    return _staff("agent2", Role.AGENT, department, first_name="小李")


@pytest.fixture
def supervisor(department: Department) -> User:
    return _staff("supervisor1", Role.SUPERVISOR, department, first_name="王主管")


@pytest.fixture
def quality(other_department: Department) -> User:
    return _staff("quality1", Role.QUALITY, other_department, first_name="质量经理")


@pytest.fixture
def admin_user(department: Department) -> User:
    return _staff("admin", Role.ADMIN, department, is_staff=True, is_superuser=True)


@pytest.fixture
def outsider(other_department: Department) -> User:
    return _staff("outsider", Role.AGENT, other_department, first_name="别部门")
