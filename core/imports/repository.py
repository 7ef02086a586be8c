"""Persistence of imports: the import row (a claim with a lease, like file checks) and the
per-record journal. Only this module issues SQL for the area.

Every write of a runner is guarded by the import's ``attempts`` (its claim token), so a runner
that lost its claim (its lease ran out while it hung, and another took over) notices and stops.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.orm import Session

from core.imports.model import RUNNABLE, Action, Counts, Mode, State, Status
from core.store.imports_models import ImportRecord, ImportRun
from core.store.models import AuditEvent
from core.store.registers_models import ProcessedFile

# How long a claim stays with its runner without a renewal (the runner renews every quarter).
IMPORT_LEASE = timedelta(minutes=1)


@dataclass(frozen=True)
class ImportView:
    id: int
    onboarding_id: int
    team_id: str
    channel_id: str
    thread_ts: str
    file_id: str
    file_name: str
    register: str
    fingerprint: str
    mode: Mode
    status: Status
    created_by: str
    confirmed_by: str | None
    preview_ts: str | None
    progress_ts: str | None
    stop_code: str | None
    attempt: int
    result_uploaded: bool


@dataclass(frozen=True)
class PlannedRecord:
    seq: int
    row: int
    number: str
    action: Action
    payload: dict[str, Any]


@dataclass(frozen=True)
class JournalRecord:
    id: int
    seq: int
    row: int
    register: str
    number: str
    action: Action
    payload: dict[str, Any]
    state: State
    rackbeat_id: str | None
    message: str | None


def _view(row: ImportRun) -> ImportView:
    return ImportView(
        id=row.id,
        onboarding_id=row.onboarding_id,
        team_id=row.team_id,
        channel_id=row.channel_id,
        thread_ts=row.thread_ts,
        file_id=row.file_id,
        file_name=row.file_name,
        register=row.register,
        fingerprint=row.fingerprint,
        mode=Mode(row.mode),
        status=Status(row.status),
        created_by=row.created_by,
        confirmed_by=row.confirmed_by,
        preview_ts=row.preview_ts,
        progress_ts=row.progress_ts,
        stop_code=row.stop_code,
        attempt=row.attempts,
        result_uploaded=row.result_uploaded,
    )


def _journal(row: ImportRecord) -> JournalRecord:
    return JournalRecord(
        id=row.id,
        seq=row.seq,
        row=row.row,
        register=row.register,
        number=row.number,
        action=Action(row.action),
        payload=dict(row.payload),
        state=State(row.state),
        rackbeat_id=row.rackbeat_id,
        message=row.message,
    )


class ImportsRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # --- preview and confirmation ---------------------------------------------------------

    def create_preview(
        self,
        *,
        onboarding_id: int,
        team_id: str,
        channel_id: str,
        thread_ts: str,
        file_id: str,
        file_name: str,
        register: str,
        fingerprint: str,
        created_by: str,
        records: Sequence[PlannedRecord],
        now: datetime,
    ) -> int:
        """Store a preview and its records (all pending); earlier previews of the same thread
        that were never confirmed go stale."""
        self.session.execute(
            update(ImportRun)
            .where(
                ImportRun.team_id == team_id,
                ImportRun.channel_id == channel_id,
                ImportRun.thread_ts == thread_ts,
                ImportRun.status == Status.PREVIEWED,
            )
            .values(status=Status.SUPERSEDED, finished_at=now)
        )
        run = ImportRun(
            onboarding_id=onboarding_id,
            team_id=team_id,
            channel_id=channel_id,
            thread_ts=thread_ts,
            file_id=file_id,
            file_name=file_name[:255],
            register=register,
            fingerprint=fingerprint,
            mode=Mode.CREATE,
            status=Status.PREVIEWED,
            created_by=created_by,
            attempts=0,
            result_uploaded=False,
            created_at=now,
        )
        self.session.add(run)
        self.session.flush()
        if records:
            self.session.execute(
                insert(ImportRecord),
                [
                    {
                        "import_id": run.id,
                        "seq": r.seq,
                        "row": r.row,
                        "register": register,
                        "number": r.number[:64],
                        "action": r.action.value,
                        "payload": r.payload,
                        "state": (
                            State.UNCHANGED if r.action is Action.UNCHANGED else State.PENDING
                        ).value,
                        "updated_at": now,
                    }
                    for r in records
                ],
            )
        return run.id

    def set_preview_ts(self, import_id: int, ts: str) -> None:
        self.session.execute(
            update(ImportRun).where(ImportRun.id == import_id).values(preview_ts=ts)
        )

    def set_progress_ts(self, import_id: int, ts: str) -> None:
        self.session.execute(
            update(ImportRun).where(ImportRun.id == import_id).values(progress_ts=ts)
        )

    def get(self, import_id: int) -> ImportView | None:
        row = self.session.get(ImportRun, import_id)
        return _view(row) if row is not None else None

    def latest_file_in_thread(self, team_id: str, channel_id: str, thread_ts: str) -> str | None:
        """The file shared last in a thread (the upload that opened it, or a later one)."""
        return self.session.scalars(
            select(ProcessedFile.file_id)
            .where(
                ProcessedFile.team_id == team_id,
                ProcessedFile.channel_id == channel_id,
                ProcessedFile.thread_ts == thread_ts,
            )
            .order_by(ProcessedFile.received_at.desc(), ProcessedFile.id.desc())
            .limit(1)
        ).first()

    def shared_file(self, team_id: str, file_id: str) -> tuple[str, str] | None:
        """The name of a shared file and the text it was shared with (register words)."""
        row = self.session.execute(
            select(ProcessedFile.file_name, ProcessedFile.share_text).where(
                ProcessedFile.team_id == team_id, ProcessedFile.file_id == file_id
            )
        ).first()
        if row is None:
            return None
        return (row[0] or file_id), (row[1] or "")

    def active_for_file(self, team_id: str, file_id: str) -> ImportView | None:
        """A confirmed import of this file that is running or was stopped (resumable)."""
        row = self.session.scalars(
            select(ImportRun)
            .where(
                ImportRun.team_id == team_id,
                ImportRun.file_id == file_id,
                ImportRun.status.in_([*RUNNABLE, Status.STOPPED]),
            )
            .limit(1)
        ).first()
        return _view(row) if row is not None else None

    def confirm(self, import_id: int, mode: Mode, user_id: str, now: datetime) -> bool:
        """Previewed → queued with ``mode``; False if it was not waiting (a second click)."""
        done = self.session.execute(
            update(ImportRun)
            .where(ImportRun.id == import_id, ImportRun.status == Status.PREVIEWED)
            .values(
                status=Status.QUEUED,
                mode=mode.value,
                confirmed_by=user_id,
                lease_until=now + IMPORT_LEASE,
                started_at=now,
            )
        )
        if _rowcount(done) != 1:
            return False
        if mode is Mode.CREATE:
            # Create only: existing records with changes are left untouched.
            self.session.execute(
                update(ImportRecord)
                .where(ImportRecord.import_id == import_id, ImportRecord.action == Action.UPDATE)
                .values(state=State.SKIPPED, updated_at=now)
            )
        return True

    def supersede(self, import_id: int, now: datetime) -> None:
        self.session.execute(
            update(ImportRun)
            .where(ImportRun.id == import_id, ImportRun.status == Status.PREVIEWED)
            .values(status=Status.SUPERSEDED, finished_at=now)
        )

    # --- claims -----------------------------------------------------------------------------

    def claim(self, import_id: int, now: datetime, lease: timedelta = IMPORT_LEASE) -> int | None:
        """Take the import to run it; its new claim token, or None if it is not runnable
        (finished, or another runner's lease is still good)."""
        row = self.session.get(ImportRun, import_id)
        if row is None or row.status not in RUNNABLE:
            return None
        expired = row.lease_until is None or row.lease_until < now
        if row.status != Status.QUEUED and not expired:
            return None
        status = Status.CANCELLING if row.status == Status.CANCELLING else Status.RUNNING
        done = self.session.execute(
            update(ImportRun)
            .where(ImportRun.id == import_id, ImportRun.attempts == row.attempts)
            .values(status=status, attempts=row.attempts + 1, lease_until=now + lease)
            .execution_options(synchronize_session=False)
        )
        return row.attempts + 1 if _rowcount(done) == 1 else None

    def renew(
        self, import_id: int, attempt: int, now: datetime, lease: timedelta = IMPORT_LEASE
    ) -> bool:
        done = self.session.execute(
            update(ImportRun)
            .where(ImportRun.id == import_id, ImportRun.attempts == attempt)
            .values(lease_until=now + lease)
        )
        return _rowcount(done) == 1

    def stale(self, now: datetime, limit: int = 20) -> list[int]:
        """Imports a runner should take over: confirmed or running, lease run out."""
        return list(
            self.session.scalars(
                select(ImportRun.id)
                .where(
                    ImportRun.status.in_(list(RUNNABLE)),
                    or_(ImportRun.lease_until.is_(None), ImportRun.lease_until < now),
                )
                .order_by(ImportRun.id)
                .limit(limit)
            )
        )

    def finish(
        self,
        import_id: int,
        attempt: int,
        status: Status,
        now: datetime,
        stop_code: str | None = None,
    ) -> bool:
        done = self.session.execute(
            update(ImportRun)
            .where(ImportRun.id == import_id, ImportRun.attempts == attempt)
            .values(status=status, stop_code=stop_code, finished_at=now, lease_until=None)
        )
        return _rowcount(done) == 1

    def mark_result_uploaded(self, import_id: int) -> None:
        self.session.execute(
            update(ImportRun).where(ImportRun.id == import_id).values(result_uploaded=True)
        )

    # --- people's requests after the start ----------------------------------------------------

    def request_cancel(self, import_id: int) -> bool:
        done = self.session.execute(
            update(ImportRun)
            .where(
                ImportRun.id == import_id,
                ImportRun.status.in_([Status.QUEUED, Status.RUNNING]),
            )
            .values(status=Status.CANCELLING)
        )
        return _rowcount(done) == 1

    def requeue(self, import_id: int, user_id: str, now: datetime, *, failed: bool) -> bool:
        """Run a finished or stopped import again: what is left (a stopped one), and with
        ``failed`` the failed records too. False if it is not finished or stopped."""
        done = self.session.execute(
            update(ImportRun)
            .where(
                ImportRun.id == import_id,
                ImportRun.status.in_([Status.DONE, Status.STOPPED]),
            )
            .values(
                status=Status.QUEUED,
                stop_code=None,
                confirmed_by=user_id,
                lease_until=now + IMPORT_LEASE,
                finished_at=None,
                result_uploaded=False,
            )
        )
        if _rowcount(done) != 1:
            return False
        if failed:
            self.session.execute(
                update(ImportRecord)
                .where(ImportRecord.import_id == import_id, ImportRecord.state == State.FAILED)
                .values(state=State.PENDING, message=None, updated_at=now)
            )
        return True

    def status(self, import_id: int) -> Status | None:
        value = self.session.scalar(select(ImportRun.status).where(ImportRun.id == import_id))
        return Status(value) if value is not None else None

    # --- the journal --------------------------------------------------------------------------

    def records_in(
        self, import_id: int, state: State, *, after_seq: int = 0, limit: int | None = None
    ) -> list[JournalRecord]:
        """Records of ``import_id`` in ``state``, in the file's order, after ``after_seq``."""
        query = (
            select(ImportRecord)
            .where(
                ImportRecord.import_id == import_id,
                ImportRecord.state == state,
                ImportRecord.seq > after_seq,
            )
            .order_by(ImportRecord.seq)
        )
        if limit is not None:
            query = query.limit(limit)
        return [_journal(row) for row in self.session.scalars(query)]

    def all_records(self, import_id: int) -> list[JournalRecord]:
        query = (
            select(ImportRecord)
            .where(ImportRecord.import_id == import_id)
            .order_by(ImportRecord.seq)
        )
        return [_journal(row) for row in self.session.scalars(query)]

    def mark(
        self,
        record_id: int,
        state: State,
        now: datetime,
        *,
        rackbeat_id: str | None = None,
        message: str | None = None,
    ) -> None:
        self.session.execute(
            update(ImportRecord)
            .where(ImportRecord.id == record_id)
            .values(state=state, rackbeat_id=rackbeat_id, message=message, updated_at=now)
        )

    def counts(self, import_id: int) -> Counts:
        rows = self.session.execute(
            select(ImportRecord.state, func.count())
            .where(ImportRecord.import_id == import_id)
            .group_by(ImportRecord.state)
        )
        return Counts.of({str(state): int(n) for state, n in rows})

    # --- the onboarding's history ---------------------------------------------------------------

    def audit(
        self, view: ImportView, actor: str, action: str, now: datetime, note: str | None = None
    ) -> None:
        """A row in the onboarding's audit trail (``history``)."""
        self.session.add(
            AuditEvent(
                onboarding_id=view.onboarding_id,
                team_id=view.team_id,
                channel_id=view.channel_id,
                actor=actor,
                at=now,
                action=action,
                subject=view.register,
                new_value=f"{view.file_name[:200]} ({note})" if note else view.file_name[:200],
                note=note,
                outcome="applied",
            )
        )


def _rowcount(result: Any) -> int:
    count: int = result.rowcount
    return count
