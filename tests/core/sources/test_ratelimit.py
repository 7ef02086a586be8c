"""The request ceiling: never more than ``limit`` in any window, counted from each answer."""

from __future__ import annotations

import threading
import time

from core.sources.ratelimit import RateLimiter


def test_no_window_anywhere_sees_more_than_the_limit() -> None:
    limiter = RateLimiter(5, window=0.3)
    starts: list[float] = []
    for _ in range(16):
        limiter.acquire()
        starts.append(time.monotonic())
        limiter.release()
    for i, start in enumerate(starts):
        assert sum(1 for s in starts[i:] if s - start < 0.3) <= 5
    # Three full windows after the first burst of five: the ceiling is also the pace.
    assert starts[-1] - starts[0] >= 0.9


def test_a_slow_answer_keeps_its_slot_until_a_window_after_it_came_back() -> None:
    limiter = RateLimiter(1, window=0.2)
    limiter.acquire()
    time.sleep(0.3)  # the request takes longer than the window
    limiter.release()
    released = time.monotonic()
    limiter.acquire()
    assert time.monotonic() - released >= 0.19
    limiter.release()


def test_a_waiter_gives_up_when_told_to_stop() -> None:
    limiter = RateLimiter(1, window=60)
    limiter.acquire()
    limiter.release()
    stop = threading.Event()
    threading.Timer(0.1, stop.set).start()
    assert limiter.acquire(stop) is False
