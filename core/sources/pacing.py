"""A ceiling on the request rate to one upstream account: at most N requests in any minute.

Rackbeat publishes no rate limit; domain.md says to assume about 480 requests a minute and to
back off on 429. A sliding window (the send times of the last N requests) keeps the ceiling
exactly, yet lets a short read (an account's reference lists, a few pages) go at full speed:
only a read long enough to reach N requests within a minute is slowed down.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import deque
from collections.abc import Callable

import httpx


class RequestPacer:
    """``wait()`` before each request; blocks just long enough to stay under the ceiling.

    >>> slept = []
    >>> now = [0.0]
    >>> pacer = RequestPacer(2, clock=lambda: now[0], sleep=lambda s: slept.append(s))
    >>> pacer.wait(); pacer.wait(); pacer.wait()
    >>> slept
    [60.0]
    """

    def __init__(
        self,
        per_minute: int,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        window: float = 60.0,
    ) -> None:
        if per_minute < 1:
            raise ValueError("per_minute must be at least 1")
        self.per_minute = per_minute
        self._clock = clock
        self._sleep = sleep
        self._window = window
        self._sent: deque[float] = deque()
        self._lock = threading.Lock()
        self.waited = 0.0
        """Seconds spent waiting so far (the benchmark reports it)."""

    def wait(self) -> None:
        # The lock is held while sleeping on purpose: requests of one account queue in order.
        with self._lock:
            now = self._clock()
            while self._sent and now - self._sent[0] >= self._window:
                self._sent.popleft()
            if len(self._sent) >= self.per_minute:
                delay = self._sent[0] + self._window - now
                if delay > 0:
                    self._sleep(delay)
                    self.waited += delay
                    now = self._clock() if self._clock() > now else now + delay
                self._sent.popleft()
            self._sent.append(now)


class AccountPacers:
    """One ``RequestPacer`` per Rackbeat account, applied to every request of a shared client.

    Installed as an httpx ``request`` event hook, it runs before every attempt (retries
    included), whichever code sent it: the numbering watch and the account snapshot share one
    ceiling per account. Accounts are told apart by a digest of the bearer token, so the token
    itself is never kept here.
    """

    def __init__(self, per_minute: int, *, sleep: Callable[[float], None] = time.sleep) -> None:
        self.per_minute = per_minute
        self._sleep = sleep
        self._pacers: dict[str, RequestPacer] = {}
        self._lock = threading.Lock()

    def pacer(self, authorization: str) -> RequestPacer:
        key = hashlib.sha256(authorization.encode()).hexdigest()
        with self._lock:
            found = self._pacers.get(key)
            if found is None:
                found = self._pacers[key] = RequestPacer(self.per_minute, sleep=self._sleep)
            return found

    def __call__(self, request: httpx.Request) -> None:
        authorization = request.headers.get("Authorization", "")
        if authorization.startswith("Bearer "):
            self.pacer(authorization).wait()
