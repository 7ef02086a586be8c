"""The vocabulary of the numbering watch: series, strategies, levels, readings and observations.

``Series``, ``Source`` and ``parse_number`` are in ``core/upstream.py``: the source clients and
the account snapshot share them, and neither imports the watch.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from core.upstream import Source, parse_number


class Strategy(StrEnum):
    """How documents of a series are numbered from go-live on (see domain.md, "Numbering").

    ``rackbeat-only``: every document is made in Rackbeat; Rackbeat's next number must stay
    above everything used in Netvisor. ``mixed``: Netvisor still makes some documents, from its
    own block far above Rackbeat's numbers.
    """

    RACKBEAT_ONLY = "rackbeat-only"
    MIXED = "mixed"


class InputField(StrEnum):
    """The inputs of one series, as typed in ``numbering set SERIES FIELD NUMBER``."""

    RACKBEAT_NEXT = "rackbeat-next"
    NETVISOR_MAX = "netvisor-max"
    NETVISOR_BLOCK_START = "netvisor-block-start"


class Level(StrEnum):
    """How close a series is to a collision.

    ``unknown`` ranks between ``warning`` and ``critical``: not knowing is worse than a known
    warning (the user must act to restore the data), but better than a known critical state.

    >>> Level.CRITICAL.is_worse_than(Level.WARNING)
    True
    >>> Level.OK.is_worse_than(Level.UNKNOWN)
    False
    >>> max([Level.OK, Level.COLLISION, Level.UNKNOWN], key=lambda level: level.rank)
    <Level.COLLISION: 'collision'>
    """

    OK = "ok"
    WARNING = "warning"
    UNKNOWN = "unknown"
    CRITICAL = "critical"
    COLLISION = "collision"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def is_worse_than(self, other: Level) -> bool:
        return self.rank > other.rank


_RANK = {level: index for index, level in enumerate(Level)}


def worst(levels: list[Level] | tuple[Level, ...]) -> Level:
    """The most severe of ``levels`` (``ok`` for none).

    >>> worst([Level.OK, Level.WARNING])
    <Level.WARNING: 'warning'>
    >>> worst([])
    <Level.OK: 'ok'>
    """
    return max(levels, key=lambda level: level.rank, default=Level.OK)


@dataclass(frozen=True, slots=True)
class Reading:
    """One input value with its provenance: where it came from and when it was true."""

    value: int
    source: Source
    observed_at: datetime


@dataclass(frozen=True, slots=True)
class Observation:
    """One point of a value's history."""

    at: datetime
    value: int


@dataclass(frozen=True, slots=True)
class SeriesInputs:
    """The current inputs of one series; ``None`` when nobody has told us yet."""

    rackbeat_next: Reading | None = None
    netvisor_max: Reading | None = None
    netvisor_block_start: Reading | None = None

    def get(self, field: InputField) -> Reading | None:
        return {
            InputField.RACKBEAT_NEXT: self.rackbeat_next,
            InputField.NETVISOR_MAX: self.netvisor_max,
            InputField.NETVISOR_BLOCK_START: self.netvisor_block_start,
        }[field]


@dataclass(frozen=True, slots=True)
class SeriesHistory:
    """Observed values of one series over time, oldest first or in any order."""

    rackbeat_next: tuple[Observation, ...] = ()
    netvisor_max: tuple[Observation, ...] = ()


TYPED_MAX = 2_147_483_647
"""Largest number a person may type for a series: what a signed 32-bit integer column holds
(Rackbeat's document numbers are integers, CONTRACT/domain.md), far above any real series."""

_THOUSANDS = re.compile(r"\d{1,3}(?: \d{3})+")


def parse_typed_number(text: str) -> int:
    """A series value a person typed: a whole number from 1 to ``TYPED_MAX``, with spaces
    only between groups of three digits (``1 000 000``; ``12 34`` is a typo, not 1234).

    >>> parse_typed_number("1 000 024")
    1000024
    >>> parse_typed_number("12 34")
    Traceback (most recent call last):
    ...
    ValueError: not a number a series can hold: '12 34'
    """
    spaced = " ".join(text.split())
    value = None
    if " " not in spaced or _THOUSANDS.fullmatch(spaced):
        try:
            value = parse_number(spaced)
        except ValueError:
            value = None
    if value is None or not 1 <= value <= TYPED_MAX:
        raise ValueError(f"not a number a series can hold: {text!r}")
    return value


def effective_rackbeat_next(api: Reading | None, manual: Reading | None) -> Reading | None:
    """Rackbeat's next number from what its API says and what a user typed.

    The API only shows the highest number used (next = highest + 1); a user can also tell us the
    next number configured under Company settings → Numbers, which may be higher when the series
    was moved up and no document has used it yet. Both are lower bounds of the real next number,
    so the larger one is the better estimate.

    >>> from datetime import UTC, datetime
    >>> t = datetime(2025, 1, 6, tzinfo=UTC)
    >>> api = Reading(10501, Source.RACKBEAT, t)
    >>> effective_rackbeat_next(api, Reading(20000, Source.MANUAL, t)).value
    20000
    >>> effective_rackbeat_next(api, Reading(10000, Source.MANUAL, t)).source
    <Source.RACKBEAT: 'rackbeat'>
    >>> effective_rackbeat_next(None, None) is None
    True
    """
    candidates = [reading for reading in (api, manual) if reading is not None]
    return max(candidates, key=lambda reading: reading.value, default=None)
