"""A request ceiling per Rackbeat account: at most ``limit`` requests in any ``window``.

The one limiter of the process: every Rackbeat request passes it, whichever area sent it
(the numbering watch, the account snapshot, an import), so they share one ceiling per
account (``RACKBEAT_MAX_REQUESTS_PER_MINUTE``).

Rackbeat publishes no limit (domain.md: assume 480 a minute). A request holds a slot from
before it is sent until ``window`` after its answer came back, so even a request that reached
Rackbeat late (or whose answer we waited long for) is counted for a full window wherever
Rackbeat starts counting it: no window of any alignment, on our clock or Rackbeat's, ever sees
more than ``limit``. The price is one round trip per window, about 0.1 % at 50 ms.

Limiters are per process; two processes reading or importing one account at once would each
keep their own ceiling (one import per file runs at a time, and imports are rare enough that
this is documented rather than coordinated through the database).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Protocol

DEFAULT_PER_MINUTE = 480


class RequestGate(Protocol):
    """Admits one request at a time under the account's ceiling."""

    def acquire(self, stop: threading.Event | None = None) -> bool: ...

    def release(self) -> None: ...


class RateLimiter:
    def __init__(
        self,
        limit: int,
        window: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("a rate limit needs limit >= 1 and a positive window")
        self.limit = limit
        self.window = window
        self._clock = clock
        self._in_flight = 0
        self._recent: deque[float] = deque()  # when answered requests free their slot
        self._changed = threading.Condition()

    def _free(self, now: float) -> None:
        while self._recent and self._recent[0] <= now:
            self._recent.popleft()

    def acquire(self, stop: threading.Event | None = None) -> bool:
        """Wait for a slot; False if ``stop`` was set while waiting."""
        with self._changed:
            while True:
                now = self._clock()
                self._free(now)
                if self._in_flight + len(self._recent) < self.limit:
                    self._in_flight += 1
                    return True
                if stop is not None and stop.is_set():
                    return False
                wait = self._recent[0] - now if self._recent else 1.0
                self._changed.wait(min(max(wait, 0.001), 1.0))

    def release(self) -> None:
        with self._changed:
            self._in_flight -= 1
            self._recent.append(self._clock() + self.window)
            self._changed.notify_all()

    @contextmanager
    def slot(self) -> Iterator[None]:
        self.acquire()
        try:
            yield
        finally:
            self.release()


class Unlimited:
    """No ceiling (benchmarks, and tests that are not about the limit)."""

    def acquire(self, stop: threading.Event | None = None) -> bool:
        return True

    def release(self) -> None:
        pass

    @contextmanager
    def slot(self) -> Iterator[None]:
        yield


UNLIMITED = Unlimited()


class AccountLimits:
    """One ``RateLimiter`` per account: ``for_account`` gives every client of an account the
    same one. The account key (its API token) is hashed here, so no token is kept as a key."""

    def __init__(self, per_minute: int = DEFAULT_PER_MINUTE, window: float = 60.0) -> None:
        self.per_minute = per_minute
        self.window = window
        self._limiters: dict[str, RateLimiter] = {}
        self._guard = threading.Lock()

    def for_account(self, account_key: str) -> RateLimiter:
        key = hashlib.sha256(account_key.encode()).hexdigest()
        with self._guard:
            if key not in self._limiters:
                self._limiters[key] = RateLimiter(self.per_minute, self.window)
            return self._limiters[key]
