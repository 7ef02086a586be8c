"""Foundation schema: workspaces, onboardings, steps, members, audit, file intake.

Revision ID: 0001
Revises:
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "workspaces",
        sa.Column("team_id", sa.String(32), primary_key=True),
        sa.Column("name", sa.String(255)),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "onboardings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "team_id",
            sa.String(32),
            sa.ForeignKey("workspaces.team_id", name="fk_onboardings_team_id_workspaces"),
            nullable=False,
        ),
        sa.Column("channel_id", sa.String(32), nullable=False),
        sa.Column("company_name", sa.String(255), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("valuation_method", sa.String(16)),
        sa.Column("checklist_ts", sa.String(32)),
        sa.Column("owner_id", sa.String(32), nullable=False),
        sa.Column("live_announced_at", TS),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.UniqueConstraint("team_id", "channel_id", name="uq_onboardings_channel"),
    )
    op.create_index("ix_onboardings_team_id", "onboardings", ["team_id"])
    op.create_table(
        "step_states",
        sa.Column(
            "onboarding_id",
            sa.Integer,
            sa.ForeignKey(
                "onboardings.id",
                ondelete="CASCADE",
                name="fk_step_states_onboarding_id_onboardings",
            ),
            primary_key=True,
        ),
        sa.Column("step", sa.String(32), primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("changed_by", sa.String(32)),
        sa.Column("changed_at", TS),
        sa.Column("note", sa.Text),
    )
    op.create_table(
        "members",
        sa.Column(
            "onboarding_id",
            sa.Integer,
            sa.ForeignKey(
                "onboardings.id", ondelete="CASCADE", name="fk_members_onboarding_id_onboardings"
            ),
            primary_key=True,
        ),
        sa.Column("user_id", sa.String(32), primary_key=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("added_by", sa.String(32), nullable=False),
        sa.Column("added_at", TS, nullable=False),
    )
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "onboarding_id",
            sa.Integer,
            sa.ForeignKey(
                "onboardings.id",
                ondelete="CASCADE",
                name="fk_audit_events_onboarding_id_onboardings",
            ),
        ),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("channel_id", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(32), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("subject", sa.String(64)),
        sa.Column("old_value", sa.Text),
        sa.Column("new_value", sa.Text),
        sa.Column("note", sa.Text),
        sa.Column("outcome", sa.String(16), nullable=False),
    )
    op.create_index("ix_audit_events_onboarding_at", "audit_events", ["onboarding_id", "at"])
    op.create_table(
        "processed_files",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("file_id", sa.String(32), nullable=False),
        sa.Column("channel_id", sa.String(32), nullable=False),
        sa.Column("file_name", sa.String(255)),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reply_ts", sa.String(32)),
        sa.Column("received_at", TS, nullable=False),
        sa.Column("finished_at", TS),
        sa.UniqueConstraint("team_id", "file_id", name="uq_processed_files_file"),
    )
    op.create_table(
        "validation_results",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "processed_file_id",
            sa.Integer,
            sa.ForeignKey(
                "processed_files.id",
                ondelete="CASCADE",
                name="fk_validation_results_processed_file_id_processed_files",
            ),
        ),
        sa.Column(
            "onboarding_id",
            sa.Integer,
            sa.ForeignKey(
                "onboardings.id",
                ondelete="CASCADE",
                name="fk_validation_results_onboarding_id_onboardings",
            ),
        ),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("channel_id", sa.String(32), nullable=False),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("register", sa.String(16)),
        sa.Column("valid", sa.Boolean, nullable=False),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("error_count", sa.Integer, nullable=False),
        sa.Column("warning_count", sa.Integer, nullable=False),
        sa.Column("summary", sa.JSON, nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_index(
        "ix_validation_results_processed_file_id", "validation_results", ["processed_file_id"]
    )
    op.create_index("ix_validation_results_onboarding_id", "validation_results", ["onboarding_id"])


def downgrade() -> None:
    for table in (
        "validation_results",
        "processed_files",
        "audit_events",
        "members",
        "step_states",
        "onboardings",
        "workspaces",
    ):
        op.drop_table(table)
