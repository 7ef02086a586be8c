"""Waiting on a condition in tests: poll until it holds and raise at the deadline, never return
quietly. A fixed sleep is not a way to wait for work; a condition with a deadline is."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def until(condition: Callable[[], T], what: str, timeout: float = 30, every: float = 0.05) -> T:
    """``condition()``'s first truthy value; ``AssertionError`` naming ``what`` if it stays
    falsy for ``timeout`` seconds (generous: the machine running the tests may be loaded)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"gave up after {timeout} s waiting for {what}")
        time.sleep(every)
