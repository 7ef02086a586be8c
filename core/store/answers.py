"""The answers a request has already been given (the job workers' journal).

A job runs again when its worker died before the queue heard it finish; everything the first
run said is already in Slack. Each answer is recorded right after Slack took it, under the
request's identity and a fingerprint of where it went and what it said, so the second run
skips it (``bot.answer_journal``). Rows are kept for a day: re-runs come within minutes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String, UniqueConstraint, delete, select
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

    def record(
        self, request_key: str, fingerprint: str, response: dict[str, Any], now: datetime
    ) -> None:
        dialect = self.session.get_bind().dialect.name
        insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        self.session.execute(
            insert(SentAnswer)
            .values(
                request_key=request_key[:200],
                fingerprint=fingerprint,
                response=response,
                sent_at=now,
            )
            .on_conflict_do_nothing(index_elements=["request_key", "fingerprint"])
        )

    def forget_before(self, cutoff: datetime) -> None:
        self.session.execute(delete(SentAnswer).where(SentAnswer.sent_at < cutoff))
