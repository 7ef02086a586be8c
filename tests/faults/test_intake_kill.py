"""`python -m bot serve` killed with SIGKILL in the middle of a file check (no clean-up of any
kind runs), then started again: the new process resumes the check on start and answers it
once in the thread, reusing the "checking…" reply, with no output uploaded twice."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bot.localslack import LocalSlack
from bot.localslack.driver import SlackDriver, http_transport
from bot.localslack.state import Failure
from tests.faults.support import (
    ANN,
    CHANNEL,
    PRODUCTS_WITH_WARNING,
    answers_in_thread,
    texts,
    uploads_in_thread,
)
from tests.harness import SIGNING_SECRET

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Serve:
    """One `python -m bot serve` process."""

    def __init__(self, slack: LocalSlack, database: Path) -> None:
        self.port = free_port()
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "PYTHONPATH": str(ROOT),
            "SLACK_BOT_TOKEN": slack.bot_token,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": slack.api_url,
            "SLACK_FILE_HOSTS": "127.0.0.1",
            "DATABASE_URL": f"sqlite:///{database}",
            "PORT": str(self.port),
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve"],
            cwd=database.parent,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except (OSError, urllib.error.URLError):
                time.sleep(0.05)
        else:
            raise AssertionError("serve did not start")
        self.driver = SlackDriver(slack, SIGNING_SECRET, http_transport(self.url + "/slack/events"))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return tmp_path / "bot.db"


@pytest.fixture
def processes() -> Iterator[list[Serve]]:
    started: list[Serve] = []
    yield started
    for serve in started:
        serve.stop()


def test_serve_killed_mid_check_resumes_it_after_a_restart(
    slack: LocalSlack, database: Path, processes: list[Serve]
) -> None:
    slack.add_user(ANN, "ann")
    first = Serve(slack, database)
    processes.append(first)
    first.driver.command("start Acme Oy", user=ANN, channel=CHANNEL)
    slack.wait_for("chat.postMessage", timeout=10)
    # The download hangs: the process is in the middle of the check when it is killed.
    hang = Failure(status=500, delay=60)
    slack.fail_next("files.download", hang)
    _, message, reply = first.driver.upload(
        "products.csv", PRODUCTS_WITH_WARNING, user=ANN, channel=CHANNEL
    )
    assert reply.status == 200
    slack.wait_for("chat.postMessage", lambda c: c.params.get("thread_ts") == message.ts)
    deadline = time.monotonic() + 10
    while hang.times > 0:  # the emulator took the download request and holds it
        assert time.monotonic() < deadline, "the download never started"
        time.sleep(0.02)
    engine = create_engine(f"sqlite:///{database}")
    try:
        first.kill()
        with engine.begin() as connection:
            row = connection.execute(text("SELECT status, attempts FROM processed_files")).one()
            assert tuple(row) == ("received", 1)
            # Five minutes pass: the dead process's lease runs out.
            past = (datetime.now(UTC) - timedelta(seconds=1)).strftime("%Y-%m-%d %H:%M:%S.%f")
            connection.execute(text("UPDATE processed_files SET lease_until = :t"), {"t": past})
        second = Serve(slack, database)
        processes.append(second)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with engine.connect() as connection:
                status = connection.execute(text("SELECT status FROM processed_files")).scalar()
            if status != "received":
                break
            time.sleep(0.1)
        assert status == "checked"
    finally:
        engine.dispose()
    slack.wait_quiet(quiet=0.3)
    [verdict] = answers_in_thread(slack, message)
    assert "ready to import" in texts(verdict)
    assert uploads_in_thread(slack, message) == ["products-errors.csv", "products-normalized.csv"]
    checking = [
        c
        for c in slack.calls_to("chat.postMessage")
        if c.params.get("thread_ts") == message.ts and c.status == 200
    ]
    assert len(checking) == 1
