from __future__ import annotations

import pytest

from core.errors import InvalidArgument
from core.numbering import Level, Thresholds, level_for

DEFAULT = Thresholds()
FAR = 10**9


@pytest.mark.parametrize(
    ("headroom", "days_left", "expected"),
    [
        # numbers limit, inclusive, no forecast
        (-5, None, Level.COLLISION),
        (0, None, Level.COLLISION),
        (1, None, Level.CRITICAL),
        (100, None, Level.CRITICAL),
        (101, None, Level.WARNING),
        (1000, None, Level.WARNING),
        (1001, None, Level.OK),
        # days limit, inclusive, plenty of numbers
        (FAR, 0.0, Level.CRITICAL),
        (FAR, 7.0, Level.CRITICAL),
        (FAR, 7.0001, Level.WARNING),
        (FAR, 30.0, Level.WARNING),
        (FAR, 30.0001, Level.OK),
        # whichever limit is reached first decides
        (50, 400.0, Level.CRITICAL),
        (5000, 3.0, Level.CRITICAL),
        (500, 400.0, Level.WARNING),
        (0, 400.0, Level.COLLISION),
    ],
)
def test_default_thresholds(headroom: int, days_left: float | None, expected: Level) -> None:
    assert level_for(headroom, days_left, DEFAULT) is expected


@pytest.mark.parametrize(
    ("thresholds", "headroom", "days_left", "expected"),
    [
        (Thresholds(warning_days=60, critical_days=14), FAR, 14.0, Level.CRITICAL),
        (Thresholds(warning_days=60, critical_days=14), FAR, 59.0, Level.WARNING),
        (Thresholds(warning_numbers=50, critical_numbers=10), 51, None, Level.OK),
        (Thresholds(warning_numbers=50, critical_numbers=10), 10, None, Level.CRITICAL),
        (Thresholds(0, 0, 0, 0), 1, 0.5, Level.OK),
    ],
)
def test_thresholds_per_onboarding(
    thresholds: Thresholds, headroom: int, days_left: float | None, expected: Level
) -> None:
    assert level_for(headroom, days_left, thresholds) is expected


@pytest.mark.parametrize(
    "kwargs",
    [
        {"warning_days": 5, "critical_days": 6},
        {"warning_numbers": 10, "critical_numbers": 11},
        {"critical_days": -1},
    ],
)
def test_inconsistent_thresholds_are_refused(kwargs: dict[str, int]) -> None:
    with pytest.raises(InvalidArgument):
        Thresholds(**kwargs)
