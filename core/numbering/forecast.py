"""How fast a number series is consumed, and when its headroom runs out.

The rate is numbers per weekday (see ``calendar``), measured over a window of history:

- Observations are reduced to the last one of each local day (plus the first in the window), so
  hourly checks and a check missed for a week weigh the same: a gap simply becomes one longer
  interval whose consumption is still counted.
- An interval whose value went *down*, or *up* by far more than the series normally moves, is a
  renumbering (someone moved the series in the settings), not consumption: it is left out,
  numbers and time alike, and counted in ``renumberings``.
- With less than ``min_business_days`` of usable history there is no rate: "not enough
  history to forecast" is an answer, a guess is not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from itertools import pairwise
from statistics import median

from core.numbering.calendar import add_business_days, finnish_time
from core.numbering.calendar import business_days_between as _business_days
from core.numbering.model import Observation

_SECONDS_PER_DAY = 86_400
_HORIZON_BUSINESS_DAYS = 10 * 261
"""Beyond about ten years a date is meaningless (and would overflow): only days are given."""


@dataclass(frozen=True, slots=True)
class RatePolicy:
    """Knobs of the rate estimate; the defaults suit hourly to daily checks."""

    window: timedelta = timedelta(days=28)
    min_business_days: float = 3.0
    jump_floor: int = 1000
    """An increase below this is never taken for a renumbering."""
    jump_factor: float = 10.0
    """An increase above this many times the typical daily use is a renumbering."""


@dataclass(frozen=True, slots=True)
class RateEstimate:
    """Numbers used per weekday; ``per_business_day`` is ``None`` without enough history."""

    per_business_day: float | None
    business_days: float
    """How much weekday time the estimate rests on."""
    renumberings: int = 0

    @property
    def known(self) -> bool:
        return self.per_business_day is not None


@dataclass(frozen=True, slots=True)
class Forecast:
    """When the headroom runs out at the estimated rate (both ``None``: it does not)."""

    days_left: float | None
    runs_out_at: datetime | None


def estimate_rate(
    history: Sequence[Observation],
    now: datetime,
    policy: RatePolicy | None = None,
    tz: tzinfo | None = None,
) -> RateEstimate:
    """The consumption rate of one value over the policy's window before ``now``.

    >>> from datetime import UTC, datetime, timedelta
    >>> monday = datetime(2025, 1, 6, 15, tzinfo=UTC)
    >>> weekdays = [monday + timedelta(days=d) for d in (0, 1, 2, 3, 4, 7)]
    >>> history = [Observation(t, 1000 + 20 * i) for i, t in enumerate(weekdays)]
    >>> estimate_rate(history, weekdays[-1]).per_business_day
    20.0
    >>> estimate_rate(history[:3], weekdays[2]).per_business_day is None   # two weekdays only
    True
    >>> renumbered = [*history, Observation(weekdays[-1] + timedelta(days=1), 50_000)]
    >>> estimate = estimate_rate(renumbered, weekdays[-1] + timedelta(days=1))
    >>> estimate.per_business_day, estimate.renumberings
    (20.0, 1)
    """
    rules = policy or RatePolicy()
    zone = tz or finnish_time()
    points = _daily_points(
        [o for o in history if now - rules.window <= o.at <= now],
        zone,
    )
    intervals = [(b.value - a.value, _business_days(a.at, b.at, zone)) for a, b in pairwise(points)]
    typical = median([delta / max(days, 1.0) for delta, days in intervals] or [0.0])
    used, span, renumberings = 0, 0.0, 0
    for delta, days in intervals:
        limit = max(rules.jump_floor, rules.jump_factor * max(typical, 0.0) * max(days, 1.0))
        if delta < 0 or delta > limit:
            renumberings += 1
            continue
        used += delta
        span += days
    if span < rules.min_business_days:
        return RateEstimate(None, span, renumberings)
    return RateEstimate(used / span, span, renumberings)


def _daily_points(observations: list[Observation], tz: tzinfo) -> list[Observation]:
    ordered = sorted(observations, key=lambda o: o.at)
    if not ordered:
        return []
    last_of_day: dict[object, Observation] = {}
    for observation in ordered:
        last_of_day[observation.at.astimezone(tz).date()] = observation
    points = list(last_of_day.values())
    return points if points[0] is ordered[0] else [ordered[0], *points]


def forecast(
    headroom: int,
    rate: RateEstimate,
    now: datetime,
    tz: tzinfo | None = None,
) -> Forecast:
    """When ``headroom`` numbers are used up at ``rate``, counting weekdays only.

    ``days_left`` is in calendar days. Far beyond the horizon there is no date, only days.

    >>> from datetime import UTC, datetime
    >>> friday = datetime(2025, 1, 10, 10, tzinfo=UTC)
    >>> f = forecast(100, RateEstimate(20.0, 10.0), friday)   # five weekdays
    >>> f.days_left, f.runs_out_at.date().isoformat()
    (7.0, '2025-01-17')
    >>> forecast(100, RateEstimate(0.0, 10.0), friday)        # not consuming
    Forecast(days_left=None, runs_out_at=None)
    >>> forecast(100, RateEstimate(None, 1.0), friday).days_left is None
    True
    >>> forecast(10**12, RateEstimate(1.0, 10.0), friday).runs_out_at is None
    True
    """
    if rate.per_business_day is None or rate.per_business_day <= 0:
        return Forecast(None, None)
    if headroom <= 0:
        return Forecast(0.0, now)
    business_days = headroom / rate.per_business_day
    if business_days > _HORIZON_BUSINESS_DAYS:
        return Forecast(business_days * 7 / 5, None)
    runs_out_at = add_business_days(now, business_days, tz)
    return Forecast((runs_out_at - now).total_seconds() / _SECONDS_PER_DAY, runs_out_at)
