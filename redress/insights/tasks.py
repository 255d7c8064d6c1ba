from django_tasks import task

from redress.insights.services import rollups_refresh_stale


@task()
def rollups_refresh() -> int:
    """Recompute the rollups of the days whose cases changed; safe to run twice."""
    return len(rollups_refresh_stale())
