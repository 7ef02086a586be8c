"""Business-day arithmetic: numbers are consumed on weekdays, so time is measured in weekdays.

A rate per calendar day measured over Monday–Wednesday would be too high and one measured over a
weekend would be zero; per weekday both are right. Weekends are Saturday and Sunday in
Finnish local time; public holidays are not modelled (they make a forecast a little early,
which is the safe side).
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_SATURDAY = 5
_WEEKDAYS_PER_WEEK = 5


@cache
def finnish_time() -> tzinfo:
    """Europe/Helsinki, or UTC where the system has no time-zone database (a few hours' error)."""
    try:
        return ZoneInfo("Europe/Helsinki")
    except ZoneInfoNotFoundError:  # pragma: no cover - depends on the host
        return UTC


def _midnight(day: date, tz: tzinfo) -> datetime:
    return datetime.combine(day, time(), tzinfo=tz).astimezone(UTC)


def _seconds(start: datetime, end: datetime) -> float:
    # Aware datetimes sharing one tzinfo subtract as naive ones (DST ignored): go through UTC.
    return (end.astimezone(UTC) - start.astimezone(UTC)).total_seconds()


def business_days_between(start: datetime, end: datetime, tz: tzinfo | None = None) -> float:
    """Weekday time between two instants, in days (each weekday counts 1, weekends 0).

    >>> from datetime import UTC, datetime
    >>> friday_noon = datetime(2025, 1, 10, 10, tzinfo=UTC)    # 12:00 in Helsinki
    >>> monday_noon = datetime(2025, 1, 13, 10, tzinfo=UTC)
    >>> business_days_between(friday_noon, monday_noon)
    1.0
    >>> business_days_between(monday_noon, monday_noon + timedelta(days=7))
    5.0
    >>> business_days_between(monday_noon, friday_noon)
    0.0
    """
    zone = tz or finnish_time()
    if end <= start:
        return 0.0
    total = 0.0
    day = start.astimezone(zone).date()
    last = end.astimezone(zone).date()
    while day <= last:
        if day.weekday() < _SATURDAY:
            day_start, day_end = _midnight(day, zone), _midnight(day + timedelta(days=1), zone)
            overlap = _seconds(max(start, day_start), min(end, day_end))
            if overlap > 0:
                total += overlap / _seconds(day_start, day_end)
        day += timedelta(days=1)
    return total


def add_business_days(start: datetime, days: float, tz: tzinfo | None = None) -> datetime:
    """The instant ``days`` weekdays after ``start`` (weekends are skipped), in UTC.

    >>> from datetime import UTC, datetime
    >>> friday_noon = datetime(2025, 1, 10, 10, tzinfo=UTC)
    >>> add_business_days(friday_noon, 1.0).isoformat()
    '2025-01-13T10:00:00+00:00'
    >>> add_business_days(friday_noon, 10.0).isoformat()
    '2025-01-24T10:00:00+00:00'
    """
    zone = tz or finnish_time()
    current = start.astimezone(UTC)
    remaining = days
    while remaining > 0:
        local_day = current.astimezone(zone).date()
        day_start = _midnight(local_day, zone)
        next_start = _midnight(local_day + timedelta(days=1), zone)
        if current == day_start and local_day.weekday() == 0 and remaining > _WEEKDAYS_PER_WEEK:
            # Whole weeks at once (a forecast years ahead must not walk day by day), leaving
            # the last part of a week to the walk, so that the answer is the earliest instant.
            weeks = math.ceil(remaining / _WEEKDAYS_PER_WEEK) - 1
            current = _midnight(local_day + timedelta(weeks=weeks), zone)
            remaining -= weeks * _WEEKDAYS_PER_WEEK
            continue
        if local_day.weekday() < _SATURDAY:
            day_length = _seconds(day_start, next_start)
            available = _seconds(current, next_start) / day_length
            if remaining <= available:
                return current + timedelta(seconds=remaining * day_length)
            remaining -= available
        current = next_start
    return current
