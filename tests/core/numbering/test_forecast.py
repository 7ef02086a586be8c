"""Consumption rate and forecast: weekends, gaps, renumbering, too little history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.numbering import Observation, RateEstimate, RatePolicy, estimate_rate, forecast
from core.numbering.calendar import add_business_days, business_days_between

MONDAY = datetime(2025, 1, 6, 8, tzinfo=UTC)  # 10:00 in Helsinki


def weekday_history(
    days: int, per_day: int, start: int = 10_000, begin: datetime = MONDAY
) -> list[Observation]:
    """Hourly observations over ``days`` calendar days from ``begin``; ``per_day`` (a multiple
    of 8) numbers used each weekday between 08:00 and 16:00 UTC, none at weekends."""
    points, value = [], start
    for hour in range(days * 24 + 1):
        at = begin + timedelta(hours=hour)
        if at.weekday() < 5 and 8 <= at.hour < 16 and hour:
            value += per_day // 8
        points.append(Observation(at, value))
    return points


def test_steady_weekday_use_is_measured_per_weekday_not_per_calendar_day() -> None:
    history = weekday_history(14, per_day=80)
    rate = estimate_rate(history, history[-1].at)
    assert rate.per_business_day == pytest.approx(80, rel=0.02)
    assert rate.renumberings == 0


def test_a_weekend_alone_does_not_count_as_a_quiet_week() -> None:
    saturday = MONDAY + timedelta(days=5)
    history = [Observation(saturday + timedelta(hours=h), 500) for h in range(0, 37, 3)]
    rate = estimate_rate(history, history[-1].at)
    assert rate.per_business_day is None
    assert rate.business_days == 0


def test_weekend_in_the_window_does_not_dilute_the_rate() -> None:
    # Wednesday to the next Wednesday: five weekdays, seven calendar days.
    wednesday = MONDAY + timedelta(days=2)
    history = [Observation(wednesday, 1000), Observation(wednesday + timedelta(days=7), 1100)]
    rate = estimate_rate(history, wednesday + timedelta(days=7))
    assert rate.per_business_day == pytest.approx(20)


def test_a_gap_in_the_observations_still_counts_what_was_used_across_it() -> None:
    history = weekday_history(21, per_day=40)
    with_gap = [
        o for o in history if not (MONDAY + timedelta(days=7) <= o.at < MONDAY + timedelta(days=14))
    ]
    full = estimate_rate(history, history[-1].at).per_business_day
    gapped = estimate_rate(with_gap, history[-1].at).per_business_day
    assert gapped == pytest.approx(full, rel=0.01)


@pytest.mark.parametrize(
    ("new_value", "why"),
    [(100, "series moved down"), (900_000, "series moved far up")],
)
def test_a_renumbering_is_not_consumption(new_value: int, why: str) -> None:
    history = weekday_history(14, per_day=40)
    after = weekday_history(
        7, per_day=40, start=new_value, begin=history[-1].at + timedelta(hours=1)
    )
    rate = estimate_rate([*history, *after], after[-1].at)
    assert rate.renumberings == 1, why
    assert rate.per_business_day == pytest.approx(40, rel=0.1)


def test_a_busy_day_is_consumption_not_a_renumbering() -> None:
    history = [Observation(MONDAY + timedelta(days=d), 1000 + 5 * d) for d in range(5)]
    history.append(Observation(MONDAY + timedelta(days=7), 1020 + 150))  # year-end batch run
    rate = estimate_rate(history, MONDAY + timedelta(days=7))
    assert rate.renumberings == 0
    assert rate.per_business_day == pytest.approx(170 / 5)


@pytest.mark.parametrize(
    ("span_hours", "known"),
    [(71, False), (72, True)],  # 3 weekdays (Mon 08:00 → Thu 08:00) is the minimum
)
def test_not_enough_history_is_said_not_guessed(span_hours: int, known: bool) -> None:
    history = [Observation(MONDAY, 0), Observation(MONDAY + timedelta(hours=span_hours), 300)]
    rate = estimate_rate(history, MONDAY + timedelta(hours=span_hours))
    assert rate.known is known


def test_only_the_window_counts() -> None:
    old = [Observation(MONDAY - timedelta(days=60), 0)]
    recent = weekday_history(14, per_day=16, start=50_000)
    rate = estimate_rate([*old, *recent], recent[-1].at, RatePolicy(window=timedelta(days=28)))
    assert rate.per_business_day == pytest.approx(16, rel=0.05)


def test_history_in_any_order_gives_the_same_rate() -> None:
    history = weekday_history(10, per_day=24)
    now = history[-1].at
    assert estimate_rate(list(reversed(history)), now) == estimate_rate(history, now)


def test_observations_after_now_are_ignored() -> None:
    history = weekday_history(10, per_day=24)
    now = history[-1].at
    future = Observation(now + timedelta(days=1), 10**9)
    assert estimate_rate([*history, future], now) == estimate_rate(history, now)


@pytest.mark.parametrize(
    ("start", "headroom", "rate", "expected_days"),
    [
        (MONDAY, 40, 10.0, 4.0),  # Monday → Friday
        (MONDAY + timedelta(days=4), 10, 10.0, 3.0),  # Friday → Monday
        (MONDAY + timedelta(days=5), 10, 10.0, 2 + 14 / 24),  # Saturday → Monday's end
        (MONDAY, 50, 10.0, 7.0),  # a full week
        (MONDAY, 5, 10.0, 0.5),
    ],
)
def test_forecast_skips_weekends(
    start: datetime, headroom: int, rate: float, expected_days: float
) -> None:
    result = forecast(headroom, RateEstimate(rate, 10.0), start)
    assert result.days_left == pytest.approx(expected_days, abs=0.1)
    assert result.runs_out_at is not None
    assert result.runs_out_at.weekday() < 5


def test_used_up_headroom_runs_out_now() -> None:
    result = forecast(0, RateEstimate(3.0, 10.0), MONDAY)
    assert result.days_left == 0
    assert result.runs_out_at == MONDAY


def test_business_days_across_a_daylight_saving_change_are_whole_days() -> None:
    friday = datetime(2025, 3, 28, 10, tzinfo=UTC)  # clocks go forward on Sunday 30 March
    next_friday = datetime(2025, 4, 4, 9, tzinfo=UTC)  # same local time, one hour less in UTC
    assert business_days_between(friday, next_friday) == pytest.approx(5.0)
    assert add_business_days(friday, 5.0) == next_friday


def test_whole_weeks_end_at_the_close_of_friday_not_the_next_monday() -> None:
    saturday = datetime(2025, 1, 3, 22, tzinfo=UTC)  # 00:00 on Saturday in Helsinki
    assert add_business_days(saturday, 15.0) == saturday + timedelta(days=21)
    assert add_business_days(saturday, 5.0) == saturday + timedelta(days=7)
