"""The job queue's pieces that need no worker process: a request's identity, the payload a
worker can no longer run, and one numbering round waiting however many processes ask."""

from __future__ import annotations

import logging
import time
import uuid
from datetime import UTC, datetime

import psycopg
import pytest
from psycopg.types.array import ListDumper
from slack_bolt import BoltRequest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.job_runner import JobRunner, UnusableJob
from bot.jobqueue import (
    CONNECTION_WAIT_SECONDS,
    POOL_APPLICATION_NAME,
    REQUEST_TASK,
    JobQueue,
    request_key,
    request_payload,
)
from core.store.database import create_database_engine, migrate
from core.store.errors import StoreUnavailable


def test_a_request_is_known_by_its_event_id_trigger_or_content() -> None:
    assert request_key({"event_id": "Ev1", "event": {"type": "message"}}) == "event:Ev1"
    assert request_key({"command": "/rackbeat", "trigger_id": "T.1"}) == "trigger:T.1"
    click = {"trigger_id": "T.2", "actions": [{"action_id": "a", "action_ts": "17.5"}]}
    assert request_key(click) == "trigger:T.2:17.5"
    closed = {"type": "view_closed", "view": {"id": "V1"}}
    assert request_key(closed) == request_key(dict(reversed(list(closed.items()))))
    assert request_key(closed).startswith("body:")
    assert request_key(closed) != request_key({**closed, "view": {"id": "V2"}})


def test_a_payload_that_no_longer_parses_fails_with_the_job_id_and_the_reason(
    caplog: pytest.LogCaptureFixture,
) -> None:
    runner = JobRunner(app=None)  # type: ignore[arg-type]  # never reached
    with caplog.at_level(logging.ERROR), pytest.raises(UnusableJob):
        runner.run_request(42, {"key": "old", "mode": "carrier-pigeon", "body": "?"})
    [line] = [r.getMessage() for r in caplog.records]
    assert line.startswith("job 42 failed: its payload does not parse (")
    assert "mode" in line and "body" in line
    assert "carrier-pigeon" not in line  # values stay out of the log


def test_one_numbering_round_waits_however_many_processes_ask(pg_url: str) -> None:
    engine = create_database_engine(pg_url)
    migrate(engine)
    engine.dispose()
    first, second = JobQueue(pg_url).open(), JobQueue(pg_url).open()
    try:
        now = datetime.now(UTC)
        assert first.defer_round(now) is True
        assert second.defer_round(now) is False
        assert first.defer_round(now) is False
    finally:
        first.close()
        second.close()


def test_a_request_is_stored_after_the_database_dropped_the_pools_connections(
    pg_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    engine = create_database_engine(pg_url)
    migrate(engine)
    queue = JobQueue(pg_url, pool_size=2).open()
    try:
        queue.defer_request(_status_request("T.before"))
        # What a server restart or an idle timeout does to the pool's idle connections.
        with engine.connect() as connection:
            dropped = connection.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE application_name = :name AND pid <> pg_backend_pid()"
                ),
                {"name": POOL_APPLICATION_NAME},
            ).scalar()
        assert dropped
        with caplog.at_level(logging.WARNING, logger="bot.jobqueue"):
            queue.defer_request(_status_request("T.after"))
        assert any("had gone" in record.getMessage() for record in caplog.records)
        with engine.connect() as connection:
            keys = connection.execute(
                text("SELECT args->>'key' FROM procrastinate_jobs WHERE task_name = 'bot.request'")
            ).scalars()
            assert {"trigger:T.before", "trigger:T.after"} <= set(keys)
    finally:
        queue.close()
        engine.dispose()


def _status_request(trigger: str) -> BoltRequest:
    body = f"command=%2Frackbeat&text=status&team_id=T1&channel_id=C1&trigger_id={trigger}"
    return BoltRequest(body=body, headers={"content-type": ["application/x-www-form-urlencoded"]})


