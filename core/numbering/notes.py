"""Why a series has its level: codes with parameters, turned into words by the handlers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from core.numbering.model import InputField
from core.upstream import Source


class NoteCode(StrEnum):
    MISSING_INPUT = "missing_input"
    """A value the strategy needs has never been given (``field``)."""
    STALE_INPUT = "stale_input"
    """An API value is older than the freshness limit (``field``, ``source``, ``since``)."""
    SOURCE_FAILING = "source_failing"
    """An upstream keeps failing (``source``, ``since``, ``detail`` = error code)."""
    RACKBEAT_IN_NETVISOR_BLOCK = "rackbeat_in_netvisor_block"
    """mixed: Rackbeat's next number reached Netvisor's block (``value`` = block start)."""
    NETVISOR_AT_OR_ABOVE_RACKBEAT = "netvisor_at_or_above_rackbeat"
    """rackbeat-only: Netvisor already has a number at or above Rackbeat's next (``value``)."""
    NETVISOR_OUTSIDE_BLOCK = "netvisor_outside_block"
    """mixed: Netvisor numbers its own documents below its block, ahead of Rackbeat (``value``)."""
    BLOCK_NOT_IN_USE = "block_not_in_use"
    """mixed: Netvisor's largest number is Rackbeat's, so Netvisor's automatic "largest + 1"
    would land in Rackbeat's range (``value`` = the number it would take)."""
    NOT_ENOUGH_HISTORY = "not_enough_history"
    """Too little history for a forecast; only the numbers limit applies."""
    NOT_CONSUMING = "not_consuming"
    """The moving number has not moved over the window: no forecast needed."""
    RACKBEAT_LIVE = "rackbeat_live"
    """rackbeat-only: Rackbeat is in use, so Netvisor's largest number follows Rackbeat's own
    transfers; the watch is for any document made in Netvisor."""
    RENUMBERED = "renumbered"
    """The history shows renumberings (``value`` = how many) left out of the rate."""


@dataclass(frozen=True, slots=True)
class Note:
    code: NoteCode
    field: InputField | None = None
    source: Source | None = None
    since: datetime | None = None
    value: int | None = None
    detail: str | None = None
