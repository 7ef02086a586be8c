"""Fixtures shared by every layer: databases (SQLite always, PostgreSQL when
`TEST_DATABASE_URL` is set), the Slack emulator and the bot under test."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy import Engine, create_engine, text

from bot.localslack import LocalSlack
from core.store.database import create_database_engine, migrate
from core.store.uow import UnitOfWorkFactory, unit_of_work_factory
from tests.harness import BotUnderTest

# Slack settings from a developer's shell must never leak into tests (an OAuth client id
# would silently switch Bolt into OAuth mode).
for _name in list(os.environ):
    if _name.startswith("SLACK_"):
        del os.environ[_name]

# Property tests have no deadline: one example's time says nothing about the property, and on a
# loaded machine the first call of a fresh generator took 0.6 s against Hypothesis's 0.2 s
# default (a failure that was only the machine). Speed is measured in bench/.
settings.register_profile("suite", deadline=None)
settings.load_profile("suite")

PG_URL = os.environ.get("TEST_DATABASE_URL")
NO_POSTGRES = "TEST_DATABASE_URL is not set"


def _needs_postgres(item: pytest.Item) -> bool:
    callspec = getattr(item, "callspec", None)
    if callspec is not None and callspec.params.get("database_url") == "postgresql":
        return True
    return "pg_url" in getattr(item, "fixturenames", ())


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Marks every test that runs on PostgreSQL `postgres` (so `-m postgres` / `-m "not
    postgres"` select them); without `TEST_DATABASE_URL` they skip before any setup runs."""
    for item in items:
        if _needs_postgres(item):
            item.add_marker(pytest.mark.postgres)
            if not PG_URL:
                item.add_marker(pytest.mark.skip(reason=NO_POSTGRES))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Says, in the summary, how many PostgreSQL tests did not run and why: a green run on a
    laptop proves SQLite only."""
    skipped = [
        report
        for report in terminalreporter.stats.get("skipped", [])
        if "postgres" in getattr(report, "keywords", {})
    ]
    if skipped:
        terminalreporter.write_sep(
            "=",
            f"{len(skipped)} PostgreSQL tests skipped: {NO_POSTGRES} "
            "(e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test; .ci/run sets it)",
            yellow=True,
        )


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'data' / 'onboarding.db'}"


@contextmanager
def throwaway_schema(database_url: str) -> Iterator[str]:
    """A URL of ``database_url`` on a new schema of its own, dropped afterwards."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in database_url else "?"
    try:
        yield f"{database_url}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A PostgreSQL URL on a schema of its own, dropped afterwards (parallel runs are safe)."""
    if not PG_URL:  # marked skip at collection; this guards a fixture requested at run time
        pytest.skip(NO_POSTGRES)
    with throwaway_schema(PG_URL) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> str:
    """Runs the test on SQLite and, when configured, on PostgreSQL."""
    name = "sqlite_url" if request.param == "sqlite" else "pg_url"
    return str(request.getfixturevalue(name))


@pytest.fixture
def engine(sqlite_url: str) -> Iterator[Engine]:
    engine = create_database_engine(sqlite_url)
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def uow(engine: Engine) -> UnitOfWorkFactory:
    return unit_of_work_factory(engine)


@pytest.fixture
def slack() -> Iterator[LocalSlack]:
    with LocalSlack() as emulator:
        yield emulator


@pytest.fixture
def bot(slack: LocalSlack, sqlite_url: str) -> Iterator[BotUnderTest]:
    under_test = BotUnderTest(slack, sqlite_url)
    yield under_test
    under_test.stop()
