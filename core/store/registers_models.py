"""Tables of CSV intake: the files received (idempotency and claims), the outcome of each check,
and the registers an onboarding knows (for cross-file checks).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.store.base import Base


class KnownRegister(Base):
    """The keys and flags of the latest error-free file of one register in one onboarding."""

    __tablename__ = "known_registers"
    __table_args__ = (
        UniqueConstraint("onboarding_id", "register", name="uq_known_registers_register"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    onboarding_id: Mapped[int] = mapped_column(ForeignKey("onboardings.id", ondelete="CASCADE"))
    register: Mapped[str] = mapped_column(String(16))
    file_name: Mapped[str] = mapped_column(String(255))
    rows: Mapped[int]
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime]


class ProcessedFile(Base):
    """Idempotency record of a shared file: the unique key stops a retried event.

    While ``status`` is "received" the file is being checked; a claim found "received" again
    belongs to an attempt that stopped and is taken over (``core.registers.repository``).
    ``lease_until`` (migration 0005) is no longer written: the job queue replaced the leases.
    """

    __tablename__ = "processed_files"
    __table_args__ = (
        UniqueConstraint("team_id", "file_id", name="uq_processed_files_file"),
        Index("ix_processed_files_status_lease", "status", "lease_until"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    file_id: Mapped[str] = mapped_column(String(32))
    channel_id: Mapped[str] = mapped_column(String(32))
    file_name: Mapped[str | None] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(16), default="received")
    reply_ts: Mapped[str | None] = mapped_column(String(32))
    received_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    # Where to answer when the check is resumed by another process (0005).
    thread_ts: Mapped[str | None] = mapped_column(String(32))
    user_id: Mapped[str | None] = mapped_column(String(32))
    share_text: Mapped[str | None] = mapped_column(Text)
    # The claim's token: every (re-)claim bumps it, so a worker that lost its claim notices.
    attempts: Mapped[int] = mapped_column(default=1, server_default="1")
    lease_until: Mapped[datetime | None]
    # Output files already uploaded into the thread (comma-separated kinds).
    uploaded: Mapped[str] = mapped_column(String(255), default="", server_default="")


class ValidationResult(Base):
    """The outcome of checking one file, as `validate --json` reports it."""

    __tablename__ = "validation_results"

    id: Mapped[int] = mapped_column(primary_key=True)
    processed_file_id: Mapped[int | None] = mapped_column(
        ForeignKey("processed_files.id", ondelete="CASCADE"), index=True
    )
    onboarding_id: Mapped[int | None] = mapped_column(
        ForeignKey("onboardings.id", ondelete="CASCADE"), index=True
    )
    team_id: Mapped[str] = mapped_column(String(32))
    channel_id: Mapped[str] = mapped_column(String(32))
    file_name: Mapped[str] = mapped_column(String(255))
    register: Mapped[str | None] = mapped_column(String(16))
    valid: Mapped[bool]
    rows: Mapped[int] = mapped_column(default=0)
    error_count: Mapped[int] = mapped_column(default=0)
    warning_count: Mapped[int] = mapped_column(default=0)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime]
