"""Installation into any workspace (OAuth v2): installations with sealed bot tokens, the
OAuth states in flight, and when a workspace uninstalled the app.

Revision ID: 0013_i13_installations
Revises: 0001
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_i13_installations"
down_revision = "0001"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "slack_installations",
        sa.Column("team_id", sa.String(32), primary_key=True),
        sa.Column("enterprise_id", sa.String(32)),
        sa.Column("team_name", sa.String(255)),
        sa.Column("app_id", sa.String(32)),
        sa.Column("bot_id", sa.String(32)),
        sa.Column("bot_user_id", sa.String(32)),
        sa.Column("bot_scopes", sa.Text, nullable=False, server_default=""),
        sa.Column("installer_user_id", sa.String(32)),
        sa.Column("tokens_sealed", sa.Text, nullable=False),
        sa.Column("token_expires_at", TS),
        sa.Column("installed_at", TS, nullable=False),
    )
    op.create_table(
        "slack_oauth_states",
        sa.Column("state", sa.String(64), primary_key=True),
        sa.Column("expires_at", TS, nullable=False),
    )
    with op.batch_alter_table("workspaces") as table:
        table.add_column(sa.Column("uninstalled_at", TS))


def downgrade() -> None:
    with op.batch_alter_table("workspaces") as table:
        table.drop_column("uninstalled_at")
    op.drop_table("slack_oauth_states")
    op.drop_table("slack_installations")
