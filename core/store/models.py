"""Tables of the foundation: workspaces, onboardings and their steps, members, audit, file intake.

Areas that come later (numbering, register snapshots) keep their tables in modules of their
own beside this one and add them by migration.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.store.base import Base


class Workspace(Base):
    """A Slack team the bot has seen."""

    __tablename__ = "workspaces"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime]
    # Set when the app is uninstalled (OAuth mode): its onboardings stay, and a reinstall
    # clears it (core/store/installations_repo.py).
    uninstalled_at: Mapped[datetime | None]


class Onboarding(Base):
    """One company's onboarding; it belongs to exactly one channel of one team."""

    __tablename__ = "onboardings"
    __table_args__ = (UniqueConstraint("team_id", "channel_id", name="uq_onboardings_channel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id"), index=True)
    channel_id: Mapped[str] = mapped_column(String(32))
    company_name: Mapped[str] = mapped_column(String(255))
    state: Mapped[str] = mapped_column(String(16), default="active")
    language: Mapped[str] = mapped_column(String(2), default="en")
    valuation_method: Mapped[str | None] = mapped_column(String(16))
    checklist_ts: Mapped[str | None] = mapped_column(String(32))
    owner_id: Mapped[str] = mapped_column(String(32))
    live_announced_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    # Optimistic lock: a concurrent writer that read an older version gets StaleDataError.
    version: Mapped[int] = mapped_column(default=1)

    steps: Mapped[list[StepState]] = relationship(
        back_populates="onboarding", cascade="all, delete-orphan", order_by="StepState.position"
    )
    members: Mapped[list[Member]] = relationship(
        back_populates="onboarding", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's own API


class StepState(Base):
    """The state of one step of one onboarding."""

    __tablename__ = "step_states"

    onboarding_id: Mapped[int] = mapped_column(
        ForeignKey("onboardings.id", ondelete="CASCADE"), primary_key=True
    )
    step: Mapped[str] = mapped_column(String(32), primary_key=True)
    position: Mapped[int]
    state: Mapped[str] = mapped_column(String(16), default="todo")
    changed_by: Mapped[str | None] = mapped_column(String(32))
    changed_at: Mapped[datetime | None]
    note: Mapped[str | None] = mapped_column(Text)

    onboarding: Mapped[Onboarding] = relationship(back_populates="steps")


class Member(Base):
    """Who may change an onboarding besides workspace admins."""

    __tablename__ = "members"

    onboarding_id: Mapped[int] = mapped_column(
        ForeignKey("onboardings.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    role: Mapped[str] = mapped_column(String(16), default="member")
    added_by: Mapped[str] = mapped_column(String(32))
    added_at: Mapped[datetime]

    onboarding: Mapped[Onboarding] = relationship(back_populates="members")


class AuditEvent(Base):
    """One change, or one refused attempt at a change."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_onboarding_at", "onboarding_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    onboarding_id: Mapped[int | None] = mapped_column(
        ForeignKey("onboardings.id", ondelete="CASCADE")
    )
    team_id: Mapped[str] = mapped_column(String(32))
    channel_id: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime]
    action: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str | None] = mapped_column(String(64))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    # A refusal's note in every language (code → text), so the history shows it in the
    # language chosen later (migration 0017_i17).
    note_translations: Mapped[dict[str, str] | None] = mapped_column(JSON)
    outcome: Mapped[str] = mapped_column(String(16), default="applied")


class ProcessedFile(Base):
    """Idempotency record of a shared file: the unique key stops a retried event.

    While ``status`` is "received" the file is being checked; a claim found "received" again
    belongs to an attempt that stopped and is taken over (``core.store.registers_repo``).
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


class ChannelLanguage(Base):
    """The language a channel chose before it had an onboarding (`language fi` before
    `start`): answers use it at once, and `start` gives it to the new onboarding (0006_i15)."""

    __tablename__ = "channel_languages"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    language: Mapped[str] = mapped_column(String(2))
    set_by: Mapped[str] = mapped_column(String(32))
    set_at: Mapped[datetime]
