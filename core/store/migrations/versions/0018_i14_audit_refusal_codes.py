"""Audit: a refused attempt keeps its refusal as a code and params, not as words.

Until now a refused attempt's row kept the refusal's words, in every language
(``note_translations``, 0017_i17), worded in ``core``. The words now live only in the message
catalogue: a new row keeps the refusal's catalogue code and the data of its words (JSON), and
the history says them in the reader's language. Rows written before keep their words and
still show them: their prose cannot be turned back into a code, so nothing is converted.

Downgrading keeps the history too: a row that has only a code gets the code and its params
appended to its note, which is what the older code shows.

Revision ID: 0018_i14_refusal_codes
Revises: 0017_i17_audit_notes
Create Date: 2026-12-08
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0018_i14_refusal_codes"
down_revision = "0017_i17_audit_notes"
branch_labels = None
depends_on = None

_events = sa.table(
    "audit_events",
    sa.column("id", sa.Integer),
    sa.column("note", sa.Text),
    sa.column("refusal_code", sa.Text),
    sa.column("refusal_params", sa.JSON),
)


def upgrade() -> None:
    with op.batch_alter_table("audit_events") as table:
        table.add_column(sa.Column("refusal_code", sa.Text))
        table.add_column(sa.Column("refusal_params", sa.JSON))


def downgrade() -> None:
    connection = op.get_bind()
    coded = connection.execute(
        sa.select(_events.c.id, _events.c.note, _events.c.refusal_code, _events.c.refusal_params)
        .where(_events.c.refusal_code.is_not(None))
        .order_by(_events.c.id)
    ).all()
    for row in coded:
        refusal = f"{row.refusal_code} {json.dumps(row.refusal_params or {}, sort_keys=True)}"
        note = f"{row.note} — {refusal}" if row.note else refusal
        connection.execute(_events.update().where(_events.c.id == row.id).values(note=note))
    with op.batch_alter_table("audit_events") as table:
        table.drop_column("refusal_params")
        table.drop_column("refusal_code")
