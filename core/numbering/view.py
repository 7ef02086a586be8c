"""The numbering status of one onboarding, assembled from the store and evaluated now.

The same function serves the ``numbering`` command, the scheduled check and the step guard,
so they can never disagree about a level.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from core.numbering.alerts import AlertState
from core.numbering.evaluate import EvaluationContext, SeriesEvaluation, evaluate_series
from core.numbering.forecast import RatePolicy
from core.numbering.freshness import FreshnessPolicy, SourceHealth
from core.numbering.model import (
    InputField,
    Level,
    Reading,
    SeriesHistory,
    SeriesInputs,
    effective_rackbeat_next,
    worst,
)
from core.numbering.notes import NoteCode
from core.numbering.repository import NumberingConfig, NumberingRepository, alert_state
from core.store.models import Onboarding
from core.store.numbering_models import NumberingCredentials
from core.upstream import Series, Source

STALE_INTERVALS = 3
"""API data older than this many check intervals is stale (the issue: "three intervals")."""
FAILURE_LIMIT = 3
"""Consecutive failures of a source after which its series are ``unknown``."""


@dataclass(frozen=True)
class OnboardingRef:
    id: int
    team_id: str
    channel_id: str
    company_name: str
    language: str
    checklist_ts: str | None = None

    @classmethod
    def of(cls, row: Onboarding) -> OnboardingRef:
        return cls(
            row.id, row.team_id, row.channel_id, row.company_name, row.language, row.checklist_ts
        )


@dataclass(frozen=True)
class Connection:
    source: Source
    company: str
    connected_by: str
    connected_at: datetime
    consecutive_failures: int
    failing_since: datetime | None
    last_error: str | None
    last_success_at: datetime | None

    @classmethod
    def of(cls, row: NumberingCredentials) -> Connection:
        return cls(
            Source(row.source),
            row.company,
            row.connected_by,
            row.connected_at,
            row.consecutive_failures,
            row.failing_since,
            row.last_error,
            row.last_success_at,
        )

    def health(self) -> SourceHealth:
        return SourceHealth(
            self.source, self.consecutive_failures, self.failing_since, self.last_error
        )


@dataclass(frozen=True)
class SeriesView:
    evaluation: SeriesEvaluation
    history: SeriesHistory
    alert: AlertState
    checked_at: datetime | None

    @property
    def level(self) -> Level:
        return self.evaluation.level

    @property
    def set_up(self) -> bool:
        """False while the only reason for ``unknown`` is a value nobody has given yet."""
        notes = self.evaluation.notes
        return not (
            self.level is Level.UNKNOWN
            and notes
            and all(note.code is NoteCode.MISSING_INPUT for note in notes)
        )


@dataclass(frozen=True)
class NumberingView:
    onboarding: OnboardingRef
    config: NumberingConfig
    series: dict[Series, SeriesView]
    connections: dict[Source, Connection]
    now: datetime

    @property
    def level(self) -> Level:
        return worst([view.level for view in self.series.values()])


def freshness(interval: timedelta) -> FreshnessPolicy:
    return FreshnessPolicy(stale_after=STALE_INTERVALS * interval, failure_limit=FAILURE_LIMIT)


def build_view(
    repo: NumberingRepository, row: Onboarding, now: datetime, interval: timedelta
) -> NumberingView:
    """Evaluate both series of ``row`` from what the store holds, as of ``now``."""
    config = repo.config(row.id)
    connections = {source: Connection.of(c) for source, c in repo.credentials(row.id).items()}
    inputs = _inputs(repo, row.id, connections)
    policy = RatePolicy()
    history = repo.history(row.id, now - policy.window)
    statuses = repo.statuses(row.id)
    context = EvaluationContext(
        now, thresholds=config.thresholds, freshness=freshness(interval), rate_policy=policy
    )
    health = [connection.health() for connection in connections.values()]
    views: dict[Series, SeriesView] = {}
    for series in Series:
        series_history = SeriesHistory(
            rackbeat_next=tuple(history.get((series, InputField.RACKBEAT_NEXT), ())),
            netvisor_max=tuple(history.get((series, InputField.NETVISOR_MAX), ())),
        )
        evaluation = evaluate_series(
            series, config.strategies[series], inputs[series], series_history, context, health
        )
        status = statuses.get(series)
        views[series] = SeriesView(
            evaluation,
            series_history,
            alert_state(status) if status is not None else AlertState(),
            status.checked_at if status is not None else None,
        )
    return NumberingView(OnboardingRef.of(row), config, views, connections, now)


def _inputs(
    repo: NumberingRepository, onboarding_id: int, connections: dict[Source, Connection]
) -> dict[Series, SeriesInputs]:
    readings: dict[tuple[Series, InputField, Source], Reading] = {}
    for value in repo.values(onboarding_id):
        source = Source(value.source)
        if source is not Source.MANUAL and source not in connections:
            continue  # left over from a disconnected source
        key = (Series(value.series), InputField(value.field), source)
        readings[key] = Reading(int(value.value), source, value.observed_at)
    result: dict[Series, SeriesInputs] = {}
    for series in Series:
        rackbeat_next = effective_rackbeat_next(
            readings.get((series, InputField.RACKBEAT_NEXT, Source.RACKBEAT)),
            readings.get((series, InputField.RACKBEAT_NEXT, Source.MANUAL)),
        )
        netvisor_max = _newest(
            readings.get((series, InputField.NETVISOR_MAX, Source.NETVISOR)),
            readings.get((series, InputField.NETVISOR_MAX, Source.MANUAL)),
        )
        block = readings.get((series, InputField.NETVISOR_BLOCK_START, Source.MANUAL))
        result[series] = SeriesInputs(rackbeat_next, netvisor_max, block)
    return result


def _newest(*readings: Reading | None) -> Reading | None:
    """Netvisor's largest number: the API's when connected, a typed one if typed later."""
    present = [reading for reading in readings if reading is not None]
    return max(present, key=lambda reading: reading.observed_at, default=None)
