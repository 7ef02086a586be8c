"""The numbering check: claim, read the upstreams, record, evaluate, alert, release.

Checks run in batches (see ``NumberingChecker``); a user's "check now" is a batch of one. A
check is claimed through a lease row (``NumberingRepository.claim_due`` / ``claim``), so two
processes on one PostgreSQL never run the same onboarding's check at once; a crashed holder's
lease expires after ``lease_ttl``, unless it ran as rerunnable work (``rerunnable``: a queue
job), whose next run takes the lease back at once. Upstreams are read outside any transaction.
Alerts are inserted with their unique key *before* they are posted (status ``pending``), then
marked ``sent`` with the message ts; a failed post is retried by the next check, and so is a
pending one older than the lease (its process died between the insert and the post, or between
the post and its record: the notifier then finds the first post instead of posting again).

Nothing here knows Slack: a ``Notifier`` posts.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta
from typing import Protocol, TypeVar

from core.credentials import NetvisorCredentials, RackbeatCredentials, SecretBox
from core.errors import ConfigurationError
from core.numbering.alerts import NoticeKind, plan
from core.numbering.fetch import FetchResult, SourceFailure, read_netvisor, read_rackbeat
from core.numbering.forecast import RatePolicy
from core.numbering.model import InputField, Level
from core.numbering.notes import Note
from core.numbering.ports import NumberSources
from core.numbering.repository import NumberingRepository, store_alert_state
from core.numbering.view import NumberingView, build_view
from core.store.models import Onboarding
from core.store.numbering_models import NumberingAlert, NumberingCredentials
from core.store.uow import UnitOfWorkFactory
from core.upstream import Series, Source

log = logging.getLogger(__name__)

MAX_DELIVERY_ATTEMPTS = 5
DEFAULT_CONCURRENCY = 16
"""Upstream reads at once; see bench/RESULTS-numbering.md for 8/16/32/64."""

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
    changed: bool
    """Some series' level differs from the previous check (or there was none)."""


@dataclass
class RoundReport:
    checked: int = 0
    errors: int = 0
    alerts: int = 0
    reports: list[CheckReport] = field(default_factory=list)


def process_holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


# The work this thread is doing, when it runs again after its process died (a queue job).
_RERUNNABLE_WORK: ContextVar[str | None] = ContextVar("numbering_rerunnable_work", default=None)


@contextmanager
def rerunnable(work: str) -> Iterator[None]:
    """Checks started inside hold their leases as ``work`` (unique, run again only once its
    last run is taken for dead: the queue's missed heartbeat), not as this process: when the
    process dies mid-check, ``work`` running again takes its leases back at once. Without it
    they would be held until the lease ran out (15 minutes), and every check asked for
    meanwhile, the rerun's own included, would answer "running right now" while nothing
    ran."""
    token = _RERUNNABLE_WORK.set(work)
    try:
        yield
    finally:
        _RERUNNABLE_WORK.reset(token)


@dataclass
class _Claimed:
    """One claimed onboarding on its way through a batch."""

    onboarding_id: int
    rackbeat: RackbeatCredentials | None = None
    netvisor: NetvisorCredentials | None = None
    cursors: dict[Series, int | None] = field(default_factory=lambda: dict.fromkeys(Series))
    failures: dict[Source, SourceFailure] = field(default_factory=dict)
    fetched: FetchResult | None = None
    report: CheckReport | None = None
    deliveries: list[Delivery] = field(default_factory=list)


@dataclass
class _Batch:
    items: list[_Claimed]
    reads: list[Future[None]]


