"""The process's clients of Rackbeat and Netvisor, as the areas get them.

One ``Upstreams`` per process (built in ``bot/``): it owns the pooled HTTP client, the
per-company locks that keep Netvisor's rule of one call at a time per company while different
companies are read in parallel, and hands every Rackbeat client its account's request ceiling
(``core.sources.ratelimit``), so the numbering watch, the account snapshot and an import share
one ceiling per account. It implements the numbering watch's port
(``core.numbering.ports.NumberSources``) without importing it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from core.credentials import NetvisorCredentials, RackbeatCredentials
from core.sources.http import RetryPolicy, tls_context
from core.sources.netvisor import NetvisorClient
from core.sources.rackbeat import USER_AGENT, RackbeatClient, RackbeatRecords
from core.sources.ratelimit import UNLIMITED, AccountLimits, RequestGate


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
    # The request-rate ceiling per Rackbeat account (RACKBEAT_MAX_REQUESTS_PER_MINUTE);
    # ``None``: no ceiling.
    rackbeat_limits: AccountLimits | None = None
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
                self._http = httpx.Client(limits=limits, verify=tls_context())
            return self._http

    def close(self) -> None:
        with self._guard:
            if self._http is not None:
                self._http.close()
                self._http = None

    def rackbeat_gate(self, credentials: RackbeatCredentials) -> RequestGate:
        """The account's request ceiling, shared by every client of that account."""
        if self.rackbeat_limits is None:
            return UNLIMITED
        return self.rackbeat_limits.for_account(credentials.api_token.get_secret_value())

    def rackbeat(self, credentials: RackbeatCredentials) -> RackbeatClient:
        return RackbeatClient(
            self.rackbeat_url,
            credentials,
            self.rackbeat_gate(credentials),
            http=self.http(),
            timeout=self.rackbeat_timeout,
            retry=self.rackbeat_retry,
            sleep=self.sleep,
            user_agent=self.rackbeat_user_agent,
        )

    def rackbeat_records(
        self, credentials: RackbeatCredentials, stop: threading.Event | None = None
    ) -> RackbeatRecords:
        """The import's client: writes are tried once (the runner retries); ``stop`` drops a
        request still waiting for the ceiling."""
        return RackbeatRecords(
            self.rackbeat_url,
            credentials,
            self.rackbeat_gate(credentials),
            http=self.http(),
            timeout=self.rackbeat_timeout,
            sleep=self.sleep,
            user_agent=self.rackbeat_user_agent,
            stop=stop,
        )

    def netvisor(self, credentials: NetvisorCredentials) -> NetvisorClient:
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
