"""The numbering check: claim, read the upstreams, record, evaluate, alert, release.

A check is claimed through a lease row (``NumberingRepository.claim_due`` / ``claim``), so two
processes on one PostgreSQL never run the same onboarding's check at once; a crashed holder's
lease expires after ``lease_ttl``. Upstreams are read outside any transaction. Alerts are
inserted with their unique key *before* they are posted (status ``pending``), then marked
``sent`` with the message ts; a failed post is retried by the next check, and so is a pending
one older than the lease (its process died between the insert and the post).

Nothing here knows Slack: a ``Notifier`` posts.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Protocol, TypeVar

from core.errors import ConfigurationError
from core.numbering.alerts import NoticeKind, plan
from core.numbering.fetch import FetchResult, SourceFailure, Upstreams
from core.numbering.model import InputField, Level, Series, Source
from core.numbering.notes import Note
from core.numbering.repository import NumberingRepository, store_alert_state
from core.numbering.view import NumberingView, build_view
from core.sources.credentials import NetvisorCredentials, RackbeatCredentials, SecretBox
from core.store.models import Onboarding
from core.store.numbering_models import NumberingAlert, NumberingCredentials
from core.store.uow import UnitOfWorkFactory

log = logging.getLogger(__name__)

MAX_DELIVERY_ATTEMPTS = 5

C = TypeVar("C", RackbeatCredentials, NetvisorCredentials)


@dataclass(frozen=True)
class Delivery:
    """One alert to post, with everything needed to render it."""

    alert_id: int
    kind: NoticeKind
    series: Series
    level: Level
    view: NumberingView


class Notifier(Protocol):
    def deliver(self, delivery: Delivery) -> str:
        """Post ``delivery`` in the onboarding's channel; return the message ts or raise."""
        ...

    def checked(self, view: NumberingView) -> None:
        """After every check (the checklist shows the ``numbering`` step's state)."""
        ...


class CheckInProgress(ConfigurationError):
    """Another process (or thread) is checking this onboarding right now."""


@dataclass(frozen=True)
class CheckReport:
    view: NumberingView
    delivered: tuple[Delivery, ...]
    failures: dict[Source, SourceFailure]


@dataclass
class RoundReport:
    checked: int = 0
    errors: int = 0
    alerts: int = 0
    reports: list[CheckReport] = field(default_factory=list)


