"""Tables of CSV intake: the registers an onboarding knows (for cross-file checks).

``processed_files`` (idempotency) and ``validation_results`` live in ``models.py``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
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
