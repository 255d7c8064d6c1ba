from django_tasks import task

from redress.lessons.services import problem_check_due, spikes_scan


@task()
def lessons_scan() -> int:
    """Review last week's recurring groups; safe to run twice (one alert per group-week)."""
    return len(spikes_scan())


@task()
def problem_check(*, problem_id: int) -> bool:
    """The effectiveness check once a problem's after-window has passed."""
    return problem_check_due(problem_id=problem_id) is not None
