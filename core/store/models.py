"""Tables of the onboarding area, shared by every area as tenancy and audit: workspaces,
onboardings and their steps, members, the audit trail, channel languages.

Every other area keeps its tables in a module of its own beside this one
(``<area>_models.py``) and adds them by migration.
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
    # What the person wrote with the change (a note, a reason).
    note: Mapped[str | None] = mapped_column(Text)
    # A refused attempt's refusal as data: its catalogue code and the params of its words
    # (JSON), said in the reader's language whenever the history is read (0018_i14).
    refusal_code: Mapped[str | None] = mapped_column(Text)
    refusal_params: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Rows refused before 0018 kept the refusal's words instead: the note and the reason
    # joined, and the same in every language (code → text, 0017_i17). Read, never written.
    note_translations: Mapped[dict[str, str] | None] = mapped_column(JSON)
    outcome: Mapped[str] = mapped_column(String(16), default="applied")


class ChannelLanguage(Base):
    """The language a channel chose before it had an onboarding (`language fi` before
    `start`): answers use it at once, and `start` gives it to the new onboarding (0006_i15)."""

    __tablename__ = "channel_languages"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    language: Mapped[str] = mapped_column(String(2))
    set_by: Mapped[str] = mapped_column(String(32))
    set_at: Mapped[datetime]
