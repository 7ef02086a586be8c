"""Tables of the numbering watch.

Numbers are stored as text (digits): Netvisor's can be longer than any integer column.
"Exactly once" is the database's job: a check is claimed through ``numbering_leases`` and every
alert message has a unique ``key`` in ``numbering_alerts``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.store.base import Base

_ONBOARDING = "onboardings.id"


class NumberingSettings(Base):
    """Strategy per series and alert thresholds of one onboarding."""

    __tablename__ = "numbering_settings"

    onboarding_id: Mapped[int] = mapped_column(
        ForeignKey(_ONBOARDING, ondelete="CASCADE"), primary_key=True
    )
    order_strategy: Mapped[str] = mapped_column(String(16))
    invoice_strategy: Mapped[str] = mapped_column(String(16))
    warning_days: Mapped[int]
    warning_numbers: Mapped[int]
    critical_days: Mapped[int]
    critical_numbers: Mapped[int]
    updated_at: Mapped[datetime]


class NumberingValue(Base):
    """The latest value of one input of one series from one source (manual or an API)."""

    __tablename__ = "numbering_values"

    onboarding_id: Mapped[int] = mapped_column(
        ForeignKey(_ONBOARDING, ondelete="CASCADE"), primary_key=True
    )
    series: Mapped[str] = mapped_column(String(16), primary_key=True)
    field: Mapped[str] = mapped_column(String(32), primary_key=True)
    source: Mapped[str] = mapped_column(String(16), primary_key=True)
    value: Mapped[str] = mapped_column(String(40))
    observed_at: Mapped[datetime]
    set_by: Mapped[str | None] = mapped_column(String(32))
    cursor: Mapped[str | None] = mapped_column(String(40))
    """Netvisor: the NetvisorKey incremental reads continue from."""


class NumberingObservation(Base):
    """History of an input, for the consumption rate (one row per change, at least daily)."""

    __tablename__ = "numbering_observations"
    __table_args__ = (
        Index("ix_numbering_observations_lookup", "onboarding_id", "series", "field", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    onboarding_id: Mapped[int] = mapped_column(ForeignKey(_ONBOARDING, ondelete="CASCADE"))
    series: Mapped[str] = mapped_column(String(16))
    field: Mapped[str] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime]
    value: Mapped[str] = mapped_column(String(40))


class NumberingCredentials(Base):
    """Encrypted API credentials of one source, and how that source has been answering."""

    __tablename__ = "numbering_credentials"

    onboarding_id: Mapped[int] = mapped_column(
        ForeignKey(_ONBOARDING, ondelete="CASCADE"), primary_key=True
    )
    source: Mapped[str] = mapped_column(String(16), primary_key=True)
    sealed: Mapped[str] = mapped_column(Text)
    company: Mapped[str] = mapped_column(String(255))
    connected_by: Mapped[str] = mapped_column(String(32))
    connected_at: Mapped[datetime]
    consecutive_failures: Mapped[int] = mapped_column(default=0)
    failing_since: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(64))
    last_success_at: Mapped[datetime | None]


class NumberingLease(Base):
    """Who may check an onboarding now, and when it is due next.

    A process claims a check by setting ``holder`` and ``expires_at`` in one conditional
    update; a crashed holder's claim simply expires.
    """

    __tablename__ = "numbering_leases"
    __table_args__ = (Index("ix_numbering_leases_due", "due_at"),)

    onboarding_id: Mapped[int] = mapped_column(
        ForeignKey(_ONBOARDING, ondelete="CASCADE"), primary_key=True
    )
    due_at: Mapped[datetime]
    holder: Mapped[str | None] = mapped_column(String(64))
    expires_at: Mapped[datetime | None]
    last_started_at: Mapped[datetime | None]
    last_finished_at: Mapped[datetime | None]


class NumberingStatus(Base):
    """The latest evaluation of one series and the alert state that goes with it."""

    __tablename__ = "numbering_status"

    onboarding_id: Mapped[int] = mapped_column(
        ForeignKey(_ONBOARDING, ondelete="CASCADE"), primary_key=True
    )
    series: Mapped[str] = mapped_column(String(16), primary_key=True)
    level: Mapped[str] = mapped_column(String(16))
    headroom: Mapped[str | None] = mapped_column(String(41))
    rate: Mapped[float | None]
    days_left: Mapped[float | None]
    runs_out_at: Mapped[datetime | None]
    notes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    checked_at: Mapped[datetime]
    # alert state
    alert_level: Mapped[str] = mapped_column(String(16), default="ok")
    episode: Mapped[int] = mapped_column(default=1)
    alerted_levels: Mapped[str] = mapped_column(String(64), default="")
    alerted_at: Mapped[datetime | None]
    acknowledged_level: Mapped[str | None] = mapped_column(String(16))
    acknowledged_by: Mapped[str | None] = mapped_column(String(32))
    snoozed_until: Mapped[datetime | None]
    snoozed_by: Mapped[str | None] = mapped_column(String(32))
    last_notice_at: Mapped[datetime | None]


class NumberingAlert(Base):
    """One message the watch posts; ``key`` makes it exist at most once."""

    __tablename__ = "numbering_alerts"
    __table_args__ = (Index("ix_numbering_alerts_onboarding", "onboarding_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    onboarding_id: Mapped[int] = mapped_column(ForeignKey(_ONBOARDING, ondelete="CASCADE"))
    series: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))
    level: Mapped[str] = mapped_column(String(16))
    episode: Mapped[int]
    created_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    channel_id: Mapped[str] = mapped_column(String(32))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    last_error: Mapped[str | None] = mapped_column(String(200))
