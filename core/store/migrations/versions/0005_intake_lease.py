"""CSV intake: what a claimed file needs to be resumed after the process dies.

A file is claimed in ``processed_files`` before any work (the unique key stops a retried
event). Slack has had its ``ack`` by then and never re-sends, so a claim whose process died
would stay "received" and the file would never be answered. The claim now keeps where to
answer (thread, user, message text), a lease that a live worker renews, how many attempts
were made (also the claim's token: a re-claim bumps it), and which output files were already
uploaded, so a resumed check neither posts a second "checking…" reply nor uploads twice.

Revision ID: 0005
Revises: 0001
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0001"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("processed_files") as table:
        table.add_column(sa.Column("thread_ts", sa.String(32)))
        table.add_column(sa.Column("user_id", sa.String(32)))
        table.add_column(sa.Column("share_text", sa.Text))
        table.add_column(sa.Column("attempts", sa.Integer, nullable=False, server_default="1"))
        table.add_column(sa.Column("lease_until", TS))
        table.add_column(sa.Column("uploaded", sa.String(255), nullable=False, server_default=""))
    op.create_index("ix_processed_files_status_lease", "processed_files", ["status", "lease_until"])


def downgrade() -> None:
    op.drop_index("ix_processed_files_status_lease", table_name="processed_files")
    with op.batch_alter_table("processed_files") as table:
        for column in ("uploaded", "lease_until", "attempts", "share_text", "user_id", "thread_ts"):
            table.drop_column(column)
