from django_tasks import task

from redress.sla.services import case_clock_check


@task()
def sla_alarm(*, case_id: int, check_at: str) -> int:
    """Wakes at a case's `next_check_at`; does nothing if that moment has moved since."""
    return len(case_clock_check(case_id=case_id, check_at=check_at))
