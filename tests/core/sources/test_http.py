from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.sources.http import RetryPolicy, retry_after_seconds


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", 0.0),
        ("120", 120.0),
        (" 5 ", 5.0),
        ("Mon, 06 Jan 2025 12:00:10 GMT", 10.0),
        ("Mon, 06 Jan 2025 11:00:00 GMT", 0.0),  # in the past: go now
        ("-3", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after(value: str | None, expected: float | None) -> None:
    now = datetime(2025, 1, 6, 12, tzinfo=UTC)
    assert retry_after_seconds(value, now) == expected


def test_backoff_doubles_up_to_the_cap() -> None:
    policy = RetryPolicy(base_delay=1.0, max_delay=5.0, jitter=False)
    assert [policy.backoff(n) for n in range(1, 6)] == [1.0, 2.0, 4.0, 5.0, 5.0]


def test_jitter_stays_within_half_and_full_delay() -> None:
    policy = RetryPolicy(base_delay=2.0, max_delay=60.0, jitter=True)
    delays = [policy.backoff(3) for _ in range(200)]
    assert all(4.0 <= delay <= 8.0 for delay in delays)
    assert len(set(delays)) > 1
