"""Reading the current numbers of one onboarding from Rackbeat and Netvisor.

One ``Upstreams`` per process: it owns the pooled HTTP clients and the per-company locks that
keep Netvisor's rule of one call at a time per company while different companies are read in
parallel. Failures are captured per source (code and user-safe reason), never raised: a
failing Netvisor must not stop us from recording what Rackbeat said.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx

from core.credentials import NetvisorCredentials, RackbeatCredentials
from core.sources.http import RetryPolicy, tls_context
from core.sources.netvisor import NetvisorClient, NetvisorScan
from core.sources.pacing import AccountPacers
from core.sources.rackbeat import USER_AGENT, RackbeatClient
from core.upstream import Series, Source, SourceRejected, SourceUnavailable


@dataclass(frozen=True)
class SourceFailure:
    code: str
    reason: str
    rejected: bool


@dataclass
class FetchResult:
    rackbeat_highest: dict[Series, int | None] = field(default_factory=dict)
    netvisor_scans: dict[Series, NetvisorScan] = field(default_factory=dict)
    failures: dict[Source, SourceFailure] = field(default_factory=dict)


class RackbeatApi(Protocol):
    def company_name(self) -> str: ...
    def highest_number(self, series: Series) -> int | None: ...


class NetvisorApi(Protocol):
    def test_connection(self) -> str: ...
    def scan(self, series: Series, above_key: int | None = None) -> NetvisorScan: ...


@dataclass
class Upstreams:
    """Factory of clients sharing connection pools, plus Netvisor's per-company locks."""

    rackbeat_url: str
    netvisor_url: str
    max_connections: int = 64
    rackbeat_retry: RetryPolicy = field(default_factory=RetryPolicy)
    netvisor_retry: RetryPolicy = field(default_factory=lambda: RetryPolicy(attempts=3))
    rackbeat_timeout: httpx.Timeout = field(
        default_factory=lambda: httpx.Timeout(30.0, connect=10.0)
    )
    netvisor_timeout: httpx.Timeout = field(
        default_factory=lambda: httpx.Timeout(120.0, connect=10.0)
    )
    sleep: Callable[[float], None] = time.sleep
    rackbeat_user_agent: str = USER_AGENT
    # The request-rate ceiling per Rackbeat account (RACKBEAT_MAX_REQUESTS_PER_MINUTE).
    rackbeat_pacers: AccountPacers | None = None
    _http: httpx.Client | None = field(default=None, init=False, repr=False)
    _locks: dict[tuple[str, str], threading.Lock] = field(default_factory=dict, init=False)
    _guard: threading.Lock = field(default_factory=threading.Lock, init=False)

    def http(self) -> httpx.Client:
        with self._guard:
            if self._http is None:
                limits = httpx.Limits(
                    max_connections=self.max_connections,
                    max_keepalive_connections=self.max_connections,
                )
                pacers = self.rackbeat_pacers
                hooks: list[Callable[..., Any]] = [pacers] if pacers is not None else []
                self._http = httpx.Client(
                    limits=limits, verify=tls_context(), event_hooks={"request": hooks}
                )
            return self._http

    def close(self) -> None:
        with self._guard:
            if self._http is not None:
                self._http.close()
                self._http = None

    def rackbeat(self, credentials: RackbeatCredentials) -> RackbeatApi:
        return RackbeatClient(
            self.rackbeat_url,
            credentials,
            http=self.http(),
            timeout=self.rackbeat_timeout,
            retry=self.rackbeat_retry,
            sleep=self.sleep,
            user_agent=self.rackbeat_user_agent,
        )

    def netvisor(self, credentials: NetvisorCredentials) -> NetvisorApi:
        return NetvisorClient(
            self.netvisor_url,
            credentials,
            http=self.http(),
            timeout=self.netvisor_timeout,
            retry=self.netvisor_retry,
            sleep=self.sleep,
        )

    def netvisor_lock(self, credentials: NetvisorCredentials) -> threading.Lock:
        """One lock per Netvisor company: Netvisor wants one call at a time per company."""
        key = (credentials.customer_id, credentials.organisation_id)
        with self._guard:
            return self._locks.setdefault(key, threading.Lock())

    def read_rackbeat(self, credentials: RackbeatCredentials, result: FetchResult) -> None:
        """Rackbeat's next numbers into ``result`` (a failure is recorded there, not raised)."""

        def read() -> None:
            client = self.rackbeat(credentials)
            for series in Series:
                result.rackbeat_highest[series] = client.highest_number(series)

        _capture(result, Source.RACKBEAT, read)

    def read_netvisor(
        self,
        credentials: NetvisorCredentials,
        cursors: dict[Series, int | None],
        result: FetchResult,
    ) -> None:
        """Netvisor's largest numbers into ``result``, one call at a time for the company.

        Safe to run beside ``read_rackbeat`` on the same ``result``: the two write
        different keys.
        """

        def read() -> None:
            client = self.netvisor(credentials)
            with self.netvisor_lock(credentials):
                for series in Series:
                    result.netvisor_scans[series] = client.scan(series, cursors.get(series))

        _capture(result, Source.NETVISOR, read)


def _capture(result: FetchResult, source: Source, read: Callable[[], None]) -> None:
    try:
        read()
    except SourceRejected as error:
        result.failures[source] = SourceFailure(error.code, error.reason, rejected=True)
    except SourceUnavailable as error:
        result.failures[source] = SourceFailure(error.code, error.reason, rejected=False)
