"""A thread pool that knows when it is idle.

Bolt runs listeners on it after `ack()`, and handlers submit slow work (downloads, validation,
upstream calls) to it. The terminal workspace and the tests wait for `wait_idle()` instead of
sleeping, so their output is complete and deterministic.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import timedelta
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

log = logging.getLogger(__name__)


class RetryLater(Exception):
    """Work stopped for a passing reason (Slack or the database away after their own
    retries) and should run again ``after`` this long. A job worker retries the job
    (`bot.job_runner`); work on the in-process pool has no later and gets the apology."""

    def __init__(self, reason: str, after: timedelta = timedelta(minutes=1)) -> None:
        super().__init__(reason)
        self.after = after


class TrackingExecutor(ThreadPoolExecutor):
    """A thread pool that counts queued and running work."""

    def __init__(self, max_workers: int = 16, thread_name_prefix: str = "bot") -> None:
        super().__init__(max_workers=max_workers, thread_name_prefix=thread_name_prefix)
        self._pending = 0
        self._changed = threading.Condition()

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        with self._changed:
            self._pending += 1
        try:
            future = super().submit(fn, *args, **kwargs)
        except BaseException:
            self._done(None)
            raise
        future.add_done_callback(self._done)
        return future

    def _done(self, future: Future[Any] | None) -> None:
        if future is not None and not future.cancelled() and future.exception() is not None:
            # Listeners log their own errors through Bolt; background jobs might not.
            log.error("background task failed", exc_info=future.exception())
        with self._changed:
            self._pending -= 1
            self._changed.notify_all()

    @property
    def pending(self) -> int:
        with self._changed:
            return self._pending

    def wait_below(self, limit: int) -> None:
        """Block while `limit` or more tasks are queued or running."""
        with self._changed:
            self._changed.wait_for(lambda: self._pending < limit)

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """Block until nothing is queued or running; False if `timeout` passed first."""
        with self._changed:
            return self._changed.wait_for(lambda: self._pending == 0, timeout=timeout)


def wait_all_idle(executors: list[TrackingExecutor], timeout: float = 30.0) -> bool:
    """Wait until every executor is idle at the same moment (work may hop between them)."""
    for _ in range(1000):
        for executor in executors:
            if not executor.wait_idle(timeout=timeout):
                return False
        if all(executor.pending == 0 for executor in executors):
            return True
    return False
