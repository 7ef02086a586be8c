"""Schema, unit of work and the constraints that guard idempotency, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError

from core.store.database import create_database_engine, current_revisions, migrate, ping
from core.store.models import Onboarding, Workspace
from core.store.registers_models import ProcessedFile
from core.store.uow import unit_of_work_factory

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def test_migrations_create_the_foundation_tables_and_are_repeatable(database_url: str) -> None:
    engine = create_database_engine(database_url)
    migrate(engine)
    migrate(engine)
    tables = set(inspect(engine).get_table_names())
    assert {
        "workspaces",
        "onboardings",
        "step_states",
        "members",
        "audit_events",
        "processed_files",
        "validation_results",
    } <= tables
    assert "0001" in current_revisions(engine) or current_revisions(engine)
    assert ping(engine)
    engine.dispose()


def test_sqlite_database_folder_is_created_with_wal_and_foreign_keys(tmp_path: Path) -> None:
    engine = create_database_engine(f"sqlite:///{tmp_path / 'deep' / 'folder' / 'x.db'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    assert (tmp_path / "deep" / "folder").is_dir()
    engine.dispose()


def test_unit_of_work_rolls_back_unless_committed(database_url: str) -> None:
    engine = create_database_engine(database_url)
    migrate(engine)
    uow = unit_of_work_factory(engine)
    with uow() as unit:
        unit.session.add(Workspace(team_id="T1", created_at=NOW))
    with uow() as unit:
        assert unit.session.get(Workspace, "T1") is None
        unit.session.add(Workspace(team_id="T1", created_at=NOW))
        unit.commit()
    with uow() as unit:
        workspace = unit.session.get(Workspace, "T1")
        assert workspace is not None
        assert workspace.created_at == NOW  # timezone-aware on both backends
    engine.dispose()


def test_one_onboarding_per_channel_and_one_record_per_file(database_url: str) -> None:
    engine = create_database_engine(database_url)
    migrate(engine)
    uow = unit_of_work_factory(engine)

    def onboarding() -> Onboarding:
        return Onboarding(
            team_id="T1",
            channel_id="C1",
            company_name="Oy",
            owner_id="U1",
            created_at=NOW,
            updated_at=NOW,
        )

    with uow() as unit:
        unit.session.add(Workspace(team_id="T1", created_at=NOW))
        unit.session.flush()
        unit.session.add(onboarding())
        unit.commit()
    with uow() as unit, pytest.raises(IntegrityError):
        unit.session.add(onboarding())
        unit.commit()
    for attempt in range(2):
        with uow() as unit:
            unit.session.add(
                ProcessedFile(team_id="T1", file_id="F1", channel_id="C1", received_at=NOW)
            )
            if attempt == 0:
                unit.commit()
            else:
                with pytest.raises(IntegrityError):
                    unit.commit()
    with uow() as unit:
        assert len(unit.session.scalars(select(ProcessedFile)).all()) == 1
    engine.dispose()


def test_naive_datetimes_are_refused(uow: unit_of_work_factory) -> None:  # type: ignore[valid-type]
    with uow() as unit, pytest.raises(Exception, match="naive datetime"):
        unit.session.add(Workspace(team_id="T9", created_at=datetime(2026, 1, 1)))
        unit.commit()
