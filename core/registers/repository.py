"""Persistence of CSV intake: claiming a shared file once, results, known registers.

A claim is a ``processed_files`` row in status "received". The unique key on (team, file) is
the guard: a second event for a file already answered finds it taken and does nothing. A claim
still "received" when its file comes round again belongs to an attempt that stopped (its
worker died, or Slack or the database went away mid-way): it is taken over (``attempts`` + 1)
and the check runs again from where it can (the reply ``ts`` and the uploads are recorded).
Only one attempt runs at a time without any lease: on PostgreSQL an attempt holds the file's
advisory lock (``hold``), which goes with its connection when its process dies, and the job
queue re-runs a request only after its worker's heartbeat stopped; on SQLite (one process)
the only resumer runs at start (``bot.recovery``). Every write an attempt makes is still
guarded by its ``attempts`` token, so an attempt that was taken for dead and comes back (a
paused VM) finds out and stops instead of answering a second time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.registers.known import KnownRegisters, Snapshot
from core.registers.model import FileResult
from core.store.registers_models import KnownRegister, ProcessedFile, ValidationResult

RECEIVED = "received"
# Longest message text kept to resume a check (only register words are read from it).
_SHARE_TEXT_KEPT = 2000


@dataclass(frozen=True)
class Claim:
    """A shared file this worker is checking; ``attempt`` is the claim's token."""

    id: int
    attempt: int
    team_id: str
    channel_id: str
    file_id: str
    file_name: str | None
    thread_ts: str | None
    user_id: str | None
    share_text: str
    reply_ts: str | None
    uploaded: frozenset[str]

    @property
    def resumed(self) -> bool:
        """A previous worker started on this file and did not finish."""
        return self.attempt > 1


@dataclass(frozen=True)
class Checked:
    """An earlier checked file, enough to fetch it again and answer in its thread."""

    processed_id: int
    file_id: str
    file_name: str
    thread_ts: str | None
    reply_ts: str | None
    was_valid: bool


def _claim(record: ProcessedFile) -> Claim:
    return Claim(
        id=record.id,
        attempt=record.attempts,
        team_id=record.team_id,
        channel_id=record.channel_id,
        file_id=record.file_id,
        file_name=record.file_name,
        thread_ts=record.thread_ts,
        user_id=record.user_id,
        share_text=record.share_text or "",
        reply_ts=record.reply_ts,
        uploaded=frozenset(kind for kind in record.uploaded.split(",") if kind),
    )


class RegistersRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def claim_file(
        self,
        team_id: str,
        file_id: str,
        channel_id: str,
        file_name: str | None,
        now: datetime,
        *,
        thread_ts: str | None = None,
        user_id: str | None = None,
        text: str | None = None,
    ) -> Claim | None:
        """Claim this file for checking; None if it is done.

        The unique key on (team_id, file_id) is the guard, so two processes racing on one
        event cannot both win. A claim still "received" is taken over (``reclaim``).
        """
        record = ProcessedFile(
            team_id=team_id,
            file_id=file_id,
            channel_id=channel_id,
            file_name=(file_name or "")[:255] or None,
            status=RECEIVED,
            received_at=now,
            thread_ts=thread_ts,
            user_id=user_id,
            share_text=(text or "")[:_SHARE_TEXT_KEPT],
            attempts=1,
            uploaded="",
        )
        try:
            with self.session.begin_nested():
                self.session.add(record)
        except IntegrityError:
            return self.reclaim(team_id, file_id)
        return _claim(record)

    def reclaim(self, team_id: str, file_id: str) -> Claim | None:
        """Take over a claim whose attempt stopped; None if the file is answered.

        One UPDATE that bumps the token: an older attempt's guarded writes fail from here on.
        """
        taken = self.session.execute(
            update(ProcessedFile)
            .where(
                ProcessedFile.team_id == team_id,
                ProcessedFile.file_id == file_id,
                ProcessedFile.status == RECEIVED,
            )
            .values(attempts=ProcessedFile.attempts + 1)
            .execution_options(synchronize_session=False)
        )
        if _rowcount(taken) != 1:
            return None
        record = self.session.scalars(
            select(ProcessedFile)
            .where(ProcessedFile.team_id == team_id, ProcessedFile.file_id == file_id)
            .execution_options(populate_existing=True)
        ).one()
        return _claim(record)

    def hold(self, team_id: str, file_id: str) -> bool:
        """On PostgreSQL: take the file's session advisory lock for as long as this session's
        connection is kept (``release`` gives it back); False while a live attempt elsewhere
        holds it. A dead process's lock goes with its connection: a re-run gets it. SQLite
        (one process) needs none: True."""
        if self.session.get_bind().dialect.name != "postgresql":
            return True
        taken = self.session.scalar(
            # Advisory locks are per database, the rows per schema: the schema is in the key,
            # so deployments (or parallel test runs) sharing one database never block each other.
            text("SELECT pg_try_advisory_lock(hashtextextended(current_schema() || :key, 0))"),
            {"key": f"file:{team_id}:{file_id}"},
        )
        return bool(taken)

    def release(self, team_id: str, file_id: str) -> None:
        if self.session.get_bind().dialect.name == "postgresql":
            self.session.execute(
                text("SELECT pg_advisory_unlock(hashtextextended(current_schema() || :key, 0))"),
                {"key": f"file:{team_id}:{file_id}"},
            )

    def unfinished_claims(self, limit: int = 100) -> list[tuple[str, str]]:
        """(team_id, file_id) of claims still "received" that can be answered, oldest first
        (on SQLite at start, every one of them belongs to the previous process)."""
        rows = self.session.execute(
            select(ProcessedFile.team_id, ProcessedFile.file_id)
            .where(ProcessedFile.status == RECEIVED, ProcessedFile.thread_ts.is_not(None))
            .order_by(ProcessedFile.received_at, ProcessedFile.id)
            .limit(limit)
        )
        return [(team_id, file_id) for team_id, file_id in rows]

    def _guarded(self, claim: Claim, **values: Any) -> bool:
        """Write ``values`` if ``claim`` is still this worker's; False if it was taken over."""
        written = self.session.execute(
            update(ProcessedFile)
            .where(
                ProcessedFile.id == claim.id,
                ProcessedFile.attempts == claim.attempt,
                ProcessedFile.status == RECEIVED,
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        return _rowcount(written) == 1

    def still_mine(self, claim: Claim) -> bool:
        """False if another attempt has taken the claim over."""
        return self._guarded(claim, attempts=claim.attempt)

    def set_reply(self, claim: Claim, reply_ts: str) -> bool:
        return self._guarded(claim, reply_ts=reply_ts)

    def mark_uploaded(self, claim: Claim, uploaded: frozenset[str]) -> bool:
        """Remember which output files are in the thread (a resumed check skips them)."""
        return self._guarded(claim, uploaded=",".join(sorted(uploaded)))

    def finish(self, claim: Claim, status: str, now: datetime) -> bool:
        """Close the claim with its outcome; False if another worker has it now."""
        return self._guarded(claim, status=status, finished_at=now)

    def save_result(
        self,
        processed_id: int,
        onboarding_id: int | None,
        team_id: str,
        channel_id: str,
        result: FileResult,
        now: datetime,
    ) -> None:
        summary: dict[str, Any] = result.to_json()
        # A resumed check replaces what an earlier attempt stored, never adds a second row.
        self.session.execute(
            delete(ValidationResult).where(ValidationResult.processed_file_id == processed_id)
        )
        self.session.add(
            ValidationResult(
                processed_file_id=processed_id,
                onboarding_id=onboarding_id,
                team_id=team_id,
                channel_id=channel_id,
                file_name=result.file[:255],
                register=result.register.value if result.register else None,
                valid=result.valid,
                rows=result.rows,
                error_count=result.error_count,
                warning_count=result.warning_count,
                summary=summary,
                created_at=now,
            )
        )

    def judged_before(
        self, onboarding_id: int, register: str, basis: str, current: int, limit: int = 5
    ) -> list[Checked]:
        """Files of ``register`` checked before the ``basis`` file ``current`` (a processed
        file id) but after the previous error-free ``basis`` file: their verdicts were made
        against a ``basis`` register that has changed since. Newest first, at most ``limit``.
        """
        mine = select(func.max(ValidationResult.id)).where(
            ValidationResult.processed_file_id == current
        )
        previous = select(func.coalesce(func.max(ValidationResult.id), 0)).where(
            ValidationResult.onboarding_id == onboarding_id,
            ValidationResult.register == basis,
            ValidationResult.valid.is_(True),
            ValidationResult.id < mine.scalar_subquery(),
        )
        query = (
            select(ValidationResult, ProcessedFile)
            .join(ProcessedFile, ProcessedFile.id == ValidationResult.processed_file_id)
            .where(
                ValidationResult.onboarding_id == onboarding_id,
                ValidationResult.register == register,
                ValidationResult.id > previous.scalar_subquery(),
                ValidationResult.id < mine.scalar_subquery(),
            )
            .order_by(ValidationResult.id.desc())
            .limit(limit)
        )
        return [
            Checked(
                processed_id=record.id,
                file_id=record.file_id,
                file_name=record.file_name or result.file_name,
                thread_ts=record.thread_ts,
                reply_ts=record.reply_ts,
                was_valid=result.valid,
            )
            for result, record in self.session.execute(query).tuples()
        ]

    def known(self, onboarding_id: int) -> KnownRegisters:
        rows = self.session.scalars(
            select(KnownRegister).where(KnownRegister.onboarding_id == onboarding_id)
        )
        known = KnownRegisters()
        for row in rows:
            known = known.with_snapshot(Snapshot.from_json(row.snapshot))
        return known

    def remember(
        self, onboarding_id: int, snapshot: Snapshot, file_name: str, rows: int, now: datetime
    ) -> None:
        """Keep ``snapshot`` as the onboarding's latest error-free file of its register.

        One statement (insert, or update on the unique key) so that two files of the same
        register finishing at once, in one process or two, cannot both insert.
        """
        values = {
            "onboarding_id": onboarding_id,
            "register": snapshot.register.value,
            "snapshot": snapshot.to_json(),
            "file_name": file_name[:255],
            "rows": rows,
            "updated_at": now,
        }
        dialect = self.session.get_bind().dialect.name
        insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        statement = insert(KnownRegister).values(**values)
        self.session.execute(
            statement.on_conflict_do_update(
                index_elements=["onboarding_id", "register"],
                set_={key: statement.excluded[key] for key in values if key != "register"},
            )
        )


def _rowcount(result: Any) -> int:
    """Rows an UPDATE matched (``Session.execute`` is typed as returning plain ``Result``)."""
    count: int = result.rowcount
    return count
