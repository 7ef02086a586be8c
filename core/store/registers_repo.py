"""Persistence of CSV intake: claiming a shared file once, results, known registers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.registers.known import KnownRegisters, Snapshot
from core.registers.model import FileResult
from core.store.models import ProcessedFile, ValidationResult
from core.store.registers_models import KnownRegister


class RegistersRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def claim_file(
        self, team_id: str, file_id: str, channel_id: str, file_name: str | None, now: datetime
    ) -> int | None:
        """Record that this file is being processed; None if it already was (a retried event).

        The unique key on (team_id, file_id) is the guard, so two processes racing on one
        event cannot both win.
        """
        record = ProcessedFile(
            team_id=team_id,
            file_id=file_id,
            channel_id=channel_id,
            file_name=(file_name or "")[:255] or None,
            status="received",
            received_at=now,
        )
        try:
            with self.session.begin_nested():
                self.session.add(record)
        except IntegrityError:
            return None
        return record.id

    def set_reply(self, processed_id: int, reply_ts: str) -> None:
        record = self.session.get(ProcessedFile, processed_id)
        if record is not None:
            record.reply_ts = reply_ts

    def finish(self, processed_id: int, status: str, now: datetime) -> None:
        record = self.session.get(ProcessedFile, processed_id)
        if record is not None:
            record.status, record.finished_at = status, now

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
