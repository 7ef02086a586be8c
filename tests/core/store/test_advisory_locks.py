"""PostgreSQL advisory locks are per database, the rows they guard per schema: two schemas in
one database (two deployments, or two test workers) must never hold each other's files."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from core.registers.repository import RegistersRepository
from core.store.database import create_database_engine, migrate
from core.store.uow import UnitOfWork, unit_of_work_factory
from tests.conftest import PG_URL, throwaway_schema

pytestmark = pytest.mark.postgres


@pytest.fixture
def other_schema_url(pg_url: str) -> Iterator[str]:
    """A second throw-away schema in the same database as ``pg_url``."""
    assert PG_URL is not None  # pg_url skips without it
    with throwaway_schema(PG_URL) as url:
        yield url


@contextmanager
def unit(url: str) -> Iterator[UnitOfWork]:
    engine = create_database_engine(url)
    migrate(engine)
    try:
        with unit_of_work_factory(engine)() as work:
            yield work
    finally:
        engine.dispose()


def test_the_same_file_held_in_one_schema_is_free_in_another(
    pg_url: str, other_schema_url: str
) -> None:
    with unit(pg_url) as first, unit(other_schema_url) as second:
        assert RegistersRepository(first.session).hold("T1", "F1")
        assert RegistersRepository(second.session).hold("T1", "F1")
        # ... while within one schema the file stays held by its live attempt.
        with unit(pg_url) as again:
            assert not RegistersRepository(again.session).hold("T1", "F1")
