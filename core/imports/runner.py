"""``run_import(import_id, deps)``: send what is left of an import, resumable, never twice.

Idempotent: whoever calls it (the click's background task, the resumer after a crash, a job
worker later) first claims the import in the database; a second caller finds it claimed and
returns. Each record is journaled "sent" before its call and created/updated/failed after it;
a record found "sent" (the process died during its call) is looked up by number before it is
sent again. The claim has a lease the runner renews from a heartbeat thread; a runner that
loses it (another took over) stops sending at once.

Calls go out ``concurrency`` at a time, each through the account's request ceiling. A 429
waits out ``Retry-After``; 5xx, timeouts and lost connections are retried with backoff, and a
create among them is looked up first (it may have reached Rackbeat). A 422 is that record's
failure, with Rackbeat's message. A refused token stops the import ("stopped", resumable once
the account is connected again); so does Rackbeat staying away through every retry.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol, TypeVar

from core.errors import UpstreamRejected, UpstreamUnavailable
from core.imports.model import Action, Counts, State, Status
from core.imports.ports import RecordRejected, RecordWriter
from core.imports.repository import IMPORT_LEASE, ImportView, JournalRecord
from core.registers.model import Register
from core.store.uow import UnitOfWorkFactory

log = logging.getLogger(__name__)

_BATCH = 200  # journal rows read at a time
CANCEL_CHECK = 0.5  # seconds between looks at the import's status (a cancel click)
T = TypeVar("T")


class Notifier(Protocol):
    """How an import shows itself (Slack in ``handlers.imports``; core never imports Slack)."""

    def progress(self, view: ImportView, counts: Counts) -> None: ...

    def finished(self, view: ImportView, counts: Counts, status: Status, code: str | None) -> None:
        """The final message (and result file, once); raising leaves the import to be
        finished by the next runner."""
        ...


class Unconnected(Exception):
    """No usable credentials for the onboarding any more (disconnected, or no SECRET_KEY)."""


@dataclass(frozen=True)
class RetryPlan:
    attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 30.0
    # A Retry-After longer than this stops the import (resumable) instead of holding a worker.
    max_retry_after: float = 300.0

    def backoff(self, attempt: int) -> float:
        return min(self.max_delay, self.base_delay * 2.0 ** (attempt - 1))


@dataclass
class RunnerDeps:
    uow: UnitOfWorkFactory
    # The onboarding's account for this import (its requests give up waiting for the ceiling
    # once the event is set); raises ``Unconnected`` when there is none.
    account: Callable[[ImportView, threading.Event], RecordWriter]
    notifier: Notifier
    clock: Callable[[], datetime]
    concurrency: int = 4
    retry: RetryPlan = field(default_factory=RetryPlan)
    progress_seconds: float = 3.0
    lease: timedelta = IMPORT_LEASE


class _Stop(Exception):
    """The whole import stops here (``code`` says why); the record goes back as it was."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass
class _Run:
    view: ImportView
    attempt: int
    deps: RunnerDeps
    account: RecordWriter
    stop: threading.Event = field(default_factory=threading.Event)  # cancel, lost claim
    cancelled: threading.Event = field(default_factory=threading.Event)
    lost: threading.Event = field(default_factory=threading.Event)
    stop_code: str | None = None
    _guard: threading.Lock = field(default_factory=threading.Lock)

    def halt(self, code: str) -> None:
        with self._guard:
            if self.stop_code is None:
                self.stop_code = code
        self.stop.set()


