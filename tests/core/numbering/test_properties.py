"""Properties that must hold for any history, not only the hand-picked ones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from core.numbering import Level, Observation, RateEstimate, Thresholds, estimate_rate, level_for
from core.numbering.calendar import add_business_days, business_days_between, finnish_time

START = datetime(2025, 1, 1, tzinfo=UTC)

instants = st.integers(min_value=0, max_value=60 * 24 * 90).map(
    lambda minutes: START + timedelta(minutes=minutes)
)
histories = st.lists(
    st.tuples(instants, st.integers(min_value=0, max_value=10**12)), min_size=0, max_size=60
)


@settings(max_examples=200, deadline=None)
@given(histories)
def test_a_rate_is_never_negative(points: list[tuple[datetime, int]]) -> None:
    history = [Observation(at, value) for at, value in points]
    rate = estimate_rate(history, START + timedelta(days=90))
    assert rate.per_business_day is None or rate.per_business_day >= 0
    assert rate.business_days >= 0


@settings(max_examples=200, deadline=None)
@given(instants, st.floats(min_value=0.01, max_value=400, allow_nan=False))
def test_adding_business_days_is_undone_by_counting_them(start: datetime, days: float) -> None:
    end = add_business_days(start, days)
    # It ends on a weekday, or exactly at the midnight that closes one.
    assert (end - timedelta(microseconds=1)).astimezone(finnish_time()).weekday() < 5
    assert abs(business_days_between(start, end) - days) < 1e-6


@given(
    st.integers(min_value=-(10**6), max_value=10**6),
    st.one_of(st.none(), st.floats(min_value=0, max_value=10**4, allow_nan=False)),
)
def test_no_headroom_is_never_ok(headroom: int, days_left: float | None) -> None:
    level = level_for(headroom, days_left, Thresholds())
    if headroom <= 0:
        assert level is Level.COLLISION
    else:
        assert level is not Level.COLLISION


def test_rate_estimate_reports_whether_it_is_known() -> None:
    assert RateEstimate(None, 1.0).known is False
    assert RateEstimate(0.0, 5.0).known is True