def test_a_request_fails_within_slacks_wait_when_the_database_takes_no_connections(
    pg_url: str,
) -> None:
    engine = create_database_engine(pg_url)
    migrate(engine)
    role = f"r_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE ROLE "{role}" LOGIN SUPERUSER'))
    queue = JobQueue(make_url(pg_url).set(username=role).render_as_string(False)).open()
    try:
        queue.defer_request(_status_request("T.up"))
        # The database turns the front away, as when it is down or out of connections.
        with admin.connect() as connection:
            connection.execute(text(f'ALTER ROLE "{role}" NOLOGIN'))
            connection.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = :r"),
                {"r": role},
            )
        started = time.monotonic()
        with pytest.raises(StoreUnavailable):
            queue.defer_request(_status_request("T.down"))
        # Given up before Slack stops waiting for the ack, not after the pool's default 30 s.
        assert time.monotonic() - started < CONNECTION_WAIT_SECONDS * 2
    finally:
        queue.close()
        with admin.connect() as connection:
            connection.execute(text(f'DROP ROLE "{role}"'))
        admin.dispose()
        engine.dispose()


def test_a_request_is_stored_as_procrastinates_own_batch_defer_stores_it(pg_url: str) -> None:
    """The front stores requests with its own call of procrastinate's defer function (see
    ``bot.jobqueue``); the job, its event and its notification must be what `batch_defer`
    makes, or a procrastinate upgrade has changed the function under us."""
    engine = create_database_engine(pg_url)
    migrate(engine)
    queue = JobQueue(pg_url).open()
    columns = (
        "queue_name, task_name, priority, lock, queueing_lock, args, scheduled_at, "
        "status::text, attempts, (SELECT array_agg(type::text) FROM procrastinate_events e "
        "WHERE e.job_id = j.id) AS events"
    )
    try:
        with engine.connect() as listener:
            listener.execute(text("LISTEN procrastinate_any_queue_v1"))
            listener.commit()
            queue.defer_request(_status_request("T.ours"))
            queue.app.configure_task(REQUEST_TASK).batch_defer(
                request_payload(_status_request("T.theirs"))
            )
            raw = listener.connection.dbapi_connection
            assert isinstance(raw, psycopg.Connection)
            notified = [n.channel for n in raw.notifies(timeout=5, stop_after=2)]
        with engine.connect() as connection:
            rows = connection.execute(
                text(f"SELECT {columns} FROM procrastinate_jobs j ORDER BY id")
            ).all()
    finally:
        queue.close()
        engine.dispose()
    ours, theirs = (row._asdict() for row in rows)
    for job, trigger in ((ours, "T.ours"), (theirs, "T.theirs")):
        assert job["args"].pop("key") == f"trigger:{trigger}"
        assert job["args"]["body"].pop("trigger_id") == trigger
    assert ours == theirs
    assert ours["events"] == ["deferred"] and ours["status"] == "todo"
    assert notified == ["procrastinate_any_queue_v1"] * 2


def test_the_arguments_go_to_postgresql_binary_never_through_the_text_array_dumper(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The text array dumper escapes every quote of every payload in Python (8 % of the
    front's GIL under the load bench); with a ``%s`` placeholder psycopg would pick it."""

    def text_dump(*_args: object) -> bytes:
        raise AssertionError("the jobs' arguments were dumped as a text array")

    monkeypatch.setattr(ListDumper, "dump", text_dump)
    engine = create_database_engine(pg_url)
    migrate(engine)
    queue = JobQueue(pg_url).open()
    try:
        queue.defer_request(_status_request("T.binary"))
        with engine.connect() as connection:
            stored = (
                connection.execute(text("SELECT args->>'key' FROM procrastinate_jobs"))
                .scalars()
                .all()
            )
    finally:
        queue.close()
        engine.dispose()
    assert stored == ["trigger:T.binary"]
