from django_tasks import task

from redress.sla.services import sla_alarm_ring


@task()
def sla_alarm(*, at: str) -> int:
    """Wakes at a second some clock is due; handles every clock due by then."""
    return sla_alarm_ring(at=at)
