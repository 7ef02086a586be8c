"""The answers a request has already been given (the job workers' journal).

A job runs again when its worker died before the queue heard it finish; everything the first
run said is already in Slack. Each answer is reserved (inserted, not committed) under the
request's identity and a fingerprint of where it went and what it said before it is sent, and
committed right after Slack took it, so the second run skips it (``bot.answer_journal``); a
second run arriving meanwhile waits on the row. Rows are kept for a day: re-runs come within
minutes.

Infrastructure, not an area: the journal belongs to the job queue's delivery of Slack answers
and knows nothing of onboardings, so its table and repository stay here in ``core/store``
(areas keep theirs in ``core/<area>/repository.py``); the unit of work hands it out as
``uow.answers``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String, UniqueConstraint, delete, select, text, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.store.base import Base


class SentAnswer(Base):
    __tablename__ = "sent_answers"
    __table_args__ = (
        UniqueConstraint("request_key", "fingerprint", name="uq_sent_answers_answer"),
        Index("ix_sent_answers_sent_at", "sent_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_key: Mapped[str] = mapped_column(String(200))
    fingerprint: Mapped[str] = mapped_column(String(64))
    response: Mapped[dict[str, Any]] = mapped_column(JSON)
    sent_at: Mapped[datetime]


class AnswersRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def find(self, request_key: str, fingerprint: str) -> dict[str, Any] | None:
        """What Slack answered when this answer was given, or ``None`` if it never was."""
        found = self.session.scalar(
            select(SentAnswer.response).where(
                SentAnswer.request_key == request_key[:200],
                SentAnswer.fingerprint == fingerprint,
            )
        )
        return dict(found) if found is not None else None

    def reserve(
        self, request_key: str, fingerprint: str, response: dict[str, Any], now: datetime
    ) -> bool:
        """Insert the answer's row (commit it once the answer is given); False if it was
        given meanwhile. A concurrent reservation of the same answer waits for this one."""
        dialect = self.session.get_bind().dialect.name
        if dialect == "postgresql":
            # The commit after the answer is the end of the window in which a dead worker
            # would answer twice: it must not wait for the disk, only reach the server (a
            # crash of the server itself is the one case this gives up).
            self.session.execute(text("SET LOCAL synchronous_commit = off"))
        insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        inserted = self.session.execute(
            insert(SentAnswer)
            .values(
                request_key=request_key[:200],
                fingerprint=fingerprint,
                response=response,
                sent_at=now,
            )
            .on_conflict_do_nothing(index_elements=["request_key", "fingerprint"])
            .returning(SentAnswer.id)
        )
        return inserted.scalar_one_or_none() is not None

    @property
    def holds_locks(self) -> bool:
        """PostgreSQL; SQLite has one writer at a time instead."""
        return self.session.get_bind().dialect.name == "postgresql"

    def hold(self, request_key: str, fingerprint: str) -> None:
        """Keep a second run of the same answer out until this transaction ends (PostgreSQL:
        an advisory lock, released with the dead worker's connection)."""
        if self.holds_locks:
            self.session.execute(
                # Per schema, as the rows it guards (see RegistersRepository.hold).
                text(
                    "SELECT pg_advisory_xact_lock(hashtextextended(current_schema() || :answer, 0))"
                ),
                {"answer": f"{request_key[:200]}/{fingerprint}"},
            )

    def put(
        self, request_key: str, fingerprint: str, response: dict[str, Any], now: datetime
    ) -> None:
        """Record the answer (or the progress of one being given), replacing what was there."""
        dialect = self.session.get_bind().dialect.name
        insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        statement = insert(SentAnswer).values(
            request_key=request_key[:200], fingerprint=fingerprint, response=response, sent_at=now
        )
        self.session.execute(
            statement.on_conflict_do_update(
                index_elements=["request_key", "fingerprint"],
                set_={"response": statement.excluded.response},
            )
        )

    def set_response(self, request_key: str, fingerprint: str, response: dict[str, Any]) -> None:
        self.session.execute(
            update(SentAnswer)
            .where(
                SentAnswer.request_key == request_key[:200],
                SentAnswer.fingerprint == fingerprint,
            )
            .values(response=response)
        )

    def forget_before(self, cutoff: datetime) -> None:
        self.session.execute(delete(SentAnswer).where(SentAnswer.sent_at < cutoff))