def run_import(import_id: int, deps: RunnerDeps) -> Status | None:
    """Run (or resume) import ``import_id``; its status at the end, or None if it was not
    this caller's to run (finished, or running elsewhere)."""
    with deps.uow() as uow:
        attempt = uow.imports.claim(import_id, deps.clock(), deps.lease)
        uow.commit()
    if attempt is None:
        return None
    view = _get(deps, import_id)
    log.info("import %d: run %d (%s)", import_id, attempt, view.status)
    if view.status is Status.CANCELLING:
        return _finish(deps, view, attempt, Status.CANCELLED, None)
    stop = threading.Event()
    try:
        account = deps.account(view, stop)
    except Unconnected:
        return _finish(deps, view, attempt, Status.STOPPED, "disconnected")
    run = _Run(view, attempt, deps, account, stop=stop)
    heartbeat = threading.Thread(target=_heartbeat, args=(run,), daemon=True)
    heartbeat.start()
    try:
        _reconcile(run)
        _send_all(run)
    finally:
        run.stop.set()
        heartbeat.join(timeout=10)
    if run.lost.is_set():
        log.warning("import %d: another runner took it over; this one stops", import_id)
        return None
    if run.cancelled.is_set():
        return _finish(deps, view, attempt, Status.CANCELLED, None)
    if run.stop_code is not None:
        return _finish(deps, view, attempt, Status.STOPPED, run.stop_code)
    return _finish(deps, view, attempt, Status.DONE, None)


def _get(deps: RunnerDeps, import_id: int) -> ImportView:
    with deps.uow() as uow:
        view = uow.imports.get(import_id)
    assert view is not None
    return view


def _counts(deps: RunnerDeps, import_id: int) -> Counts:
    with deps.uow() as uow:
        return uow.imports.counts(import_id)


def _finish(
    deps: RunnerDeps, view: ImportView, attempt: int, status: Status, code: str | None
) -> Status:
    counts = _counts(deps, view.id)
    deps.notifier.finished(view, counts, status, code)
    with deps.uow() as uow:
        repo = uow.imports
        if repo.finish(view.id, attempt, status, deps.clock(), code):
            note = (
                f"created {counts.created}, updated {counts.updated}, "
                f"unchanged {counts.unchanged + counts.skipped}, failed {counts.failed}, "
                f"left {counts.pending}"
            )
            actor = view.confirmed_by or view.created_by
            repo.audit(view, actor, f"imports.{status}", deps.clock(), note)
        uow.commit()
    log.info("import %d: %s (%s)", view.id, status, code or "-")
    return status


def _heartbeat(run: _Run) -> None:
    """Notice a cancellation (within ``CANCEL_CHECK`` seconds); renew the lease and show
    progress every ``progress_seconds``; stop everything if the claim was lost."""
    deps = run.deps
    renew_every = min(deps.lease.total_seconds() / 4, deps.progress_seconds)
    last_renewal = time.monotonic()
    while not run.stop.wait(min(CANCEL_CHECK, renew_every)):
        due = time.monotonic() - last_renewal >= renew_every
        try:
            with deps.uow() as uow:
                repo = uow.imports
                if due and not repo.renew(run.view.id, run.attempt, deps.clock(), deps.lease):
                    run.lost.set()
                    run.stop.set()
                    return
                status = repo.status(run.view.id)
                counts = repo.counts(run.view.id) if due else None
                uow.commit()
        except Exception:
            # The database may be away for a moment: the lease is long enough to try again.
            log.warning("import %d: could not renew its lease", run.view.id, exc_info=True)
            continue
        if status is Status.CANCELLING:
            run.cancelled.set()
            run.stop.set()
            return
        if counts is None:
            continue
        last_renewal = time.monotonic()
        try:
            deps.notifier.progress(run.view, counts)
        except Exception:
            log.warning("import %d: progress not shown", run.view.id, exc_info=True)


def _mark(run: _Run, record: JournalRecord, state: State, **values: str | None) -> None:
    with run.deps.uow() as uow:
        uow.imports.mark(record.id, state, run.deps.clock(), **values)
        uow.commit()


def _reconcile(run: _Run) -> None:
    """Records "sent" by a runner that died: look each up before anything is sent again."""
    with run.deps.uow() as uow:
        sent = uow.imports.records_in(run.view.id, State.SENT)
    for record in sent:
        if run.stop.is_set():
            return
        try:
            found = _with_retries(run, _lookup(run, record))
        except _Stop as stop:
            run.halt(stop.code)
            return
        if found is not None and record.action is Action.CREATE:
            _mark(run, record, State.CREATED, rackbeat_id=_id(found))
        else:
            _mark(run, record, State.PENDING)  # not there yet, or an update: send it (again)


