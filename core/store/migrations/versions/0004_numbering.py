"""Numbering watch: settings, values, observations, credentials, leases, status, alerts.

Revision ID: 0004
Revises: 0001
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0001"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def _onboarding(table: str) -> sa.Column[int]:
    return sa.Column(
        "onboarding_id",
        sa.Integer,
        sa.ForeignKey(
            "onboardings.id", ondelete="CASCADE", name=f"fk_{table}_onboarding_id_onboardings"
        ),
        nullable=False,
    )


def upgrade() -> None:
    op.create_table(
        "numbering_settings",
        _onboarding("numbering_settings"),
        sa.Column("order_strategy", sa.String(16), nullable=False),
        sa.Column("invoice_strategy", sa.String(16), nullable=False),
        sa.Column("warning_days", sa.Integer, nullable=False),
        sa.Column("warning_numbers", sa.Integer, nullable=False),
        sa.Column("critical_days", sa.Integer, nullable=False),
        sa.Column("critical_numbers", sa.Integer, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("onboarding_id", name="pk_numbering_settings"),
    )
    op.create_table(
        "numbering_values",
        _onboarding("numbering_values"),
        sa.Column("series", sa.String(16), nullable=False),
        sa.Column("field", sa.String(32), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("value", sa.String(40), nullable=False),
        sa.Column("observed_at", TS, nullable=False),
        sa.Column("set_by", sa.String(32)),
        sa.Column("cursor", sa.String(40)),
        sa.PrimaryKeyConstraint(
            "onboarding_id", "series", "field", "source", name="pk_numbering_values"
        ),
    )
    op.create_table(
        "numbering_observations",
        sa.Column("id", sa.Integer, nullable=False),
        _onboarding("numbering_observations"),
        sa.Column("series", sa.String(16), nullable=False),
        sa.Column("field", sa.String(32), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("value", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_numbering_observations"),
    )
    op.create_index(
        "ix_numbering_observations_lookup",
        "numbering_observations",
        ["onboarding_id", "series", "field", "at"],
    )
    op.create_table(
        "numbering_credentials",
        _onboarding("numbering_credentials"),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("sealed", sa.Text, nullable=False),
        sa.Column("company", sa.String(255), nullable=False),
        sa.Column("connected_by", sa.String(32), nullable=False),
        sa.Column("connected_at", TS, nullable=False),
        sa.Column("consecutive_failures", sa.Integer, nullable=False),
        sa.Column("failing_since", TS),
        sa.Column("last_error", sa.String(64)),
        sa.Column("last_success_at", TS),
        sa.PrimaryKeyConstraint("onboarding_id", "source", name="pk_numbering_credentials"),
    )
    op.create_table(
        "numbering_leases",
        _onboarding("numbering_leases"),
        sa.Column("due_at", TS, nullable=False),
        sa.Column("holder", sa.String(64)),
        sa.Column("expires_at", TS),
        sa.Column("last_started_at", TS),
        sa.Column("last_finished_at", TS),
        sa.PrimaryKeyConstraint("onboarding_id", name="pk_numbering_leases"),
    )
    op.create_index("ix_numbering_leases_due", "numbering_leases", ["due_at"])
    op.create_table(
        "numbering_status",
        _onboarding("numbering_status"),
        sa.Column("series", sa.String(16), nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("headroom", sa.String(41)),
        sa.Column("rate", sa.Float),
        sa.Column("days_left", sa.Float),
        sa.Column("runs_out_at", TS),
        sa.Column("notes", sa.JSON, nullable=False),
        sa.Column("checked_at", TS, nullable=False),
        sa.Column("alert_level", sa.String(16), nullable=False),
        sa.Column("episode", sa.Integer, nullable=False),
        sa.Column("alerted_levels", sa.String(64), nullable=False),
        sa.Column("alerted_at", TS),
        sa.Column("acknowledged_level", sa.String(16)),
        sa.Column("acknowledged_by", sa.String(32)),
        sa.Column("snoozed_until", TS),
        sa.Column("snoozed_by", sa.String(32)),
        sa.Column("last_notice_at", TS),
        sa.PrimaryKeyConstraint("onboarding_id", "series", name="pk_numbering_status"),
    )
    op.create_table(
        "numbering_alerts",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        _onboarding("numbering_alerts"),
        sa.Column("series", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("episode", sa.Integer, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("channel_id", sa.String(32), nullable=False),
        sa.Column("message_ts", sa.String(32)),
        sa.Column("last_error", sa.String(200)),
        sa.PrimaryKeyConstraint("id", name="pk_numbering_alerts"),
        sa.UniqueConstraint("key", name="uq_numbering_alerts_key"),
    )
    op.create_index(
        "ix_numbering_alerts_onboarding", "numbering_alerts", ["onboarding_id", "status"]
    )


def downgrade() -> None:
    for table in (
        "numbering_alerts",
        "numbering_status",
        "numbering_leases",
        "numbering_credentials",
        "numbering_observations",
        "numbering_values",
        "numbering_settings",
    ):
        op.drop_table(table)
