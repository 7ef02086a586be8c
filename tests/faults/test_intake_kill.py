"""`python -m bot serve` killed with SIGKILL in the middle of a file check (no clean-up of any
kind runs), then started again: on SQLite the new process resumes the check on start and
answers it once in the thread, reusing the "checking…" reply, with no output uploaded twice.
(On PostgreSQL the check's job runs again: tests/e2e/test_job_queue.py.)"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bot.localslack import LocalSlack
from tests.faults.support import (
    ANN,
    CHANNEL,
    PRODUCTS_WITH_WARNING,
    answers_in_thread,
    texts,
    uploads_in_thread,
)
from tests.serve_process import ServeProcess, share_during_a_slow_download
from tests.waiting import until


def start_serve(slack: LocalSlack, database: Path) -> ServeProcess:
    return ServeProcess(slack, f"sqlite:///{database}", database.parent)


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return tmp_path / "bot.db"


@pytest.fixture
def processes() -> Iterator[list[ServeProcess]]:
    started: list[ServeProcess] = []
    yield started
    for serve in started:
        serve.stop()


def test_serve_killed_mid_check_resumes_it_after_a_restart(
    slack: LocalSlack, database: Path, processes: list[ServeProcess]
) -> None:
    slack.add_user(ANN, "ann")
    first = start_serve(slack, database)
    processes.append(first)
    # The download hangs: the process is in the middle of the check when it is killed.
    message = share_during_a_slow_download(
        slack, first, ANN, CHANNEL, PRODUCTS_WITH_WARNING, delay=60
    )
    slack.wait_for("chat.postMessage", lambda c: c.params.get("thread_ts") == message.ts)
    engine = create_engine(f"sqlite:///{database}")
    try:
        first.kill()
        with engine.begin() as connection:
            row = connection.execute(text("SELECT status, attempts FROM processed_files")).one()
            assert tuple(row) == ("received", 1)
        second = start_serve(slack, database)
        processes.append(second)

        def status() -> str | None:
            with engine.connect() as connection:
                found = connection.execute(text("SELECT status FROM processed_files")).scalar()
            return None if found == "received" else str(found)

        assert until(status, "the resumed check to finish", timeout=60) == "checked"
    finally:
        engine.dispose()
    second.stop()  # it drains what it took and exits: what Slack has now is final
    [verdict] = answers_in_thread(slack, message)
    assert "ready to import" in texts(verdict)
    assert uploads_in_thread(slack, message) == ["products-errors.csv", "products-normalized.csv"]
    checking = [
        c
        for c in slack.calls_to("chat.postMessage")
        if c.params.get("thread_ts") == message.ts and c.status == 200
    ]
    assert len(checking) == 1
