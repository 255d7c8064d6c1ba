"""`redress lessons scan`: group new complaints and raise last week's spike alerts."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from redress.lessons.services import spikes_scan, weekly_scan_arm


class Command(BaseCommand):
    help = str(gettext_lazy(
        "Recurring problems. `redress lessons scan` groups the complaints not grouped yet "
        "and reviews the last complete week of every group for spikes, then arms the weekly "
        "review a worker runs every Monday at 06:00 (`redress serve` runs it at start-up). "
        "Running it twice raises nothing twice."
    ))

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["scan"])

    def handle(self, *args: Any, **options: Any) -> None:
        alerts = spikes_scan()
        for alert in alerts:
            self.stdout.write(_("%(week)s  %(count)d (baseline %(baseline).1f)  %(topic)s") % {
                "week": alert.week_start.isoformat(), "count": alert.count,
                "baseline": alert.baseline, "topic": alert.group.headline,
            })
        self.stdout.write(_("%(n)d new alerts.") % {"n": len(alerts)})
        # From here on a worker reviews the groups every Monday morning by itself.
        weekly_scan_arm()
