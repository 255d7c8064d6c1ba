from django_tasks import task

from redress.remedies.services import approvals_overdue_notify, guarantees_keep


@task()
def guarantee_check(*, case_id: int) -> int:
    """Wakes at a promise's deadline for one case and keeps the promise if it was broken."""
    return guarantees_keep(case_ids=[case_id])


@task()
def approval_overdue_check(*, remedy_id: int) -> int:
    """Wakes when an approval's time is up; tells a manager if it is still waiting."""
    return approvals_overdue_notify(remedy_ids=[remedy_id])
