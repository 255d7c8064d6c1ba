"""The calendars and policies every installation starts with: P1 and P2 answered within
15 minutes around the clock; P3 and P4 in office hours (09:00–18:00, Monday to Friday,
less statutory holidays, plus make-up working days). Administrators change them in the
admin; these are only the starting point."""

from datetime import time
from typing import Any

AROUND_THE_CLOCK = "Around the clock"
OFFICE_HOURS = "Office hours"

POLICIES = [
    # name, rank, priority, calendar, first response, next reply, resolution
    ("P1 · critical", 10, "P1", AROUND_THE_CLOCK, (15, "minutes"), (1, "hours"), (24, "hours")),
    ("P2 · high", 20, "P2", AROUND_THE_CLOCK, (15, "minutes"), (4, "hours"), (72, "hours")),
    ("P3 · normal", 30, "P3", OFFICE_HOURS, (2, "hours"), (1, "days"), (3, "days")),
    ("P4 · low", 40, "P4", OFFICE_HOURS, (1, "days"), (2, "days"), (5, "days")),
    ("Default", 1000, "", OFFICE_HOURS, (2, "hours"), (1, "days"), (3, "days")),
]


def install_defaults(calendar_model: Any, hours_model: Any, policy_model: Any) -> None:
    """Create the default calendars and policies (given the model classes, so a migration
    can pass its historical ones)."""
    calendars = {
        AROUND_THE_CLOCK: calendar_model.objects.get_or_create(
            name=AROUND_THE_CLOCK,
            defaults={"around_the_clock": True, "statutory_holidays": False},
        )[0],
    }
    office, created = calendar_model.objects.get_or_create(name=OFFICE_HOURS)
    calendars[OFFICE_HOURS] = office
    if created:
        hours_model.objects.bulk_create(
            hours_model(calendar=office, weekday=weekday, opens=time(9), closes=time(18))
            for weekday in range(5)
        )
    for name, rank, priority, calendar, first, reply, resolution in POLICIES:
        policy_model.objects.get_or_create(name=name, defaults={
            "rank": rank, "priority": priority, "calendar": calendars[calendar],
            "first_response": first[0], "first_response_unit": first[1],
            "next_reply": reply[0], "next_reply_unit": reply[1],
            "resolution": resolution[0], "resolution_unit": resolution[1],
        })
