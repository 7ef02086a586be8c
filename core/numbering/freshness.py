"""Whether the inputs can be trusted now: never call a series ``ok`` on old data.

A value read from Rackbeat or Netvisor goes stale after ``stale_after`` (the scheduler passes
three check intervals). A source that has failed ``failure_limit`` times in a row makes every
series that depends on it ``unknown`` even before its last value goes stale, and the cause is
kept ("Netvisor has answered AUTHENTICATION_FAILED since 12:00"). Manual values do not go stale:
a person typed them, their age is shown next to them instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.numbering.model import InputField, Reading, SeriesInputs
from core.numbering.notes import Note, NoteCode
from core.upstream import Source


@dataclass(frozen=True, slots=True)
class SourceHealth:
    """The recent track record of one upstream for one onboarding."""

    source: Source
    consecutive_failures: int = 0
    failing_since: datetime | None = None
    last_error: str | None = None
    """A short code such as ``AUTHENTICATION_FAILED`` or ``timeout``; never a secret."""


@dataclass(frozen=True, slots=True)
class FreshnessPolicy:
    stale_after: timedelta = timedelta(hours=3)
    failure_limit: int = 3


def freshness_notes(
    inputs: SeriesInputs,
    fields: Iterable[InputField],
    now: datetime,
    policy: FreshnessPolicy,
    health: Iterable[SourceHealth] = (),
) -> list[Note]:
    """Why the given inputs cannot be used now (missing, stale, source failing): empty if fine.

    >>> from datetime import UTC, datetime, timedelta
    >>> now = datetime(2025, 1, 6, 12, tzinfo=UTC)
    >>> old = Reading(10, Source.NETVISOR, now - timedelta(hours=4))
    >>> [n.code.value for n in freshness_notes(
    ...     SeriesInputs(netvisor_max=old), [InputField.RACKBEAT_NEXT, InputField.NETVISOR_MAX],
    ...     now, FreshnessPolicy())]
    ['missing_input', 'stale_input']
    >>> typed = Reading(10, Source.MANUAL, now - timedelta(days=90))
    >>> freshness_notes(SeriesInputs(netvisor_max=typed), [InputField.NETVISOR_MAX], now,
    ...                 FreshnessPolicy())
    []
    """
    notes: list[Note] = []
    used_sources: set[Source] = set()
    for field in fields:
        reading = inputs.get(field)
        if reading is None:
            notes.append(Note(NoteCode.MISSING_INPUT, field=field))
            continue
        used_sources.add(reading.source)
        if _is_stale(reading, now, policy):
            notes.append(
                Note(
                    NoteCode.STALE_INPUT,
                    field=field,
                    source=reading.source,
                    since=reading.observed_at,
                )
            )
    stale_sources = {n.source for n in notes if n.code is NoteCode.STALE_INPUT}
    for record in health:
        if record.source not in used_sources or record.consecutive_failures == 0:
            continue
        if record.consecutive_failures >= policy.failure_limit or record.source in stale_sources:
            notes.append(
                Note(
                    NoteCode.SOURCE_FAILING,
                    source=record.source,
                    since=record.failing_since,
                    detail=record.last_error,
                )
            )
    return notes


def _is_stale(reading: Reading, now: datetime, policy: FreshnessPolicy) -> bool:
    return reading.source is not Source.MANUAL and now - reading.observed_at > policy.stale_after
