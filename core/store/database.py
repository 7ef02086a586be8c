"""Engines, schema migration and a liveness probe.

SQLite is the embedded default (WAL so readers never wait for the writer, foreign keys on,
a busy timeout so two threads writing at once wait instead of failing); PostgreSQL is the
choice for several processes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url

# Inside the package, so a plain wheel install carries them (not only a checkout).
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Seconds to wait for PostgreSQL to accept a connection. libpq waits forever by default, so a
# database host that stops answering would hang `/healthz` and every listener thread instead
# of getting the "database unreachable" answer. A `connect_timeout` in the URL wins.
CONNECT_TIMEOUT = 5
# The advisory lock migrations hold on PostgreSQL (any number unique to this application).
MIGRATION_LOCK = 7_214_003_551


def create_database_engine(url: str) -> Engine:
    """Build the engine for ``url``; for SQLite the database folder is created."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    connect_args = {} if "connect_timeout" in parsed.query else {"connect_timeout": CONNECT_TIMEOUT}
    return create_engine(
        url, pool_pre_ping=True, pool_size=10, max_overflow=10, connect_args=connect_args
    )


def _sqlite_engine(url: str) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        # pysqlite's own transaction handling defers BEGIN; take control so that
        # `BEGIN IMMEDIATE` is possible and SAVEPOINTs behave.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        # IMMEDIATE takes the write lock at the start, so two writers serialise instead of
        # one failing with "database is locked" half-way through its transaction.
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def migrate(engine: Engine) -> None:
    """Bring the schema up to date (every head: areas branch from the base revision)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Several processes may start at once (serve, workers): one migrates, the others
            # wait for it and then find nothing to do. Released with the transaction.
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        config.attributes["connection"] = connection
        command.upgrade(config, "heads")


def ping(engine: Engine) -> bool:
    """True when the database answers a trivial query."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception:
        return False
    return True


def current_revisions(engine: Engine) -> list[str]:
    """The Alembic revisions the database is at (one per branch head)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return sorted(MigrationContext.configure(connection).get_current_heads())
