"""The job queue: procrastinate's tables, created here so that `migrate` is the only step.

On PostgreSQL every request acknowledged by `serve`/`socket` becomes a procrastinate job
(``bot.jobqueue``). Its schema is procrastinate's own ``schema.sql`` from the installed package
(pinned to 3.10.x in pyproject.toml): a later procrastinate release that changes it needs a new
revision here that applies procrastinate's migration files in between. Two indexes of ours:

- one job per Slack request: a unique key on the request's identity, so a Slack retry of a
  request whose acknowledgement came late never makes a second job, even after the first ran;
- the latest job start, read by `/healthz` without walking every event.

And ``sent_answers``, the workers' journal of answers already given (``core.store.answers``):
a job that runs again after its worker died does not say the same thing twice. SQLite has no
job queue (work runs in-process there): it gets only that table, to keep one schema.

Revision ID: 0010_i10_jobs
Revises: 0001
Create Date: 2026-12-06
"""

from __future__ import annotations

from importlib import resources

import sqlalchemy as sa
from alembic import op

revision = "0010_i10_jobs"
down_revision = "0001"
branch_labels = None
depends_on = None

REQUEST_KEY_INDEX = "ix_jobs_request_key"


def upgrade() -> None:
    op.create_table(
        "sent_answers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("request_key", sa.String(200), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("response", sa.JSON, nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("request_key", "fingerprint", name="uq_sent_answers_answer"),
    )
    op.create_index("ix_sent_answers_sent_at", "sent_answers", ["sent_at"])
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    schema = (resources.files("procrastinate.sql") / "schema.sql").read_text(encoding="utf-8")
    # Run as one script without parameters: psycopg sends it as is (no placeholders parsed).
    bind.connection.dbapi_connection.execute(schema)  # type: ignore[union-attr]
    op.execute(
        f"CREATE UNIQUE INDEX {REQUEST_KEY_INDEX} ON procrastinate_jobs ((args->>'key')) "
        "WHERE task_name = 'bot.request'"
    )
    op.execute(
        "CREATE INDEX ix_jobs_started_at ON procrastinate_events (at) WHERE type = 'started'"
    )


def downgrade() -> None:
    op.drop_index("ix_sent_answers_sent_at", table_name="sent_answers")
    op.drop_table("sent_answers")
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for table in (
        "procrastinate_events",
        "procrastinate_periodic_defers",
        "procrastinate_jobs",
        "procrastinate_workers",
    ):
        op.execute(f"DROP TABLE IF EXISTS {table} CASCADE")
    # Its functions and types, in the schema the tables were in.
    op.execute(
        """
        DO $$
        DECLARE f record;
        BEGIN
            FOR f IN SELECT p.oid::regprocedure AS signature FROM pg_proc p
                     WHERE p.proname LIKE 'procrastinate\\_%'
                       AND p.pronamespace = current_schema()::regnamespace
            LOOP
                EXECUTE 'DROP FUNCTION ' || f.signature || ' CASCADE';
            END LOOP;
        END $$;
        """
    )
    for kind in (
        "procrastinate_job_to_defer_v1",
        "procrastinate_job_event_type",
        "procrastinate_job_status",
    ):
        op.execute(f"DROP TYPE IF EXISTS {kind} CASCADE")
