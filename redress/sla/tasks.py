from django_tasks import task

from redress.sla.services import policy_reapply, sla_alarm_ring


@task()
def sla_alarm(*, at: str) -> int:
    """Wakes at a second some clock is due; handles every clock due by then."""
    return sla_alarm_ring(at=at)


@task()
def sla_policy_reapply(*, policy_ids: list[int]) -> int:
    """Recount the open cases of changed policies, away from the administrator's request."""
    return policy_reapply(policy_ids=policy_ids)