def process_holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class NumberingChecker:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        upstreams: Upstreams,
        box: SecretBox | None,
        *,
        interval: timedelta,
        clock: Callable[[], datetime],
        lease_ttl: timedelta = timedelta(minutes=15),
        holder: str | None = None,
    ) -> None:
        self.uow = uow
        self.upstreams = upstreams
        self.box = box
        self.interval = interval
        self.clock = clock
        self.lease_ttl = lease_ttl
        self.holder = holder or process_holder()

    # --- entry points -------------------------------------------------------------------------

    def check_due(
        self, notifier: Notifier, concurrency: int = 16, keep: bool = False
    ) -> RoundReport:
        """Check every due onboarding (claimed in chunks), ``concurrency`` at a time."""
        report = RoundReport()
        lock = threading.Lock()
        slots = threading.BoundedSemaphore(concurrency)

        def run(onboarding_id: int) -> None:
            try:
                result = self._run_claimed(onboarding_id, notifier)
                with lock:
                    report.checked += 1
                    report.alerts += len(result.delivered)
                    if keep:
                        report.reports.append(result)
            except Exception:
                log.exception("numbering check of onboarding %s failed", onboarding_id)
                with lock:
                    report.errors += 1
            finally:
                slots.release()

        with ThreadPoolExecutor(concurrency, thread_name_prefix="numbering") as pool:
            while True:
                claimed = self._claim_due(concurrency)
                if not claimed:
                    break
                for onboarding_id in claimed:
                    slots.acquire()
                    pool.submit(run, onboarding_id)
        return report

    def check_now(self, onboarding_id: int, notifier: Notifier) -> CheckReport:
        """Check one onboarding at once (a user asked); ``CheckInProgress`` if it is running."""
        with self.uow() as uow:
            claimed = NumberingRepository(uow.session).claim(
                onboarding_id, self.holder, self.clock(), self.lease_ttl
            )
            uow.commit()
        if not claimed:
            raise CheckInProgress("A numbering check of this channel is running right now.")
        return self._run_claimed(onboarding_id, notifier)

    # --- one check ----------------------------------------------------------------------------

    def _claim_due(self, limit: int) -> list[int]:
        with self.uow() as uow:
            claimed = NumberingRepository(uow.session).claim_due(
                self.holder, self.clock(), self.lease_ttl, self.interval, limit
            )
            uow.commit()
            return claimed

    def _run_claimed(self, onboarding_id: int, notifier: Notifier) -> CheckReport:
        try:
            report = self._check(onboarding_id, notifier)
        finally:
            with self.uow() as uow:
                NumberingRepository(uow.session).release(onboarding_id, self.holder, self.clock())
                uow.commit()
        try:
            notifier.checked(report.view)
        except Exception:
            log.exception("after-check hook failed for onboarding %s", onboarding_id)
        return report

    def _check(self, onboarding_id: int, notifier: Notifier) -> CheckReport:
        rackbeat, netvisor, cursors, failures = self._load(onboarding_id)
        fetched = self.upstreams.fetch(rackbeat, netvisor, cursors)
        fetched.failures.update(failures)
        view, deliveries = self._record(onboarding_id, fetched)
        delivered = tuple(d for d in deliveries if self._deliver(d, notifier))
        return CheckReport(view, delivered, fetched.failures)

    def _load(
        self, onboarding_id: int
    ) -> tuple[
        RackbeatCredentials | None,
        NetvisorCredentials | None,
        dict[Series, int | None],
        dict[Source, SourceFailure],
    ]:
        with self.uow() as uow:
            repo = NumberingRepository(uow.session)
            sealed = {source: row.sealed for source, row in repo.credentials(onboarding_id).items()}
            cursors: dict[Series, int | None] = dict.fromkeys(Series)
            for value in repo.values(onboarding_id):
                if value.source == Source.NETVISOR and value.cursor is not None:
                    cursors[Series(value.series)] = int(value.cursor)
        failures: dict[Source, SourceFailure] = {}
        rackbeat = self._open(Source.RACKBEAT, sealed, RackbeatCredentials, failures)
        netvisor = self._open(Source.NETVISOR, sealed, NetvisorCredentials, failures)
        return rackbeat, netvisor, cursors, failures

    def _open(
        self,
        source: Source,
        sealed: dict[Source, str],
        kind: type[C],
        failures: dict[Source, SourceFailure],
    ) -> C | None:
        token = sealed.get(source)
        if token is None:
            return None
        try:
            if self.box is None:
                raise ConfigurationError("SECRET_KEY is not set: stored credentials are unusable.")
            return self.box.open(token, kind)
        except ConfigurationError as error:
            failures[source] = SourceFailure("secret_key", error.reason, rejected=True)
            return None

    def _record(
        self, onboarding_id: int, fetched: FetchResult
    ) -> tuple[NumberingView, list[Delivery]]:
        now = self.clock()
        with self.uow() as uow:
            repo = NumberingRepository(uow.session)
            row = uow.session.get(Onboarding, onboarding_id)
            if row is None:
                raise LookupError(f"onboarding {onboarding_id} is gone")
            self._store_readings(repo, onboarding_id, fetched, now)
            repo.prune_history(onboarding_id, now)
            view = build_view(repo, row, now, self.interval)
            alerts = self._plan_alerts(repo, view, now)
            retries = repo.undelivered(onboarding_id, now - self.lease_ttl)
            uow.commit()
            pending = {alert.id: alert for alert in (*retries, *alerts)}
        deliveries = [
            Delivery(a.id, NoticeKind(a.kind), Series(a.series), Level(a.level), view)
            for a in pending.values()
            if a.attempts < MAX_DELIVERY_ATTEMPTS
        ]
        return view, deliveries

    def _store_readings(
        self, repo: NumberingRepository, onboarding_id: int, fetched: FetchResult, now: datetime
    ) -> None:
        for series, highest in fetched.rackbeat_highest.items():
            if highest is not None:
                repo.record_value(
                    onboarding_id,
                    series,
                    InputField.RACKBEAT_NEXT,
                    Source.RACKBEAT,
                    highest + 1,
                    now,
                )
        earlier = {
            Series(v.series): int(v.value)
            for v in repo.values(onboarding_id)
            if v.source == Source.NETVISOR and v.field == InputField.NETVISOR_MAX
        }
        for series, scan in fetched.netvisor_scans.items():
            highest = scan.merged_with(earlier.get(series))
            repo.record_value(
                onboarding_id,
                series,
                InputField.NETVISOR_MAX,
                Source.NETVISOR,
                highest if highest is not None else 0,
                now,
                cursor=scan.last_key,
            )
        _update_health(repo.credentials(onboarding_id), fetched, now)

    def _plan_alerts(
        self, repo: NumberingRepository, view: NumberingView, now: datetime
    ) -> list[NumberingAlert]:
        created: list[NumberingAlert] = []
        for series, series_view in view.series.items():
            status = repo.status_row(view.onboarding.id, series, now)
            evaluation = series_view.evaluation
            status.level = evaluation.level.value
            status.headroom = None if evaluation.headroom is None else str(evaluation.headroom)
            status.rate = evaluation.rate.per_business_day if evaluation.rate else None
            status.days_left = evaluation.days_left
            status.runs_out_at = evaluation.forecast.runs_out_at
            status.notes = [_note_json(note) for note in evaluation.notes]
            status.checked_at = now
            if not series_view.set_up:
                continue  # nothing to watch until the values are given
            state, notice = plan(series_view.alert, evaluation.level, now)
            store_alert_state(status, state)
            if notice is None:
                continue
            alert = NumberingAlert(
                key=f"o{view.onboarding.id}:{series.value}:{notice.key}",
                onboarding_id=view.onboarding.id,
                series=series.value,
                kind=notice.kind.value,
                level=notice.level.value,
                episode=notice.episode,
                created_at=now,
                status="pending",
                attempts=0,
                channel_id=view.onboarding.channel_id,
            )
            if repo.add_alert(alert):
                created.append(alert)
        return created

    def _deliver(self, delivery: Delivery, notifier: Notifier) -> bool:
        try:
            ts = notifier.deliver(delivery)
        except Exception as error:
            log.warning("numbering alert %s not delivered: %s", delivery.alert_id, error)
            self._mark(delivery.alert_id, "failed", None, type(error).__name__)
            return False
        self._mark(delivery.alert_id, "sent", ts, None)
        return True

    def _mark(self, alert_id: int, status: str, ts: str | None, error: str | None) -> None:
        with self.uow() as uow:
            alert = NumberingRepository(uow.session).alert(alert_id)
            if alert is not None:
                alert.status, alert.message_ts, alert.last_error = status, ts, error
                alert.attempts += 1
                uow.commit()


def _update_health(
    rows: dict[Source, NumberingCredentials], fetched: FetchResult, now: datetime
) -> None:
    for source, row in rows.items():
        failure = fetched.failures.get(source)
        if failure is None:
            row.consecutive_failures, row.failing_since, row.last_error = 0, None, None
            row.last_success_at = now
            continue
        if row.consecutive_failures == 0 or row.last_error != failure.code:
            row.failing_since = now  # "Netvisor has answered <code> since <time>"
        row.consecutive_failures += 1
        row.last_error = failure.code


def _note_json(note: Note) -> dict[str, object]:
    return {
        key: (value.isoformat() if isinstance(value, datetime) else value)
        for key, value in asdict(note).items()
        if value is not None
    }
