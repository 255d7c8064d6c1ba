"""Business time: adding working time to a moment, and measuring working time between two.

A `WorkingTime` is plain data (no database): the weekly opening hours in the
organisation's zone, whether mainland China's statutory holidays and make-up working days
(调休) apply, and the organisation's own closures. Deadlines counted in it skip nights,
weekends and holidays, and count make-up Saturdays and Sundays as working days.

Every computation walks day by day over the days it needs; a day's opening periods are
cached, so the usual deadline (minutes to a few working days ahead) costs a few dict
look-ups.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import chinese_calendar

Period = tuple[time, time]

# A deadline further away than this is a configuration error, not a real target: it stops
# a calendar with no working time at all from looping forever.
HORIZON_DAYS = 3 * 366


class NoWorkingTime(ValueError):
    """The calendar has no working time within the horizon (every day closed)."""


def statutory_day(day: date) -> bool | None:
    """Mainland China's rule for `day`: True a working day, False a holiday or weekend,
    None where the published calendar has no data yet (the weekly hours decide)."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return None


@lru_cache(maxsize=8192)
def _statutory_day_cached(day: date) -> bool | None:
    return statutory_day(day)


@dataclass(frozen=True)
class WorkingTime:
    """When an organisation counts time. `around_the_clock` ignores everything else."""

    zone: str = "Asia/Shanghai"
    around_the_clock: bool = False
    # Opening periods per weekday, Monday first: seven tuples of (opens, closes); a
    # `closes` of 00:00 means midnight at the end of the day.
    weekly: tuple[tuple[Period, ...], ...] = ((),) * 7
    statutory_holidays: bool = True
    closures: frozenset[date] = frozenset()

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.zone)

    def _make_up_periods(self) -> tuple[Period, ...]:
        # A make-up working day (调休) keeps ordinary working hours: Monday's, or the first
        # working weekday's when Monday is closed.
        return next((periods for periods in self.weekly if periods), ())

    def periods_on(self, day: date) -> tuple[Period, ...]:
        """The opening periods of `day` (local times, sorted)."""
        return _periods_on(self, day)

    def is_working_day(self, day: date) -> bool:
        return self.around_the_clock or bool(self.periods_on(day))

    # -- arithmetic ---------------------------------------------------------------------

    def _intervals_from(self, start: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Working intervals (aware, in the calendar's zone) from `start` onwards."""
        tz = self.tz
        local = start.astimezone(tz)
        day = local.date()
        for _ in range(HORIZON_DAYS):
            for opens, closes in self.periods_on(day):
                begin = datetime.combine(day, opens, tz)
                end = (
                    datetime.combine(day + timedelta(days=1), time(0), tz)
                    if closes == time(0) else datetime.combine(day, closes, tz)
                )
                if end <= local:
                    continue
                yield max(begin, local), end
            day += timedelta(days=1)
        raise NoWorkingTime("no working time within the horizon")

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The moment `duration` of working time after `start`."""
        if duration < timedelta(0):
            raise ValueError("duration must not be negative")
        if self.around_the_clock:
            return start + duration
        remaining = duration
        for begin, end in self._intervals_from(start):
            span = end - begin
            if remaining <= span:
                if remaining == timedelta(0):
                    return begin
                return begin + remaining
            remaining -= span
        raise NoWorkingTime("no working time within the horizon")  # pragma: no cover

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """The same local time `days` working days later (e.g. "3 business days").

        Started outside working hours, the count starts from the next opening: a complaint
        at 22:00 on Friday with one business day is due at the next working day's close.
        """
        if days < 0:
            raise ValueError("days must not be negative")
        if self.around_the_clock:
            return start + timedelta(days=days)
        first_begin, first_end = next(self._intervals_from(start))
        local = start.astimezone(self.tz)
        if first_begin > local:
            # Outside hours: a day's work is the whole first working day.
            day = first_begin.date()
            count = days
            while count > 1:
                day = self._next_working_day(day)
                count -= 1
            closing = self.periods_on(day)[-1][1]
            return datetime.combine(
                day + timedelta(days=1) if closing == time(0) else day,
                time(0) if closing == time(0) else closing, self.tz,
            )
        day = local.date()
        for _ in range(days):
            day = self._next_working_day(day)
        # The same time of day on the target day, moved into its working hours if the
        # target day is shorter (a half-day Saturday, a make-up day with other hours).
        target = datetime.combine(day, local.timetz().replace(tzinfo=None), self.tz)
        periods = self.periods_on(day)
        last_close = datetime.combine(day, periods[-1][1], self.tz) if periods[-1][1] != time(
            0) else datetime.combine(day + timedelta(days=1), time(0), self.tz)
        return min(target, last_close)

    def _next_working_day(self, day: date) -> date:
        for _ in range(HORIZON_DAYS):
            day += timedelta(days=1)
            if self.periods_on(day):
                return day
        raise NoWorkingTime("no working day within the horizon")

    def working_between(self, start: datetime, end: datetime) -> timedelta:
        """How much working time lies between `start` and `end` (zero if end ≤ start)."""
        if end <= start:
            return timedelta(0)
        if self.around_the_clock:
            return end - start
        total = timedelta(0)
        for begin, close in self._intervals_from(start):
            if begin >= end:
                break
            total += min(close, end) - begin
        return total


@lru_cache(maxsize=65536)
def _periods_on(working_time: WorkingTime, day: date) -> tuple[Period, ...]:
    if working_time.around_the_clock:
        return ((time(0), time(0)),)
    if day in working_time.closures:
        return ()
    weekly = working_time.weekly[day.weekday()]
    if not working_time.statutory_holidays:
        return weekly
    official = _statutory_day_cached(day)
    if official is None:
        return weekly
    if not official:
        return ()
    return weekly or working_time._make_up_periods()


def weekly_hours(rows: Iterable[tuple[int, time, time]]) -> tuple[tuple[Period, ...], ...]:
    """Group (weekday, opens, closes) rows into `WorkingTime.weekly`."""
    grouped: list[list[Period]] = [[] for _ in range(7)]
    for weekday, opens, closes in rows:
        grouped[weekday].append((opens, closes))
    return tuple(tuple(sorted(periods)) for periods in grouped)


OFFICE_HOURS = weekly_hours((weekday, time(9), time(18)) for weekday in range(5))
