"""Database access of the numbering watch, over the unit of work's session."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Select, and_, delete, false, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.numbering.alerts import AlertState
from core.numbering.calendar import finnish_time
from core.numbering.model import InputField, Level, Observation, Strategy
from core.numbering.thresholds import Thresholds
from core.store.models import Onboarding, Workspace
from core.store.numbering_models import (
    NumberingAlert,
    NumberingCredentials,
    NumberingLease,
    NumberingObservation,
    NumberingSettings,
    NumberingStatus,
    NumberingValue,
)
from core.upstream import Series, Source

HISTORY_KEPT = timedelta(days=90)
# How far apart the clocks of two processes may be before a due time or a claim "from the
# future" is taken for a clock that was set back (tests/faults/test_numbering_interrupted.py).
CLOCK_SKEW = timedelta(minutes=5)

History = dict[tuple[Series, InputField], list[Observation]]


@dataclass(frozen=True)
class NumberingConfig:
    strategies: dict[Series, Strategy]
    thresholds: Thresholds

    @classmethod
    def default(cls) -> NumberingConfig:
        return cls({series: Strategy.RACKBEAT_ONLY for series in Series}, Thresholds())


class NumberingRepository:
    """One onboarding's numbering data within one unit of work.

    Values, credentials and statuses are read once per repository (one transaction) and kept
    current by its own writes: a check reads them several times, and on SQLite every query
    runs under the single writer lock.
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self._values: dict[int, list[NumberingValue]] = {}
        self._credentials: dict[int, dict[Source, NumberingCredentials]] = {}
        self._statuses: dict[int, dict[Series, NumberingStatus]] = {}
        self._history: dict[int, tuple[datetime, History]] = {}
        self._pinned: list[object] = []
        self._no_settings: set[int] = set()

    def preload(self, ids: Sequence[int], history_since: datetime | None = None) -> None:
        """Read what the checks of ``ids`` need in a few queries, not a few per onboarding."""
        wanted = list(ids)
        # Kept referenced: the session's identity map holds objects weakly, and get() finds
        # them there only while something else holds them.
        self._pinned.extend(
            self.session.scalars(select(Onboarding).where(Onboarding.id.in_(wanted)))
        )
        settings = select(NumberingSettings).where(NumberingSettings.onboarding_id.in_(wanted))
        self._pinned.extend(self.session.scalars(settings))
        self._no_settings.update(
            set(wanted)
            - {row.onboarding_id for row in self._pinned if isinstance(row, NumberingSettings)}
        )
        for onboarding_id in wanted:
            self._values[onboarding_id] = []
            self._credentials[onboarding_id] = {}
            self._statuses[onboarding_id] = {}
        for value in self.session.scalars(
            select(NumberingValue).where(NumberingValue.onboarding_id.in_(wanted))
        ):
            self._values[value.onboarding_id].append(value)
        for credentials in self.session.scalars(
            select(NumberingCredentials).where(NumberingCredentials.onboarding_id.in_(wanted))
        ):
            self._credentials[credentials.onboarding_id][Source(credentials.source)] = credentials
        for status in self.session.scalars(
            select(NumberingStatus).where(NumberingStatus.onboarding_id.in_(wanted))
        ):
            self._statuses[status.onboarding_id][Series(status.series)] = status
        if history_since is not None:
            found: dict[int, History] = {i: defaultdict(list) for i in wanted}
            for row in self.session.scalars(_history_query(wanted, history_since)):
                found[row.onboarding_id][(Series(row.series), InputField(row.field))].append(
                    Observation(row.at, int(row.value))
                )
            for onboarding_id, history in found.items():
                self._history[onboarding_id] = (history_since, history)

    # --- settings --------------------------------------------------------------------------

    def config(self, onboarding_id: int) -> NumberingConfig:
        if onboarding_id in self._no_settings:
            return NumberingConfig.default()
        row = self.session.get(NumberingSettings, onboarding_id)
        if row is None:
            return NumberingConfig.default()
        return NumberingConfig(
            {
                Series.ORDER: Strategy(row.order_strategy),
                Series.INVOICE: Strategy(row.invoice_strategy),
            },
            Thresholds(
                row.warning_days, row.warning_numbers, row.critical_days, row.critical_numbers
            ),
        )

    def save_config(self, onboarding_id: int, config: NumberingConfig, now: datetime) -> None:
        row = self.session.get(NumberingSettings, onboarding_id)
        if row is None:
            row = NumberingSettings(onboarding_id=onboarding_id)
            self.session.add(row)
        row.order_strategy = config.strategies[Series.ORDER].value
        row.invoice_strategy = config.strategies[Series.INVOICE].value
        row.warning_days = config.thresholds.warning_days
        row.warning_numbers = config.thresholds.warning_numbers
        row.critical_days = config.thresholds.critical_days
        row.critical_numbers = config.thresholds.critical_numbers
        row.updated_at = now
        self._no_settings.discard(onboarding_id)

    # --- values and history -----------------------------------------------------------------

    def inputs_changed_at(self, onboarding_id: int) -> dict[Series, datetime]:
        """When each series' inputs (its values, or the settings of both series) last changed.

        A check stores what it reads at its own time, so only a change made after a check is
        later than that check's ``checked_at``.
        """
        settings = self.session.get(NumberingSettings, onboarding_id)
        latest: dict[Series, datetime] = {}
        if settings is not None:
            latest = dict.fromkeys(Series, settings.updated_at)
        for value in self.values(onboarding_id):
            series = Series(value.series)
            if series not in latest or value.observed_at > latest[series]:
                latest[series] = value.observed_at
        return latest

    def values(self, onboarding_id: int) -> Sequence[NumberingValue]:
        if onboarding_id not in self._values:
            query = select(NumberingValue).where(NumberingValue.onboarding_id == onboarding_id)
            self._values[onboarding_id] = list(self.session.scalars(query))
        return self._values[onboarding_id]

    def record_value(
        self,
        onboarding_id: int,
        series: Series,
        field: InputField,
        source: Source,
        value: int,
        at: datetime,
        *,
        set_by: str | None = None,
        cursor: int | None = None,
    ) -> int | None:
        """Store the latest value (and the history point); returns the value it replaced."""
        key = (onboarding_id, series.value, field.value, source.value)
        row = self.session.get(NumberingValue, key)
        previous = int(row.value) if row is not None else None
        if row is None:
            row = NumberingValue(
                onboarding_id=onboarding_id,
                series=series.value,
                field=field.value,
                source=source.value,
            )
            self.session.add(row)
            if onboarding_id in self._values:
                self._values[onboarding_id].append(row)
        previous_at = row.observed_at if previous is not None else None
        row.value, row.observed_at, row.set_by = str(value), at, set_by
        if cursor is not None:
            row.cursor = str(cursor)
        if _worth_a_point(previous, previous_at, value, at, source):
            self.session.add(
                NumberingObservation(
                    onboarding_id=onboarding_id,
                    series=series.value,
                    field=field.value,
                    source=source.value,
                    at=at,
                    value=str(value),
                )
            )
        return previous

    def history(self, onboarding_id: int, since: datetime) -> History:
        cached = self._history.get(onboarding_id)
        if cached is not None and cached[0] <= since:
            return {
                key: [point for point in points if point.at >= since]
                for key, points in cached[1].items()
            }
        found: History = defaultdict(list)
        for row in self.session.scalars(_history_query([onboarding_id], since)):
            found[(Series(row.series), InputField(row.field))].append(
                Observation(row.at, int(row.value))
            )
        return found

    def prune_history(self, now: datetime) -> None:
        """Forget history older than ``HISTORY_KEPT`` (once a round, for every onboarding)."""
        self.session.execute(
            delete(NumberingObservation).where(NumberingObservation.at < now - HISTORY_KEPT)
        )

    # --- credentials ------------------------------------------------------------------------

    def credentials(self, onboarding_id: int) -> dict[Source, NumberingCredentials]:
        if onboarding_id not in self._credentials:
            query = select(NumberingCredentials).where(
                NumberingCredentials.onboarding_id == onboarding_id
            )
            rows = self.session.scalars(query)
            self._credentials[onboarding_id] = {Source(row.source): row for row in rows}
        return self._credentials[onboarding_id]

    def every_credential(self, *, lock: bool = False) -> Sequence[NumberingCredentials]:
        """Every stored credential of every onboarding (``lock``: rows locked where the
        database can, for re-encrypting them under a new key)."""
        query = select(NumberingCredentials)
        return self.session.scalars(query.with_for_update() if lock else query).all()

    def save_credentials(
        self, onboarding_id: int, source: Source, sealed: str, company: str, by: str, now: datetime
    ) -> None:
        row = self.session.get(NumberingCredentials, (onboarding_id, source.value))
        if row is None:
            row = NumberingCredentials(onboarding_id=onboarding_id, source=source.value)
            self.session.add(row)
        self._credentials.get(onboarding_id, {})[source] = row
        row.sealed, row.company, row.connected_by, row.connected_at = sealed, company, by, now
        row.consecutive_failures, row.failing_since, row.last_error = 0, None, None
        row.last_success_at = now

    def delete_credentials(self, onboarding_id: int, source: Source) -> bool:
        row = self.session.get(NumberingCredentials, (onboarding_id, source.value))
        if row is None:
            return False
        self.session.delete(row)
        self._credentials.get(onboarding_id, {}).pop(source, None)
        return True

    # --- status and alert state -------------------------------------------------------------

    def statuses(self, onboarding_id: int) -> dict[Series, NumberingStatus]:
        if onboarding_id not in self._statuses:
            query = select(NumberingStatus).where(NumberingStatus.onboarding_id == onboarding_id)
            rows = self.session.scalars(query)
            self._statuses[onboarding_id] = {Series(row.series): row for row in rows}
        return self._statuses[onboarding_id]

    def status_row(self, onboarding_id: int, series: Series, now: datetime) -> NumberingStatus:
        row = self.session.get(NumberingStatus, (onboarding_id, series.value))
        if row is None:
            row = NumberingStatus(
                onboarding_id=onboarding_id,
                series=series.value,
                level=Level.UNKNOWN.value,
                notes=[],
                checked_at=now,
                alert_level=Level.OK.value,
                episode=1,
                alerted_levels="",
            )
            self.session.add(row)
            self._statuses.get(onboarding_id, {})[series] = row
        return row

    def levels(self, onboarding_id: int) -> dict[Series, tuple[Level, datetime]]:
        return {
            series: (Level(row.level), row.checked_at)
            for series, row in self.statuses(onboarding_id).items()
        }

    # --- leases -----------------------------------------------------------------------------

    def watched(self, channel_id: str | None = None) -> list[tuple[int, str, str]]:
        """(onboarding id, channel, company) of every onboarding in the scheduled checks (it
        has a lease), or only the one in ``channel_id``; in onboarding order."""
        query = select(Onboarding.id, Onboarding.channel_id, Onboarding.company_name).join(
            NumberingLease, NumberingLease.onboarding_id == Onboarding.id
        )
        if channel_id:
            query = query.where(Onboarding.channel_id == channel_id)
        return list(self.session.execute(query.order_by(Onboarding.id)).tuples())

    def ensure_lease(self, onboarding_id: int, now: datetime) -> None:
        """Make the onboarding part of the scheduled checks (due at once)."""
        if self.session.get(NumberingLease, onboarding_id) is None:
            self.session.add(NumberingLease(onboarding_id=onboarding_id, due_at=now))
            self.session.flush()

    def claim_due(
        self,
        holder: str,
        now: datetime,
        ttl: timedelta,
        interval: timedelta,
        limit: int,
        only: Sequence[int] | None = None,
    ) -> list[int]:
        """Claim up to ``limit`` due checks nobody holds; moves each one's next due time.

        ``only``: claim these onboardings (if free), due or not (a check run by hand).
        On PostgreSQL ``FOR UPDATE SKIP LOCKED`` lets concurrent claimers pass each other's
        rows; SQLite serialises writers (``BEGIN IMMEDIATE``), so the same query is safe there.

        Also due: a check whose holder died (its lease ran out without a release: the due
        time had already moved on when it was claimed, so it would otherwise wait a whole
        interval), and one due further ahead than an interval (and ``CLOCK_SKEW``): only a
        clock set back puts it there, and it would otherwise wait for the clock to catch up.
        """
        which = (
            and_(
                or_(
                    NumberingLease.due_at <= now,
                    NumberingLease.due_at > now + interval + CLOCK_SKEW,
                    NumberingLease.expires_at < now,
                ),
                # A workspace that uninstalled the app keeps its onboardings, but its accounts
                # are not read again until it reinstalls (nothing could be posted anyway).
                NumberingLease.onboarding_id.not_in(_of_uninstalled_workspaces()),
            )
            if only is None
            else NumberingLease.onboarding_id.in_(list(only))
        )
        query = (
            select(NumberingLease)
            .where(which, _free(now))
            .order_by(NumberingLease.due_at, NumberingLease.onboarding_id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        claimed = []
        for lease in self.session.scalars(query):
            following = lease.due_at + interval
            # Missed runs coalesce into one: the next one is a full interval from now (so does
            # a due time a clock set back left too far ahead).
            in_step = now < following <= now + interval + CLOCK_SKEW
            lease.due_at = following if in_step else now + interval
            lease.holder, lease.expires_at, lease.last_started_at = holder, now + ttl, now
            claimed.append(lease.onboarding_id)
        return claimed

    def take_back(self, holder: str, now: datetime, ttl: timedelta) -> list[int]:
        """The checks ``holder`` holds, claimed again: its run died holding them, and this is
        its next run (see ``claim``)."""
        query = (
            select(NumberingLease)
            .where(NumberingLease.holder == holder)
            .order_by(NumberingLease.onboarding_id)
            .with_for_update(skip_locked=True)
        )
        taken = []
        for lease in self.session.scalars(query):
            lease.expires_at, lease.last_started_at = now + ttl, now
            taken.append(lease.onboarding_id)
        return taken

    def claim(
        self,
        onboarding_id: int,
        holder: str,
        now: datetime,
        ttl: timedelta,
        *,
        holder_reruns: bool = False,
    ) -> bool:
        """Claim one onboarding's check now (a user asked); ``False`` if someone holds it.

        ``holder_reruns``: ``holder`` names one piece of work that runs again only when its
        process was taken for dead (a queue job): a lease it holds is its own, left by the run
        that died, and is taken back rather than waited out.
        """
        self.ensure_lease(onboarding_id, now)
        result = self.session.execute(
            update(NumberingLease)
            .where(
                NumberingLease.onboarding_id == onboarding_id,
                _free(now, holder if holder_reruns else None),
            )
            .values(holder=holder, expires_at=now + ttl, last_started_at=now)
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(result, "rowcount", 0))

    def release(self, ids: Sequence[int], holder: str, now: datetime) -> None:
        self.session.execute(
            update(NumberingLease)
            .where(NumberingLease.onboarding_id.in_(list(ids)), NumberingLease.holder == holder)
            .values(holder=None, expires_at=None, last_finished_at=now)
            .execution_options(synchronize_session=False)
        )

    # --- alerts -----------------------------------------------------------------------------

    def add_alert(self, alert: NumberingAlert) -> bool:
        """Insert ``alert``; ``False`` if its key exists (someone already made this notice)."""
        try:
            with self.session.begin_nested():
                self.session.add(alert)
        except IntegrityError:
            return False
        return True

    def undelivered(self, ids: Sequence[int], stale_before: datetime) -> Sequence[NumberingAlert]:
        """Alerts whose delivery failed, or was left pending by a process that died."""
        query = (
            select(NumberingAlert)
            .where(
                NumberingAlert.onboarding_id.in_(list(ids)),
                or_(
                    NumberingAlert.status == "failed",
                    (NumberingAlert.status == "pending")
                    & (NumberingAlert.created_at < stale_before),
                ),
            )
            .order_by(NumberingAlert.id)
        )
        return self.session.scalars(query).all()

    def alert(self, alert_id: int) -> NumberingAlert | None:
        return self.session.get(NumberingAlert, alert_id)


def _history_query(ids: Sequence[int], since: datetime) -> Select[tuple[NumberingObservation]]:
    return (
        select(NumberingObservation)
        .where(NumberingObservation.onboarding_id.in_(ids), NumberingObservation.at >= since)
        .order_by(NumberingObservation.at, NumberingObservation.id)
    )


def _free(now: datetime, rerun_of: str | None = None) -> ColumnElement[bool]:
    """Nobody holds the check: released, expired, or claimed "later" than now by more than
    ``CLOCK_SKEW`` (the clock was set back since; its holder's lease would look valid for as
    long as the clock went back). Or it is held by ``rerun_of``, running again."""
    return or_(
        NumberingLease.expires_at.is_(None),
        NumberingLease.expires_at < now,
        NumberingLease.last_started_at > now + CLOCK_SKEW,
        _held_by(rerun_of),
    )


def _held_by(holder: str | None) -> ColumnElement[bool]:
    return NumberingLease.holder == holder if holder is not None else false()


def _worth_a_point(
    previous: int | None, previous_at: datetime | None, value: int, at: datetime, source: Source
) -> bool:
    """A history point when the value changed, a user typed it, or once a (local) day."""
    if previous is None or previous_at is None or previous != value or source is Source.MANUAL:
        return True
    zone = finnish_time()
    return previous_at.astimezone(zone).date() != at.astimezone(zone).date()


def alert_state(row: NumberingStatus) -> AlertState:
    return AlertState(
        level=Level(row.alert_level),
        episode=row.episode,
        alerted=frozenset(Level(v) for v in row.alerted_levels.split(",") if v),
        alerted_at=row.alerted_at,
        acknowledged=Level(row.acknowledged_level) if row.acknowledged_level else None,
        snoozed_until=row.snoozed_until,
        last_notice_at=row.last_notice_at,
    )


def store_alert_state(row: NumberingStatus, state: AlertState) -> None:
    row.alert_level = state.level.value
    row.episode = state.episode
    row.alerted_levels = ",".join(sorted(level.value for level in state.alerted))
    row.alerted_at = state.alerted_at
    row.acknowledged_level = state.acknowledged.value if state.acknowledged else None
    row.snoozed_until = state.snoozed_until
    row.last_notice_at = state.last_notice_at


def _of_uninstalled_workspaces() -> Select[tuple[int]]:
    return (
        select(Onboarding.id)
        .join(Workspace, Workspace.team_id == Onboarding.team_id)
        .where(Workspace.uninstalled_at.is_not(None))
    )
