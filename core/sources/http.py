"""One request with timeouts, retries and backoff, shared by the Rackbeat and Netvisor clients.

``build`` makes a fresh request for every attempt (Netvisor needs a new transaction id and MAC
each time). ``handle`` turns a response into a result, or raises ``Retry`` for an answer worth
another try (429, 5xx, Netvisor's transient codes). A ``Retry-After`` longer than
``max_delay`` is not waited out: a worker blocked for minutes helps nobody, the next check
comes soon enough.
"""

from __future__ import annotations

import functools
import random
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from types import TracebackType
from typing import Self, TypeVar

import httpx

from core.upstream import Source, SourceUnavailable

T = TypeVar("T")

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)


@functools.cache
def tls_context() -> ssl.SSLContext:
    """One TLS context per process for every outgoing HTTPS call (Slack, file downloads,
    Rackbeat, Netvisor). Building one loads the whole CA bundle, about 50 ms of CPU; without a
    shared one, each file download and each Slack Web API call built its own."""
    return httpx.create_ssl_context()


_NAMES = {Source.RACKBEAT: "Rackbeat", Source.NETVISOR: "Netvisor", Source.MANUAL: "manual"}


def source_name(source: Source) -> str:
    return _NAMES[source]


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 30.0
    jitter: bool = True

    def backoff(self, attempt: int) -> float:
        """Delay before retry number ``attempt`` (1-based): exponential, capped, jittered."""
        delay = min(self.max_delay, self.base_delay * 2.0 ** (attempt - 1))
        return delay * random.uniform(0.5, 1.0) if self.jitter else delay


class Retry(Exception):
    """Raised by a response handler: this answer deserves another attempt."""

    def __init__(self, error: SourceUnavailable, retry_after: float | None = None) -> None:
        super().__init__(error.reason)
        self.error = error
        self.retry_after = retry_after


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date).

    >>> retry_after_seconds("7")
    7.0
    >>> retry_after_seconds("Wed, 21 Oct 2015 07:28:30 GMT",
    ...                     datetime(2015, 10, 21, 7, 28, tzinfo=UTC))
    30.0
    >>> retry_after_seconds("soon") is None
    True
    """
    if value is None:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def transient_status(response: httpx.Response, source: Source) -> Retry | None:
    """A ``Retry`` for 429 and 5xx answers, ``None`` for anything else."""
    name = source_name(source)
    if response.status_code == httpx.codes.TOO_MANY_REQUESTS:
        error = SourceUnavailable(
            source, "rate_limited", f"{name} asked us to slow down (HTTP 429)."
        )
        return Retry(error, retry_after_seconds(response.headers.get("Retry-After")))
    if response.status_code >= httpx.codes.INTERNAL_SERVER_ERROR:
        code = f"http_{response.status_code}"
        error = SourceUnavailable(
            source, code, f"{name} is not answering properly (HTTP {response.status_code})."
        )
        return Retry(error, retry_after_seconds(response.headers.get("Retry-After")))
    return None


def call_with_retries(
    send: Callable[[httpx.Request], httpx.Response],
    build: Callable[[], httpx.Request],
    handle: Callable[[httpx.Response], T],
    *,
    source: Source,
    policy: RetryPolicy,
    sleep: Callable[[float], None],
) -> T:
    """Send ``build()`` until ``handle`` accepts the answer or the attempts run out."""
    name = source_name(source)
    last: SourceUnavailable | None = None
    cause: BaseException | None = None
    for attempt in range(1, policy.attempts + 1):
        delay = policy.backoff(attempt)
        try:
            response = send(build())
            return handle(response)
        except Retry as retry:
            last, cause = retry.error, None
            if retry.retry_after is not None:
                if retry.retry_after > policy.max_delay:
                    break
                delay = retry.retry_after
        except httpx.TimeoutException as exc:
            last, cause = (
                SourceUnavailable(source, "timeout", f"{name} did not answer in time."),
                exc,
            )
        except httpx.HTTPError as exc:
            last, cause = (
                SourceUnavailable(source, "connection", f"{name} could not be reached."),
                exc,
            )
        if attempt < policy.attempts:
            sleep(delay)
    assert last is not None
    raise last from cause


class OwnedHttpClient:
    """Closes the httpx client it was given to own (``_owns_http``), also as a context manager."""

    _http: httpx.Client
    _owns_http: bool

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._owns_http:
            self._http.close()
