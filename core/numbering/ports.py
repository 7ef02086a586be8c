"""What the numbering watch needs from the outside world, as protocols.

The watch reads Rackbeat's and Netvisor's highest numbers and tests a connection; it does not
know how. ``core/sources`` implements these (``core.sources.upstreams.Upstreams``) without
importing this module, the watch never imports ``core/sources``, and ``bot/upstreams.py``
hands one to the other. A client raises ``core.upstream.SourceRejected`` (someone must fix
something) or ``SourceUnavailable`` (try again later), each with a code and a user-safe
reason.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Protocol

from core.credentials import NetvisorCredentials, RackbeatCredentials
from core.upstream import Series


class NetvisorScan(Protocol):
    """What an incremental read of one Netvisor series found above its starting cursor."""

    @property
    def last_key(self) -> int | None:
        """The largest NetvisorKey seen (or the starting cursor when nothing was new)."""

    def merged_with(self, earlier_highest: int | None) -> int | None:
        """The series' highest number given what earlier reads already found."""


class RackbeatNumbers(Protocol):
    def company_name(self) -> str:
        """The account's company name (the connection test)."""

    def highest_number(self, series: Series) -> int | None:
        """The highest document number of ``series`` (``None`` while there is none)."""


class NetvisorNumbers(Protocol):
    def test_connection(self) -> str:
        """Checks the credentials with a cheap read; names the company."""

    def scan(self, series: Series, above_key: int | None = None) -> NetvisorScan:
        """Every document of ``series`` above ``above_key`` (all of them for ``None``)."""


class NumberSources(Protocol):
    """The process's clients of both upstreams (one per process: it pools connections)."""

    def rackbeat(self, credentials: RackbeatCredentials) -> RackbeatNumbers: ...

    def netvisor(self, credentials: NetvisorCredentials) -> NetvisorNumbers: ...

    def netvisor_lock(self, credentials: NetvisorCredentials) -> AbstractContextManager[object]:
        """Held around every use of a Netvisor client: one call at a time per company."""

    def close(self) -> None: ...