def _lookup(run: _Run, record: JournalRecord) -> Callable[[], dict[str, object] | None]:
    register = Register(record.register)
    return lambda: run.account.find_record(register, record.number)


def _send_all(run: _Run) -> None:
    pool = ThreadPoolExecutor(max_workers=run.deps.concurrency, thread_name_prefix="import")
    in_flight: set[Future[None]] = set()
    after_seq = 0
    try:
        while not run.stop.is_set():
            with run.deps.uow() as uow:
                batch = uow.imports.records_in(
                    run.view.id, State.PENDING, after_seq=after_seq, limit=_BATCH
                )
            if not batch:
                break
            for record in batch:
                while len(in_flight) >= run.deps.concurrency and not run.stop.is_set():
                    in_flight = _wait_one(in_flight)
                if run.stop.is_set():
                    break
                in_flight.add(pool.submit(_send_one, run, record))
                after_seq = record.seq
    finally:
        wait(in_flight)
        pool.shutdown(wait=True)
        for future in in_flight:
            future.result()


def _wait_one(in_flight: set[Future[None]]) -> set[Future[None]]:
    """Wait for one call to end; the calls still in flight (a bug in one is raised)."""
    done, rest = wait(in_flight, return_when=FIRST_COMPLETED)
    for future in done:
        future.result()
    return set(rest)


def _send_one(run: _Run, record: JournalRecord) -> None:
    if run.stop.is_set():
        return
    _mark(run, record, State.SENT)
    register = Register(record.register)
    uncertain = False

    def call() -> str:
        nonlocal uncertain
        if record.action is Action.UPDATE:
            return run.account.update_record(register, record.number, record.payload)
        if uncertain:
            # The last try timed out or failed on Rackbeat's side: it may have been saved.
            found = run.account.find_record(register, record.number)
            found_id = _id(found) if found is not None else None
            if found_id is not None:
                return found_id
        try:
            return run.account.create_record(register, record.payload)
        except UpstreamUnavailable as error:
            # Turned away before Rackbeat did anything: a 429, or never sent (cancelled).
            uncertain = getattr(error, "code", "") not in ("rate_limited", "stopped")
            raise

    try:
        rackbeat_id = _with_retries(run, call)
    except RecordRejected as rejected:
        _mark(run, record, State.FAILED, message=rejected.reason)
        return
    except _Stop as stop:
        # A refused token or a cancellation: the call did not go through. Rackbeat staying
        # away: it may have; "sent" makes the next runner look first.
        if stop.code != "unavailable" or not uncertain:
            _mark(run, record, State.PENDING)
        run.halt(stop.code)
        return
    state = State.UPDATED if record.action is Action.UPDATE else State.CREATED
    _mark(run, record, state, rackbeat_id=rackbeat_id)


def _with_retries(run: _Run, call: Callable[[], T]) -> T:
    plan = run.deps.retry
    for attempt in range(1, plan.attempts + 1):
        if run.lost.is_set() or run.cancelled.is_set():
            raise _Stop("cancelled")
        try:
            return call()
        except RecordRejected:
            raise
        except UpstreamRejected as refused:
            log.warning("import %d: Rackbeat refused us: %s", run.view.id, refused.reason)
            raise _Stop(getattr(refused, "code", "rejected") or "rejected") from refused
        except UpstreamUnavailable as busy:
            retry_after: float | None = getattr(busy, "retry_after", None)
            if attempt == plan.attempts or (retry_after or 0) > plan.max_retry_after:
                log.warning("import %d: Rackbeat unavailable: %s", run.view.id, busy.reason)
                raise _Stop("unavailable") from busy
            delay = retry_after if retry_after is not None else plan.backoff(attempt)
            if run.stop.wait(delay):
                raise _Stop(run.stop_code or "cancelled") from busy
    raise AssertionError("unreachable")  # pragma: no cover


def _id(record: dict[str, object]) -> str | None:
    value = record.get("id")
    return None if value is None else str(value)
