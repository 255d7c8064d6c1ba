"""Deadline arithmetic in business time: nights, weekends, the 2026 National Day holiday
and its make-up working days, the organisation's own closures."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from redress.sla.calendar import OFFICE_HOURS, NoWorkingTime, WorkingTime, weekly_hours

SHANGHAI = ZoneInfo("Asia/Shanghai")
OFFICE = WorkingTime(weekly=OFFICE_HOURS)


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


@pytest.mark.parametrize("start, duration, due", [
    # Within the day.
    (at(2026, 11, 24, 10, 0), timedelta(hours=2), at(2026, 11, 24, 12, 0)),
    # Across a night: 17:00 Tuesday + 2 business hours = 10:00 Wednesday.
    (at(2026, 11, 24, 17, 0), timedelta(hours=2), at(2026, 11, 25, 10, 0)),
    # Received at night: the clock starts at 09:00.
    (at(2026, 11, 24, 23, 30), timedelta(minutes=15), at(2026, 11, 25, 9, 15)),
    # Across a weekend: Friday 17:30 + 2 hours = Monday 10:30.
    (at(2026, 11, 20, 17, 30), timedelta(hours=2), at(2026, 11, 23, 10, 30)),
    # National Day 2026: 1–7 October off; Wednesday 30 September 17:00 + 2 h = Thursday
    # 8 October 10:00.
    (at(2026, 9, 30, 17, 0), timedelta(hours=2), at(2026, 10, 8, 10, 0)),
    # Saturday 10 October is a make-up working day (调休): Friday 17:00 + 2 h lands on it.
    (at(2026, 10, 9, 17, 0), timedelta(hours=2), at(2026, 10, 10, 10, 0)),
    # Sunday 11 October is an ordinary weekend day again.
    (at(2026, 10, 10, 17, 0), timedelta(hours=2), at(2026, 10, 12, 10, 0)),
    # Zero time from outside hours is the next opening.
    (at(2026, 11, 21, 12, 0), timedelta(0), at(2026, 11, 23, 9, 0)),
])
def test_business_hours_skip_nights_weekends_and_holidays(start, duration, due):
    assert OFFICE.add(start, duration) == due


def test_make_up_day_counts_only_with_statutory_holidays_on():
    plain = WorkingTime(weekly=OFFICE_HOURS, statutory_holidays=False)
    # Without the statutory calendar 1 October 2026 (a Thursday) is a working day …
    assert plain.add(at(2026, 9, 30, 17, 0), timedelta(hours=2)) == at(2026, 10, 1, 10, 0)
    # … and Saturday 10 October is not.
    assert plain.add(at(2026, 10, 9, 17, 0), timedelta(hours=2)) == at(2026, 10, 12, 10, 0)


def test_business_days_keep_the_time_of_day():
    assert OFFICE.add_working_days(at(2026, 11, 20, 10, 0), 3) == at(2026, 11, 25, 10, 0)
    # Across National Day: Wednesday 30 September + 3 business days = Saturday 10 October
    # (the make-up day), because 8 and 9 October are the first two.
    assert OFFICE.add_working_days(at(2026, 9, 30, 11, 0), 3) == at(2026, 10, 10, 11, 0)


def test_business_days_from_outside_hours_end_at_a_close():
    # Friday 22:00 + 1 business day: all of Monday counts, due at its close.
    assert OFFICE.add_working_days(at(2026, 11, 20, 22, 0), 1) == at(2026, 11, 23, 18, 0)


def test_own_closures_are_skipped():
    closed = WorkingTime(weekly=OFFICE_HOURS, closures=frozenset({date(2026, 11, 25)}))
    assert closed.add(at(2026, 11, 24, 17, 0), timedelta(hours=2)) == at(2026, 11, 26, 10, 0)


def test_split_days_count_only_open_periods():
    split = WorkingTime(weekly=weekly_hours(
        [(d, time(9), time(12)) for d in range(5)] + [(d, time(14), time(18)) for d in range(5)]
    ))
    assert split.add(at(2026, 11, 24, 11, 0), timedelta(hours=2)) == at(2026, 11, 24, 15, 0)


def test_working_time_between_two_moments():
    assert OFFICE.working_between(at(2026, 11, 20, 17, 0), at(2026, 11, 23, 10, 0)) == (
        timedelta(hours=2)
    )
    assert OFFICE.working_between(at(2026, 9, 30, 9, 0), at(2026, 10, 8, 9, 0)) == (
        timedelta(hours=9)
    )
    assert OFFICE.working_between(at(2026, 11, 23, 10, 0), at(2026, 11, 20, 10, 0)) == (
        timedelta(0)
    )


def test_around_the_clock_counts_every_minute():
    always = WorkingTime(around_the_clock=True)
    assert always.add(at(2026, 10, 1, 23, 50), timedelta(minutes=15)) == at(2026, 10, 2, 0, 5)
    assert always.add_working_days(at(2026, 10, 1, 8, 0), 3) == at(2026, 10, 4, 8, 0)


def test_years_without_published_holidays_fall_back_to_the_weekly_hours():
    # 2030 has no published schedule yet: 1 October 2030 is a Tuesday, worked.
    assert OFFICE.add(at(2030, 9, 30, 17, 0), timedelta(hours=2)) == at(2030, 10, 1, 10, 0)


def test_a_calendar_with_no_working_time_is_an_error_not_a_hang():
    with pytest.raises(NoWorkingTime):
        WorkingTime(statutory_holidays=False).add(at(2026, 11, 24, 9, 0), timedelta(hours=1))
