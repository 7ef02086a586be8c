"""Reading the current numbers of one onboarding from Rackbeat and Netvisor.

The clients come through the watch's port (``core.numbering.ports.NumberSources``). Failures
are captured per source (code and user-safe reason), never raised: a failing Netvisor must not
stop us from recording what Rackbeat said. Netvisor's rule of one call at a time per company
is kept by the port's per-company lock, while different companies are read in parallel.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from core.credentials import NetvisorCredentials, RackbeatCredentials
from core.numbering.ports import NetvisorScan, NumberSources
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


def read_rackbeat(
    sources: NumberSources, credentials: RackbeatCredentials, result: FetchResult
) -> None:
    """Rackbeat's next numbers into ``result`` (a failure is recorded there, not raised)."""

    def read() -> None:
        client = sources.rackbeat(credentials)
        for series in Series:
            result.rackbeat_highest[series] = client.highest_number(series)

    _capture(result, Source.RACKBEAT, read)


def read_netvisor(
    sources: NumberSources,
    credentials: NetvisorCredentials,
    cursors: dict[Series, int | None],
    result: FetchResult,
) -> None:
    """Netvisor's largest numbers into ``result``, one call at a time for the company.

    Safe to run beside ``read_rackbeat`` on the same ``result``: the two write different keys.
    """

    def read() -> None:
        client = sources.netvisor(credentials)
        with sources.netvisor_lock(credentials):
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