class NumberingChecker:
    """Runs checks in batches: claim a batch, read its credentials in one transaction, read
    the upstreams concurrently (no transaction open), record the whole batch in one
    transaction (its leases released in the same commit), then post.

    Few, short transactions matter on SQLite, where every transaction takes the one writer
    lock; on PostgreSQL they are simply cheap.
    """

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        upstreams: NumberSources,
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
        self,
        notifier: Notifier,
        concurrency: int = DEFAULT_CONCURRENCY,
        keep: bool = False,
        only: list[int] | None = None,
    ) -> RoundReport:
        """Check every due onboarding (or every one of ``only``, due or not, that nobody else
        is checking), reading upstreams ``concurrency`` at a time.

        Batches are pipelined: while one batch's upstream reads run on the pool, the previous
        batch is recorded (one transaction) and its alerts are posted.
        """
        report = RoundReport()
        with self.uow() as uow:
            uow.numbering.prune_history(self.clock())
            uow.commit()
        batch_size = max(concurrency * 4, 16)
        remaining = None if only is None else list(only)
        # Rerunnable work running again finishes first what its dead run had claimed.
        taken_back = self._take_back() if self._holder_reruns() else []
        with ThreadPoolExecutor(concurrency, thread_name_prefix="numbering") as pool:
            reading: _Batch | None = None
            while True:
                with self.uow() as uow:
                    claimed = taken_back or uow.numbering.claim_due(
                        self._holder(),
                        self.clock(),
                        self.lease_ttl,
                        self.interval,
                        batch_size,
                        only=remaining,
                    )
                    uow.commit()
                taken_back = []
                if remaining is not None:
                    remaining = [i for i in remaining if i not in set(claimed)]
                started = self._start(claimed, pool) if claimed else None
                if reading is not None:
                    self._tally(report, self._complete(reading, notifier, pool), keep)
                if started is None:
                    break
                reading = started
        return report

    def check_now(self, onboarding_id: int, notifier: Notifier) -> CheckReport:
        """Check one onboarding at once (a user asked); ``CheckInProgress`` if it is running."""
        with self.uow() as uow:
            claimed = uow.numbering.claim(
                onboarding_id,
                self._holder(),
                self.clock(),
                self.lease_ttl,
                holder_reruns=self._holder_reruns(),
            )
            uow.commit()
        if not claimed:
            raise CheckInProgress("numbering.check.in_progress")
        [item] = self._complete(self._start([onboarding_id], None), notifier, None)
        if item.report is None:
            raise RuntimeError(f"the numbering check of onboarding {onboarding_id} failed")
        return item.report

    def _holder(self) -> str:
        """Who claims and releases checks in this thread (see ``rerunnable``)."""
        return _RERUNNABLE_WORK.get() or self.holder

    @staticmethod
    def _holder_reruns() -> bool:
        return _RERUNNABLE_WORK.get() is not None

    def _take_back(self) -> list[int]:
        with self.uow() as uow:
            taken = uow.numbering.take_back(self._holder(), self.clock(), self.lease_ttl)
            uow.commit()
        if taken:
            log.info("numbering checks taken back from a run that died: %s", taken)
        return taken

    @staticmethod
    def _tally(report: RoundReport, items: list[_Claimed], keep: bool) -> None:
        for item in items:
            if item.report is None:
                report.errors += 1
                continue
            report.checked += 1
            report.alerts += len(item.report.delivered)
            if keep:
                report.reports.append(item.report)

    # --- a batch ------------------------------------------------------------------------------

    def _start(self, ids: list[int], pool: ThreadPoolExecutor | None) -> _Batch:
        """Load the batch's credentials and start its upstream reads (on ``pool`` if given)."""
        items = [_Claimed(onboarding_id) for onboarding_id in ids]
        try:
            self._load(items)
            reads = [read for item in items for read in self._reads(item)]
        except BaseException:
            self._release(ids)
            raise
        if pool is None:
            for read in reads:
                read()
            return _Batch(items, [])
        return _Batch(items, [pool.submit(read) for read in reads])

    def _complete(
        self, batch: _Batch, notifier: Notifier, pool: ThreadPoolExecutor | None
    ) -> list[_Claimed]:
        """Wait for the reads, record the batch (releasing its leases), post its alerts."""
        recorded = False
        try:
            for future in batch.reads:
                future.result()
            self._record(batch.items)
            recorded = True
        finally:
            if not recorded:
                self._release([item.onboarding_id for item in batch.items])
        if pool is None:
            for item in batch.items:
                self._finish(item, notifier)
        else:
            list(pool.map(lambda item: self._finish(item, notifier), batch.items))
        return batch.items

    def _release(self, ids: list[int]) -> None:
        with self.uow() as uow:
            uow.numbering.release(ids, self._holder(), self.clock())
            uow.commit()

    def _reads(self, item: _Claimed) -> list[Callable[[], None]]:
        """The upstream reads of one check: Rackbeat and Netvisor may run at the same time."""
        result = item.fetched = FetchResult(failures=dict(item.failures))
        reads: list[Callable[[], None]] = []
        if (rackbeat := item.rackbeat) is not None:
            reads.append(lambda: read_rackbeat(self.upstreams, rackbeat, result))
        if (netvisor := item.netvisor) is not None:
            reads.append(lambda: read_netvisor(self.upstreams, netvisor, item.cursors, result))
        return reads

    def _finish(self, item: _Claimed, notifier: Notifier) -> None:
        """Post the batch's alerts for one onboarding, then refresh its checklist if needed."""
        if item.report is None:
            return
        delivered = tuple(d for d in item.deliveries if self._deliver(d, notifier))
        item.report = replace(item.report, delivered=delivered)
        if item.report.changed:  # the checklist shows the levels: refresh only when they move
            try:
                notifier.checked(item.report.view)
            except Exception:
                log.exception("after-check hook failed for onboarding %s", item.onboarding_id)

    def _load(self, items: list[_Claimed]) -> None:
        with self.uow() as uow:
            repo = uow.numbering
            repo.preload([item.onboarding_id for item in items])
            sealed: dict[int, dict[Source, str]] = {}
            for item in items:
                credentials = repo.credentials(item.onboarding_id)
                sealed[item.onboarding_id] = {s: row.sealed for s, row in credentials.items()}
                for value in repo.values(item.onboarding_id):
                    if value.source == Source.NETVISOR and value.cursor is not None:
                        item.cursors[Series(value.series)] = int(value.cursor)
        for item in items:
            found = sealed[item.onboarding_id]
            item.rackbeat = self._open(Source.RACKBEAT, found, RackbeatCredentials, item.failures)
            item.netvisor = self._open(Source.NETVISOR, found, NetvisorCredentials, item.failures)

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
            failures[source] = SourceFailure("secret_key", error.code, rejected=True)
            return None

    def _record(self, items: list[_Claimed]) -> None:
        """Record, evaluate and plan alerts for the whole batch; release its leases."""
        now = self.clock()
        ids = [item.onboarding_id for item in items]
        with self.uow() as uow:
            repo = uow.numbering
            repo.preload(ids, history_since=now - RatePolicy().window)
            retries: dict[int, list[NumberingAlert]] = {}
            for alert in repo.undelivered(ids, now - self.lease_ttl):
                retries.setdefault(alert.onboarding_id, []).append(alert)
            # One flush for the batch at the commit (batched statements), not one per
            # onboarding: a savepoint each would cost more than the rest of the recording.
            # A bug in one onboarding's evaluation skips that one; what it had already
            # recorded (its new readings) is kept, which is harmless.
            with uow.session.no_autoflush:
                for item in items:
                    try:
                        self._record_one(repo, item, now, retries.get(item.onboarding_id, []))
                    except Exception:
                        log.exception("numbering check of %s failed", item.onboarding_id)
                        item.report, item.deliveries = None, []
            repo.release(ids, self._holder(), now)
            uow.commit()

    def _record_one(
        self,
        repo: NumberingRepository,
        item: _Claimed,
        now: datetime,
        retries: list[NumberingAlert],
    ) -> None:
        assert item.fetched is not None
        row = repo.session.get(Onboarding, item.onboarding_id)
        if row is None:
            raise LookupError(f"onboarding {item.onboarding_id} is gone")
        self._store_readings(repo, row.id, item.fetched, now)
        view = build_view(repo, row, now, self.interval)
        before = {series: status.level for series, status in repo.statuses(row.id).items()}
        alerts = self._plan_alerts(repo, view, now)
        changed = any(before.get(s) != v.level.value for s, v in view.series.items())
        pending = {alert.id: alert for alert in (*retries, *alerts)}
        item.deliveries = [
            Delivery(a.id, NoticeKind(a.kind), Series(a.series), Level(a.level), view)
            for a in pending.values()
            if a.attempts < MAX_DELIVERY_ATTEMPTS
        ]
        item.report = CheckReport(view, (), item.fetched.failures, changed)

    def _store_readings(
        self, repo: NumberingRepository, onboarding_id: int, fetched: FetchResult, now: datetime
    ) -> None:
        stored = repo.values(onboarding_id)  # one query; the writes below find rows in memory
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
            for v in stored
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
            alert = uow.numbering.alert(alert_id)
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
