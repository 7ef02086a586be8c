"""The job queue's pieces that need no worker process: a request's identity, the payload a
worker can no longer run, and one numbering round waiting however many processes ask."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest

from bot.job_runner import JobRunner, UnusableJob
from bot.jobqueue import JobQueue, request_key
from core.store.database import create_database_engine, migrate


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
