from django_tasks import task

from redress.lessons.services import problem_check_due, spikes_scan, weekly_scan_arm


@task()
def lessons_scan() -> int:
    """Review last week's recurring groups, then wake again next Monday morning; safe to
    run twice (one alert per group-week)."""
    raised = len(spikes_scan())
    weekly_scan_arm()
    return raised


@task()
def problem_check(*, problem_id: int) -> bool:
    """The effectiveness check once a problem's after-window has passed."""
    return problem_check_due(problem_id=problem_id) is not None
