"""Tables of the Rackbeat import: one row per import, one journal row per record.

The journal is the source of truth of an import (``core.imports``): whoever runs it (this
process after a click, another after a crash, a job worker later) reads what is left from
here, so nothing in memory is the only copy of what was sent.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.store.base import Base


class ImportRun(Base):
    """One import of one checked file into the connected Rackbeat account."""

    __tablename__ = "imports"
    __table_args__ = (Index("ix_imports_status_lease", "status", "lease_until"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    onboarding_id: Mapped[int] = mapped_column(ForeignKey("onboardings.id", ondelete="CASCADE"))
    team_id: Mapped[str] = mapped_column(String(32))
    channel_id: Mapped[str] = mapped_column(String(32))
    thread_ts: Mapped[str] = mapped_column(String(32))
    file_id: Mapped[str] = mapped_column(String(32))
    file_name: Mapped[str] = mapped_column(String(255))
    register: Mapped[str] = mapped_column(String(16))
    # sha256 of the file's bytes at the preview: a confirm checks the thread still has it.
    fingerprint: Mapped[str] = mapped_column(String(64))
    # "create" (default: leave existing records alone) or "update" (chosen explicitly).
    mode: Mapped[str] = mapped_column(String(8), default="create")
    status: Mapped[str] = mapped_column(String(16), default="previewed")
    created_by: Mapped[str] = mapped_column(String(32))
    confirmed_by: Mapped[str | None] = mapped_column(String(32))
    preview_ts: Mapped[str | None] = mapped_column(String(32))
    progress_ts: Mapped[str | None] = mapped_column(String(32))
    # Why a run stopped before the end ("unauthorized", "unavailable", …), for the message.
    stop_code: Mapped[str | None] = mapped_column(String(32))
    # The claim's token: every (re-)claim by a runner bumps it (a runner that lost it stops).
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    lease_until: Mapped[datetime | None]
    result_uploaded: Mapped[bool] = mapped_column(default=False, server_default="0")
    created_at: Mapped[datetime]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]


class ImportRecord(Base):
    """One record of an import and what became of it: pending → sent → created/updated/failed.

    "sent" is written before the call and means "may have reached Rackbeat": a runner that
    finds one looks the number up before sending it again.
    """

    __tablename__ = "import_records"
    __table_args__ = (
        UniqueConstraint("import_id", "seq", name="uq_import_records_seq"),
        Index("ix_import_records_import_state", "import_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("imports.id", ondelete="CASCADE"))
    seq: Mapped[int]
    row: Mapped[int]
    register: Mapped[str] = mapped_column(String(16))
    number: Mapped[str] = mapped_column(String(64))
    # "create", "update" (an existing record with changes) or "unchanged".
    action: Mapped[str] = mapped_column(String(16))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(16), default="pending")
    rackbeat_id: Mapped[str | None] = mapped_column(String(64))
    message: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime]
