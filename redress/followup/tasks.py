from django_tasks import task

from redress.followup.services import followup_expire, followup_send, followups_sweep


@task()
def followup_send_task(*, followup_id: int) -> str:
    """Wakes when a follow-up is due: sends the survey link or the call task."""
    return followup_send(followup_id=followup_id).status


@task()
def followup_expire_task(*, followup_id: int) -> str:
    """Wakes when a survey link expires: an unanswered follow-up closes the case."""
    followup = followup_expire(followup_id=followup_id)
    return followup.status if followup is not None else ""


@task()
def followup_sweep_task() -> list[int]:
    """Catch up with every follow-up whose moment passed while no worker was running."""
    return list(followups_sweep())
