"""Audit: a refusal's note in every language.

The history showed a refusal's reason in the language of the moment it was refused, also
after `/rackbeat language` switched the onboarding to the other one (issue 17). A refusal now
stores its note per language (code → text) beside the note as written; rows from before keep
their single note.

Revision ID: 0017_i17_audit_notes
Revises: 0001
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017_i17_audit_notes"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_events") as table:
        table.add_column(sa.Column("note_translations", sa.JSON))


def downgrade() -> None:
    with op.batch_alter_table("audit_events") as table:
        table.drop_column("note_translations")
