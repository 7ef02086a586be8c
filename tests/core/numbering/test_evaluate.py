"""Evaluation of one series: both strategies, every level, and never "ok" on stale data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from freezegun import freeze_time

from core.numbering import (
    EvaluationContext,
    FreshnessPolicy,
    InputField,
    Level,
    NoteCode,
    Observation,
    Reading,
    SeriesHistory,
    SeriesInputs,
    SourceHealth,
    Strategy,
    Thresholds,
    evaluate_series,
)
from core.upstream import Series, Source

FRIDAY = datetime(2025, 1, 17, 10, tzinfo=UTC)  # 12:00 in Helsinki
BLOCK = 1_000_000


def daily(now: datetime, last: int, per_weekday: int, days: int = 14) -> tuple[Observation, ...]:
    """One observation a day for ``days`` days up to ``now``, ending at ``last``."""
    points, value = [], last
    for back in range(days + 1):
        at = now - timedelta(days=back)
        points.append(Observation(at, value))
        if at.weekday() < 5:
            value -= per_weekday
    return tuple(reversed(points))


def manual(value: int, at: datetime = FRIDAY) -> Reading:
    return Reading(value, Source.MANUAL, at)


@dataclass(frozen=True)
class Case:
    name: str
    strategy: Strategy
    rackbeat_next: int
    netvisor_max: int
    block_start: int | None = BLOCK
    rackbeat_rate: int = 0
    netvisor_rate: int = 0
    history_days: int = 14
    level: Level = Level.OK
    headroom: int | None = None
    notes: tuple[NoteCode, ...] = ()


M, R1 = Strategy.MIXED, Strategy.RACKBEAT_ONLY
OK, WARN, CRIT, HIT = Level.OK, Level.WARNING, Level.CRITICAL, Level.COLLISION
N = NoteCode

# fmt: off
CASES = [
    # mixed: Rackbeat climbs towards Netvisor's block
    Case("far below the block", M, 10_000, BLOCK + 50, rackbeat_rate=20,
         level=OK, headroom=BLOCK - 10_000),
    Case("1,001 numbers left, 50 weekdays", M, BLOCK - 1001, BLOCK + 50, rackbeat_rate=20,
         level=OK, headroom=1001),
    Case("1,000 numbers left", M, BLOCK - 1000, BLOCK + 50, rackbeat_rate=2,
         level=WARN, headroom=1000),
    Case("101 numbers left", M, BLOCK - 101, BLOCK + 50, rackbeat_rate=2,
         level=WARN, headroom=101),
    Case("100 numbers left", M, BLOCK - 100, BLOCK + 50, rackbeat_rate=2,
         level=CRIT, headroom=100),
    Case("35 days left", M, BLOCK - 5000, BLOCK + 50, rackbeat_rate=200,
         level=OK, headroom=5000),
    Case("28 days left", M, BLOCK - 4000, BLOCK + 50, rackbeat_rate=200,
         level=WARN, headroom=4000),
    Case("exactly 7 days left", M, BLOCK - 2000, BLOCK + 50, rackbeat_rate=400,
         level=CRIT, headroom=2000),
    Case("next number is the block start", M, BLOCK, BLOCK + 50,
         level=HIT, headroom=0, notes=(N.RACKBEAT_IN_NETVISOR_BLOCK, N.NOT_CONSUMING)),
    Case("inside the block", M, BLOCK + 7, BLOCK + 50,
         level=HIT, headroom=-7, notes=(N.RACKBEAT_IN_NETVISOR_BLOCK, N.NOT_CONSUMING)),
    Case("block not in use yet", M, 10_000, 9_999, rackbeat_rate=20,
         level=WARN, headroom=BLOCK - 10_000, notes=(N.BLOCK_NOT_IN_USE,)),
    Case("Netvisor numbers outside its block", M, 10_000, 60_000, rackbeat_rate=20,
         level=WARN, headroom=50_000, notes=(N.NETVISOR_OUTSIDE_BLOCK,)),
    Case("Netvisor took Rackbeat's next number", M, 10_000, 10_000,
         level=HIT, headroom=0, notes=(N.NETVISOR_OUTSIDE_BLOCK, N.NOT_CONSUMING)),
    Case("no history: numbers limit only", M, BLOCK - 5000, BLOCK + 50, history_days=0,
         level=OK, headroom=5000, notes=(N.NOT_ENOUGH_HISTORY,)),
    Case("no history, 50 left", M, BLOCK - 50, BLOCK + 50, history_days=0,
         level=CRIT, headroom=50, notes=(N.NOT_ENOUGH_HISTORY,)),
    Case("not consuming", M, BLOCK - 5000, BLOCK + 50,
         level=OK, headroom=5000, notes=(N.NOT_CONSUMING,)),
    # rackbeat-only before go-live: Netvisor still numbers, walking up to Rackbeat's next
    Case("Netvisor far below", R1, 20_000, 15_000, None, netvisor_rate=20,
         level=OK, headroom=5000),
    Case("Netvisor 500 below", R1, 20_000, 19_500, None, netvisor_rate=2,
         level=WARN, headroom=500),
    Case("Netvisor 20 weekdays away", R1, 20_000, 16_000, None, netvisor_rate=200,
         level=WARN, headroom=4000),
    Case("Netvisor reached Rackbeat", R1, 20_000, 20_000, None,
         level=HIT, headroom=0, notes=(N.NETVISOR_AT_OR_ABOVE_RACKBEAT, N.NOT_CONSUMING)),
    # Netvisor makes no new numbers under rackbeat-only: close is safe until it is seen moving
    # (issue 17: R = N + 1, what the guide asks, is not "critical: 1 number left").
    Case("no history, Netvisor 50 below", R1, 20_000, 19_950, None, history_days=0,
         level=OK, headroom=50, notes=(N.NOT_ENOUGH_HISTORY,)),
    Case("no history, Netvisor's largest + 1", R1, 20_000, 19_999, None, history_days=0,
         level=OK, headroom=1, notes=(N.NOT_ENOUGH_HISTORY,)),
    # rackbeat-only after go-live: Netvisor's largest is Rackbeat's own transfers
    Case("live, Netvisor one behind", R1, 20_500, 20_499, None, rackbeat_rate=20,
         netvisor_rate=20, level=OK, headroom=1, notes=(N.RACKBEAT_LIVE,)),
    Case("live, a document made in Netvisor", R1, 20_500, 20_500, None, rackbeat_rate=20,
         netvisor_rate=20, level=HIT, headroom=0,
         notes=(N.NETVISOR_AT_OR_ABOVE_RACKBEAT, N.RACKBEAT_LIVE)),
]
# fmt: on


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_levels(case: Case) -> None:
    inputs = SeriesInputs(
        manual(case.rackbeat_next),
        manual(case.netvisor_max),
        manual(case.block_start) if case.block_start is not None else None,
    )
    history = SeriesHistory(
        rackbeat_next=daily(FRIDAY, case.rackbeat_next, case.rackbeat_rate, case.history_days),
        netvisor_max=daily(FRIDAY, case.netvisor_max, case.netvisor_rate, case.history_days),
    )
    result = evaluate_series(
        Series.INVOICE, case.strategy, inputs, history, EvaluationContext(FRIDAY)
    )
    assert result.level is case.level
    assert result.headroom == case.headroom
    assert [note.code for note in result.notes] == list(case.notes)


def test_forecast_gives_days_rate_and_date() -> None:
    inputs = SeriesInputs(manual(BLOCK - 2000), manual(BLOCK + 5), manual(BLOCK))
    history = SeriesHistory(rackbeat_next=daily(FRIDAY, BLOCK - 2000, 400))
    result = evaluate_series(
        Series.ORDER, Strategy.MIXED, inputs, history, EvaluationContext(FRIDAY)
    )
    assert result.rate is not None
    assert result.rate.per_business_day == pytest.approx(400)
    assert result.days_left == pytest.approx(7.0)
    assert result.forecast.runs_out_at == FRIDAY + timedelta(days=7)
    assert result.moving is InputField.RACKBEAT_NEXT
    assert result.ceiling == BLOCK


def test_thresholds_are_per_onboarding() -> None:
    inputs = SeriesInputs(manual(BLOCK - 5000), manual(BLOCK + 5), manual(BLOCK))
    strict = Thresholds(warning_numbers=10_000, critical_numbers=6000)
    context = EvaluationContext(FRIDAY, thresholds=strict)
    result = evaluate_series(Series.ORDER, Strategy.MIXED, inputs, SeriesHistory(), context)
    assert result.level is Level.CRITICAL


def test_renumbering_in_the_history_is_noted_and_left_out() -> None:
    before = daily(FRIDAY - timedelta(days=7), 5_000, 20, days=14)
    after = daily(FRIDAY, 100_000 + 100, 20, days=6)
    inputs = SeriesInputs(manual(100_100), manual(BLOCK + 5), manual(BLOCK))
    result = evaluate_series(
        Series.ORDER,
        Strategy.MIXED,
        inputs,
        SeriesHistory(rackbeat_next=(*before, *after)),
        EvaluationContext(FRIDAY),
    )
    assert result.has(NoteCode.RENUMBERED)
    assert result.rate is not None
    assert result.rate.per_business_day == pytest.approx(20, rel=0.05)


# -- freshness: never "ok" on old data ---------------------------------------------------------


def api_inputs(at: datetime) -> SeriesInputs:
    return SeriesInputs(
        Reading(10_000, Source.RACKBEAT, at),
        Reading(BLOCK + 5, Source.NETVISOR, at),
        manual(BLOCK, at),
    )


def evaluate_now(inputs: SeriesInputs, health: tuple[SourceHealth, ...] = ()) -> Level:
    context = EvaluationContext(datetime.now(UTC), freshness=FreshnessPolicy(timedelta(hours=3)))
    result = evaluate_series(
        Series.INVOICE, Strategy.MIXED, inputs, SeriesHistory(), context, health
    )
    return result.level


def test_api_values_go_stale_after_the_limit_not_before() -> None:
    with freeze_time(FRIDAY) as clock:
        inputs = api_inputs(datetime.now(UTC))
        clock.tick(timedelta(hours=3))
        assert evaluate_now(inputs) is Level.OK
        clock.tick(timedelta(seconds=1))
        assert evaluate_now(inputs) is Level.UNKNOWN


def test_manual_values_never_go_stale() -> None:
    with freeze_time(FRIDAY) as clock:
        inputs = SeriesInputs(manual(10_000), manual(BLOCK + 5), manual(BLOCK))
        clock.tick(timedelta(days=90))
        assert evaluate_now(inputs) is Level.OK


@freeze_time(FRIDAY)
def test_a_source_failing_repeatedly_makes_the_series_unknown_with_the_cause() -> None:
    since = FRIDAY - timedelta(hours=1)
    failing = SourceHealth(Source.NETVISOR, 3, since, "AUTHENTICATION_FAILED")
    context = EvaluationContext(FRIDAY)
    result = evaluate_series(
        Series.INVOICE, Strategy.MIXED, api_inputs(FRIDAY), SeriesHistory(), context, [failing]
    )
    assert result.level is Level.UNKNOWN
    [note] = result.notes
    assert note.code is NoteCode.SOURCE_FAILING
    assert (note.source, note.since, note.detail) == (
        Source.NETVISOR,
        since,
        "AUTHENTICATION_FAILED",
    )


@freeze_time(FRIDAY)
@pytest.mark.parametrize(
    ("failures", "age", "expected"),
    [
        (2, timedelta(minutes=5), Level.OK),  # one bad hour, fresh data: keep going
        (3, timedelta(minutes=5), Level.UNKNOWN),
        (1, timedelta(hours=4), Level.UNKNOWN),  # stale, and we know why
        (0, timedelta(hours=4), Level.UNKNOWN),
    ],
)
def test_failures_and_age_together(failures: int, age: timedelta, expected: Level) -> None:
    health = (SourceHealth(Source.NETVISOR, failures, FRIDAY - age, "timeout"),)
    assert evaluate_now(api_inputs(FRIDAY - age), health) is expected


@freeze_time(FRIDAY)
def test_a_failing_source_that_the_series_does_not_use_is_irrelevant() -> None:
    inputs = SeriesInputs(manual(10_000), manual(BLOCK + 5), manual(BLOCK))
    health = (SourceHealth(Source.NETVISOR, 10, FRIDAY, "AUTHENTICATION_FAILED"),)
    assert evaluate_now(inputs, health) is Level.OK


@pytest.mark.parametrize(
    ("strategy", "missing"),
    [
        (Strategy.MIXED, [InputField.NETVISOR_BLOCK_START]),
        (Strategy.RACKBEAT_ONLY, [InputField.RACKBEAT_NEXT, InputField.NETVISOR_MAX]),
    ],
)
def test_missing_inputs_make_the_series_unknown(
    strategy: Strategy, missing: list[InputField]
) -> None:
    inputs = (
        SeriesInputs(manual(10), manual(20))
        if strategy is Strategy.MIXED
        else SeriesInputs(netvisor_block_start=manual(BLOCK))
    )
    result = evaluate_series(
        Series.ORDER, strategy, inputs, SeriesHistory(), EvaluationContext(FRIDAY)
    )
    assert result.level is Level.UNKNOWN
    assert [(n.code, n.field) for n in result.notes] == [
        (NoteCode.MISSING_INPUT, field) for field in missing
    ]
