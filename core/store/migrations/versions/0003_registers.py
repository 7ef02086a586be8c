"""CSV intake: the registers each onboarding knows, for cross-file checks.

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "known_registers",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("onboarding_id", sa.Integer, nullable=False),
        sa.Column("register", sa.String(16), nullable=False),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("snapshot", sa.JSON, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_known_registers"),
        sa.ForeignKeyConstraint(
            ["onboarding_id"],
            ["onboardings.id"],
            ondelete="CASCADE",
            name="fk_known_registers_onboarding_id_onboardings",
        ),
        sa.UniqueConstraint("onboarding_id", "register", name="uq_known_registers_register"),
    )


def downgrade() -> None:
    op.drop_table("known_registers")
