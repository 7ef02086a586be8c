"""Evaluation of one series: level, headroom, rate and days left, with the reasons.

Headroom is the distance between the number that moves and the number it must not reach;
``0`` or less means the two overlap now (a ``collision``).

``mixed`` (domain.md): Rackbeat's next number ``R`` moves up towards the lowest Netvisor-own
number above it, which is Netvisor's block start ``B`` — or Netvisor's largest number ``N`` when
that sits between the two (Netvisor numbering outside its block). Headroom is that number − R,
consumed at Rackbeat's rate. While ``N < R`` the block is not in use yet: Netvisor's automatic
"largest + 1" would land in Rackbeat's range, so the series is at least a ``warning``.

``rackbeat-only``: Netvisor must not make documents any more. Headroom is ``R − N``. Once
Rackbeat is in use (``R`` moves), Netvisor's largest number is Rackbeat's own transfers
following ``R``, so closeness is normal and only an overlap (``N ≥ R``) counts. Before that,
only if Netvisor is seen still making documents (``N`` moves) does closeness count, with the
forecast at Netvisor's rate; otherwise ``R = N + 1``, the guide's own setup, is OK.
(Known limit: if Rackbeat is tried out while Netvisor still invoices, the watch sees
"Rackbeat live" and reports only an actual overlap.)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from core.numbering.forecast import (
    Forecast,
    RateEstimate,
    RatePolicy,
    estimate_rate,
    forecast,
)
from core.numbering.freshness import FreshnessPolicy, SourceHealth, freshness_notes
from core.numbering.model import (
    InputField,
    Level,
    Observation,
    Reading,
    SeriesHistory,
    SeriesInputs,
    Strategy,
    worst,
)
from core.numbering.notes import Note, NoteCode
from core.numbering.thresholds import Thresholds, level_for
from core.upstream import Series

REQUIRED_INPUTS: dict[Strategy, tuple[InputField, ...]] = {
    Strategy.RACKBEAT_ONLY: (InputField.RACKBEAT_NEXT, InputField.NETVISOR_MAX),
    Strategy.MIXED: (
        InputField.RACKBEAT_NEXT,
        InputField.NETVISOR_MAX,
        InputField.NETVISOR_BLOCK_START,
    ),
}


@dataclass(frozen=True, slots=True)
class SeriesEvaluation:
    series: Series
    strategy: Strategy
    level: Level
    headroom: int | None
    ceiling: int | None
    """The number the moving value must not reach (``None`` when unknown)."""
    moving: InputField | None
    """Which input moves towards the ceiling (whose rate is ``rate``)."""
    rate: RateEstimate | None
    forecast: Forecast
    notes: tuple[Note, ...]
    inputs: SeriesInputs

    @property
    def days_left(self) -> float | None:
        return self.forecast.days_left

    def has(self, code: NoteCode) -> bool:
        return any(note.code is code for note in self.notes)


@dataclass(frozen=True, slots=True)
class EvaluationContext:
    """Everything about "when" and "how strict" that is the same for every series of a check."""

    now: datetime
    thresholds: Thresholds = field(default_factory=Thresholds)
    freshness: FreshnessPolicy = field(default_factory=FreshnessPolicy)
    rate_policy: RatePolicy = field(default_factory=RatePolicy)
    tz: tzinfo | None = None


def evaluate_series(
    series: Series,
    strategy: Strategy,
    inputs: SeriesInputs,
    history: SeriesHistory,
    context: EvaluationContext,
    health: Iterable[SourceHealth] = (),
) -> SeriesEvaluation:
    """Evaluate one series. ``history`` need not contain the current readings.

    >>> from datetime import UTC, datetime, timedelta
    >>> from core.numbering.model import Reading, Source
    >>> now = datetime(2025, 1, 17, 12, tzinfo=UTC)
    >>> def typed(value):
    ...     return Reading(value, Source.MANUAL, now)
    >>> inputs = SeriesInputs(typed(10_500), typed(1_000_010), typed(1_000_000))
    >>> fortnight = [Observation(now - timedelta(days=14 - d), 10_360 + 10 * d) for d in range(15)]
    >>> result = evaluate_series(Series.INVOICE, Strategy.MIXED, inputs,
    ...                          SeriesHistory(rackbeat_next=tuple(fortnight)),
    ...                          EvaluationContext(now))
    >>> result.level, result.headroom, result.rate.per_business_day
    (<Level.OK: 'ok'>, 989500, 14.0)

    Too little history is said, not guessed:

    >>> result = evaluate_series(Series.ORDER, Strategy.MIXED, inputs, SeriesHistory(),
    ...                          EvaluationContext(now))
    >>> result.level, result.days_left, [n.code.value for n in result.notes]
    (<Level.OK: 'ok'>, None, ['not_enough_history'])
    """
    problems = freshness_notes(
        inputs, REQUIRED_INPUTS[strategy], context.now, context.freshness, health
    )
    if problems:
        return SeriesEvaluation(
            series,
            strategy,
            Level.UNKNOWN,
            None,
            None,
            None,
            None,
            Forecast(None, None),
            tuple(problems),
            inputs,
        )
    if strategy is Strategy.MIXED:
        return _mixed(series, inputs, history, context)
    return _rackbeat_only(series, inputs, history, context)


def _value(reading: Reading | None) -> int:
    assert reading is not None  # guaranteed by freshness_notes over REQUIRED_INPUTS
    return reading.value


def _mixed(
    series: Series, inputs: SeriesInputs, history: SeriesHistory, context: EvaluationContext
) -> SeriesEvaluation:
    rackbeat_next = _value(inputs.rackbeat_next)
    netvisor_max = _value(inputs.netvisor_max)
    block_start = _value(inputs.netvisor_block_start)
    notes: list[Note] = []
    floor_level = Level.OK
    ceiling = block_start
    if rackbeat_next >= block_start:
        notes.append(Note(NoteCode.RACKBEAT_IN_NETVISOR_BLOCK, value=block_start))
    elif rackbeat_next <= netvisor_max < block_start:
        ceiling = netvisor_max
        notes.append(Note(NoteCode.NETVISOR_OUTSIDE_BLOCK, value=netvisor_max))
        floor_level = Level.WARNING
    elif netvisor_max < rackbeat_next:
        notes.append(Note(NoteCode.BLOCK_NOT_IN_USE, value=netvisor_max + 1))
        floor_level = Level.WARNING
    rate = _rate(inputs.rackbeat_next, history.rackbeat_next, context, notes)
    return _finish(
        series,
        Strategy.MIXED,
        inputs,
        ceiling,
        rackbeat_next,
        InputField.RACKBEAT_NEXT,
        rate,
        notes,
        floor_level,
        context,
    )


def _rackbeat_only(
    series: Series, inputs: SeriesInputs, history: SeriesHistory, context: EvaluationContext
) -> SeriesEvaluation:
    rackbeat_next = _value(inputs.rackbeat_next)
    netvisor_max = _value(inputs.netvisor_max)
    notes: list[Note] = []
    if netvisor_max >= rackbeat_next:
        notes.append(Note(NoteCode.NETVISOR_AT_OR_ABOVE_RACKBEAT, value=netvisor_max))
    rackbeat_rate = _rate(inputs.rackbeat_next, history.rackbeat_next, context, [])
    if rackbeat_rate.per_business_day:
        # Rackbeat is live: Netvisor's largest number is Rackbeat's transfers, close by design.
        notes.append(Note(NoteCode.RACKBEAT_LIVE))
        headroom = rackbeat_next - netvisor_max
        level = Level.COLLISION if headroom <= 0 else Level.OK
        return SeriesEvaluation(
            series,
            Strategy.RACKBEAT_ONLY,
            level,
            headroom,
            rackbeat_next,
            InputField.NETVISOR_MAX,
            rackbeat_rate,
            Forecast(None, None),
            tuple(notes),
            inputs,
        )
    rate = _rate(inputs.netvisor_max, history.netvisor_max, context, notes)
    if not rate.per_business_day:
        # Netvisor makes no new numbers under rackbeat-only, and none are seen being made:
        # Rackbeat's next = Netvisor's largest + 1 (what the guide asks) is safe, not
        # "critical: 1 number left". Only an overlap counts, as once Rackbeat is live.
        headroom = rackbeat_next - netvisor_max
        return SeriesEvaluation(
            series,
            Strategy.RACKBEAT_ONLY,
            Level.COLLISION if headroom <= 0 else Level.OK,
            headroom,
            rackbeat_next,
            InputField.NETVISOR_MAX,
            rate,
            Forecast(None, None),
            tuple(notes),
            inputs,
        )
    return _finish(
        series,
        Strategy.RACKBEAT_ONLY,
        inputs,
        rackbeat_next,
        netvisor_max,
        InputField.NETVISOR_MAX,
        rate,
        notes,
        Level.OK,
        context,
    )


def _rate(
    current: Reading | None,
    past: Iterable[Observation],
    context: EvaluationContext,
    notes: list[Note],
) -> RateEstimate:
    points = list(past)
    if current is not None:
        points.append(Observation(current.observed_at, current.value))
    rate = estimate_rate(points, context.now, context.rate_policy, context.tz)
    if rate.renumberings:
        notes.append(Note(NoteCode.RENUMBERED, value=rate.renumberings))
    if not rate.known:
        notes.append(Note(NoteCode.NOT_ENOUGH_HISTORY))
    elif rate.per_business_day == 0:
        notes.append(Note(NoteCode.NOT_CONSUMING))
    return rate


def _finish(
    series: Series,
    strategy: Strategy,
    inputs: SeriesInputs,
    ceiling: int,
    moving_value: int,
    moving: InputField,
    rate: RateEstimate,
    notes: list[Note],
    floor_level: Level,
    context: EvaluationContext,
) -> SeriesEvaluation:
    headroom = ceiling - moving_value
    outlook = forecast(headroom, rate, context.now, context.tz)
    level = worst([level_for(headroom, outlook.days_left, context.thresholds), floor_level])
    return SeriesEvaluation(
        series, strategy, level, headroom, ceiling, moving, rate, outlook, tuple(notes), inputs
    )
