"""Alert thresholds per onboarding and the level they give a headroom and a forecast."""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import InvalidArgument
from core.numbering.model import Level


@dataclass(frozen=True, slots=True)
class Thresholds:
    """When a series turns ``warning`` or ``critical``: either limit reached is enough.

    Days are calendar days until the headroom runs out; numbers are the headroom itself. Both
    limits are inclusive ("warning at ≤ 30 days or ≤ 1,000 numbers").

    >>> Thresholds()
    Thresholds(warning_days=30, warning_numbers=1000, critical_days=7, critical_numbers=100)
    >>> Thresholds(warning_days=5, critical_days=7)
    Traceback (most recent call last):
    ...
    core.errors.InvalidArgument: numbering.modal.critical_above_warning.days
    """

    warning_days: int = 30
    warning_numbers: int = 1000
    critical_days: int = 7
    critical_numbers: int = 100

    def __post_init__(self) -> None:
        for name in ("warning_days", "warning_numbers", "critical_days", "critical_numbers"):
            if getattr(self, name) < 0:
                raise InvalidArgument("numbering.threshold.negative", name=name)
        for unit in ("days", "numbers"):
            critical, warning = getattr(self, f"critical_{unit}"), getattr(self, f"warning_{unit}")
            if critical > warning:
                raise InvalidArgument(
                    f"numbering.modal.critical_above_warning.{unit}",
                    critical=critical,
                    warning=warning,
                )


def level_for(headroom: int, days_left: float | None, thresholds: Thresholds) -> Level:
    """The level of a headroom (numbers still usable) and the days until it runs out.

    ``headroom <= 0`` is a collision: the next number is already taken. ``days_left`` is
    ``None`` when there is no forecast (too little history, or numbers are not being used):
    then only the numbers limit applies.

    >>> t = Thresholds()
    >>> [level_for(h, None, t).value for h in (0, 1, 100, 101, 1000, 1001)]
    ['collision', 'critical', 'critical', 'warning', 'warning', 'ok']
    >>> [level_for(50_000, d, t).value for d in (7.0, 7.5, 30.0, 30.01)]
    ['critical', 'warning', 'warning', 'ok']
    """
    if headroom <= 0:
        return Level.COLLISION
    if headroom <= thresholds.critical_numbers or _within(days_left, thresholds.critical_days):
        return Level.CRITICAL
    if headroom <= thresholds.warning_numbers or _within(days_left, thresholds.warning_days):
        return Level.WARNING
    return Level.OK


def _within(days_left: float | None, limit: int) -> bool:
    return days_left is not None and days_left <= limit
