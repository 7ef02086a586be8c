"""Migration 0018_i14: audit rows keep a refusal as a code and params; the history written
before (words in ``note`` / ``note_translations``) survives the upgrade and a downgrade, on
SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, inspect, select

from core.store.database import MIGRATIONS_DIR, create_database_engine, current_revisions, migrate
from core.store.models import AuditEvent

REVISION = "0018_i14_refusal_codes"
BEFORE = "0017_i17_audit_notes"
AT = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_database_engine(database_url)
    migrate(engine)
    yield engine
    engine.dispose()


def alembic(engine: Engine, verb: str, target: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        getattr(command, verb)(config, target)


def audit_columns(engine: Engine) -> set[str]:
    return {column["name"] for column in inspect(engine).get_columns("audit_events")}


def add_row(engine: Engine, **values: object) -> None:
    table = AuditEvent.__table__
    row = {"team_id": "T1", "channel_id": "C1", "actor": "U_ANN", "at": AT, "outcome": "refused"}
    row |= {"action": "step.done", "subject": "login"}
    with engine.begin() as connection:
        connection.execute(table.insert().values(**(row | values)))


def notes(engine: Engine) -> list[tuple[str | None, object]]:
    table = AuditEvent.__table__
    with engine.connect() as connection:
        rows = connection.execute(
            select(table.c.note, table.c.note_translations).order_by(table.c.id)
        )
        return [(note, translations) for note, translations in rows]


def test_the_migration_adds_the_refusal_columns_and_keeps_rows_worded_before(
    engine: Engine,
) -> None:
    assert REVISION in current_revisions(engine)
    assert {"refusal_code", "refusal_params", "note", "note_translations"} <= audit_columns(engine)
    alembic(engine, "downgrade", f"{REVISION}-1")
    assert "refusal_code" not in audit_columns(engine)
    assert BEFORE in current_revisions(engine)
    worded = {"en": "ok — *Log in* can't be marked done", "fi": "ok — *Kirjautuminen* ei"}
    add_row(engine, note="ok — *Log in* can't be marked done", note_translations=worded)
    alembic(engine, "upgrade", "heads")
    assert {"refusal_code", "refusal_params"} <= audit_columns(engine)
    assert notes(engine) == [("ok — *Log in* can't be marked done", worded)]


def test_a_downgrade_keeps_a_coded_refusal_in_the_note(engine: Engine) -> None:
    params = {"step": "login", "state": "done", "reasons": [{"rule": "already_done"}]}
    add_row(engine, note="second try", refusal_code="onb.refused.done", refusal_params=params)
    add_row(engine, refusal_code="onb.not_found", refusal_params={})
    add_row(engine, note="applied, no refusal", outcome="applied")
    alembic(engine, "downgrade", f"{REVISION}-1")
    assert [note for note, _ in notes(engine)] == [
        f"second try — onb.refused.done {json.dumps(params, sort_keys=True)}",
        "onb.not_found {}",
        "applied, no refusal",
    ]
    alembic(engine, "upgrade", "heads")
    assert REVISION in current_revisions(engine)
