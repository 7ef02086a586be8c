"""The account snapshot per onboarding (issue 11): what the bot read from Rackbeat, when, and
the last read that failed; Netvisor's open sales orders for the previous-orders step.

Revision ID: 0011_i11_account
Revises: 0003, 0004, 0005
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_i11_account"
down_revision = ("0003", "0004", "0005")
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "account_snapshots",
        sa.Column(
            "onboarding_id",
            sa.Integer,
            sa.ForeignKey("onboardings.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("company", sa.String(255)),
        sa.Column("read_at", TS),
        sa.Column("data", sa.LargeBinary),
        sa.Column("counts", sa.Text),
        sa.Column("failed_list", sa.String(32)),
        sa.Column("failed_code", sa.String(64)),
        sa.Column("failed_reason", sa.String(255)),
        sa.Column("failed_at", TS),
        sa.Column("open_orders", sa.Text),
        sa.Column("orders_read_at", TS),
    )


def downgrade() -> None:
    op.drop_table("account_snapshots")
