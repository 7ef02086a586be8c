"""Rackbeat import: the imports and their per-record journal.

Revision ID: 0012_i12_imports
Revises: 0001
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_i12_imports"
down_revision = "0001"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "imports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "onboarding_id",
            sa.Integer,
            sa.ForeignKey("onboardings.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("channel_id", sa.String(32), nullable=False),
        sa.Column("thread_ts", sa.String(32), nullable=False),
        sa.Column("file_id", sa.String(32), nullable=False),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("register", sa.String(16), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("mode", sa.String(8), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_by", sa.String(32), nullable=False),
        sa.Column("confirmed_by", sa.String(32)),
        sa.Column("preview_ts", sa.String(32)),
        sa.Column("progress_ts", sa.String(32)),
        sa.Column("stop_code", sa.String(32)),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("lease_until", TS),
        sa.Column("result_uploaded", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("started_at", TS),
        sa.Column("finished_at", TS),
    )
    op.create_index("ix_imports_status_lease", "imports", ["status", "lease_until"])
    op.create_table(
        "import_records",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "import_id",
            sa.Integer,
            sa.ForeignKey("imports.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("row", sa.Integer, nullable=False),
        sa.Column("register", sa.String(16), nullable=False),
        sa.Column("number", sa.String(64), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("rackbeat_id", sa.String(64)),
        sa.Column("message", sa.Text),
        sa.Column("updated_at", TS, nullable=False),
        sa.UniqueConstraint("import_id", "seq", name="uq_import_records_seq"),
    )
    op.create_index("ix_import_records_import_state", "import_records", ["import_id", "state"])


def downgrade() -> None:
    op.drop_index("ix_import_records_import_state", table_name="import_records")
    op.drop_table("import_records")
    op.drop_index("ix_imports_status_lease", table_name="imports")
    op.drop_table("imports")
