"""The account snapshot of an onboarding (one row each), and the last failed read.

The snapshot itself is zlib-compressed JSON (``AccountSnapshot.to_json``): a 50,000-product
account is a few megabytes of JSON, well under one as stored, and it is always read whole.
A failed read leaves the last good snapshot as it was and records what failed beside it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.store.base import Base


class AccountSnapshotRow(Base):
    __tablename__ = "account_snapshots"

    onboarding_id: Mapped[int] = mapped_column(
        ForeignKey("onboardings.id", ondelete="CASCADE"), primary_key=True
    )
    company: Mapped[str | None] = mapped_column(String(255))
    read_at: Mapped[datetime | None]
    data: Mapped[bytes | None] = mapped_column(LargeBinary)
    counts: Mapped[str | None] = mapped_column(Text)
    """JSON ``{list: count}``: what ``/rackbeat account`` shows without opening ``data``."""
    failed_list: Mapped[str | None] = mapped_column(String(32))
    failed_code: Mapped[str | None] = mapped_column(String(64))
    failed_reason: Mapped[str | None] = mapped_column(String(255))
    failed_at: Mapped[datetime | None]
    open_orders: Mapped[str | None] = mapped_column(Text)
    """JSON ``[[number, status], …]`` of Netvisor's sales orders not yet invoiced."""
    orders_read_at: Mapped[datetime | None]
