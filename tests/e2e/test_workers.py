"""`serve` on PostgreSQL with its own worker processes (bot/local_workers.py), as a real
process: the front stores and acknowledges, a worker does the work; a worker that dies is
replaced; SIGTERM finishes what was running; SIGKILL of the front leaves no worker behind. On
SQLite the front does the work itself."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.localslack import LocalSlack
from handlers.messages import t
from tests.faults.support import ANN, CHANNEL, PRODUCTS_WITH_WARNING, answers_in_thread, texts
from tests.serve_process import ServeProcess, share_during_a_slow_download


@pytest.fixture
def database(pg_url: str) -> str:
    return pg_url


@pytest.fixture
def started(tmp_path: Path) -> Iterator[list[ServeProcess]]:
    processes: list[ServeProcess] = []
    yield processes
    for serve in processes:
        serve.stop()


def serve(
    slack: LocalSlack, tmp_path: Path, started: list[ServeProcess], url: str, **env: str
) -> ServeProcess:
    process = ServeProcess(slack, url, tmp_path, env)
    started.append(process)
    return process


def wait_until(condition: Callable[[], bool], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "gave up waiting"
        time.sleep(0.05)


def help_answers(slack: LocalSlack) -> int:
    return sum(
        1 for call in slack.calls_to("response_url") if t("help.intro") in call.params["text"]
    )


def test_the_front_acknowledges_and_a_worker_answers(
    slack: LocalSlack, tmp_path: Path, started: list[ServeProcess], database: str
) -> None:
    bot = serve(slack, tmp_path, started, database)
    assert bot.health()[0] == 200
    wait_until(lambda: len(bot.workers()) == 1)
    [worker] = bot.workers()
    assert bot.driver.command("help", user=ANN, channel=CHANNEL).status == 200
    wait_until(lambda: help_answers(slack) == 1)
    assert f"worker-0 ready: up to 8 job(s) at a time (pid {worker})" in bot.stderr()


def test_several_workers_share_the_requests_and_each_is_answered_once(
    slack: LocalSlack, tmp_path: Path, started: list[ServeProcess], database: str
) -> None:
    bot = serve(slack, tmp_path, started, database, WORKER_PROCESSES="3")
    wait_until(lambda: len(bot.workers()) == 3)
    for _ in range(9):
        assert bot.driver.command("help", user=ANN, channel=CHANNEL).status == 200
    wait_until(lambda: help_answers(slack) == 9)
    # SIGTERM drains the workers: once serve has exited, nothing more can be answered, so a
    # request answered twice (however late) shows here.
    assert bot.terminate() == 0
    assert help_answers(slack) == 9
    log = bot.stderr()
    assert all(f"worker-{index} stopped" in log for index in range(3))


def test_a_killed_worker_is_replaced_and_the_next_command_is_answered(
    slack: LocalSlack, tmp_path: Path, started: list[ServeProcess], database: str
) -> None:
    bot = serve(slack, tmp_path, started, database)
    wait_until(lambda: len(bot.workers()) == 1)
    [first] = bot.workers()
    os.kill(first, signal.SIGKILL)
    wait_until(lambda: bot.workers() not in ([], [first]))
    assert bot.health()[0] == 200
    assert bot.driver.command("help", user=ANN, channel=CHANNEL).status == 200
    wait_until(lambda: help_answers(slack) == 1)
    log = bot.stderr()
    assert "worker 0 exited unexpectedly (exit code -9)" in log
    assert bot.terminate() == 0


@pytest.mark.parametrize("sigterms", [1, 2], ids=["sigterm", "impatient-second-sigterm"])
def test_sigterm_finishes_the_check_of_a_file_it_acknowledged(
    slack: LocalSlack, tmp_path: Path, started: list[ServeProcess], database: str, sigterms: int
) -> None:
    """A second SIGTERM (an impatient process manager, or a second Ctrl-C) while the
    acknowledged work drains does not cut the drain short."""
    slack.add_user(ANN, "ann")
    bot = serve(slack, tmp_path, started, database)
    # SIGTERM arrives while the first download attempt is held for a while.
    message = share_during_a_slow_download(
        slack, bot, ANN, CHANNEL, PRODUCTS_WITH_WARNING, delay=1.5
    )
    bot.process.terminate()
    if sigterms == 2:
        wait_until(lambda: "to finish their running jobs" in bot.stderr(), timeout=30)
        bot.process.terminate()
    assert bot.process.wait(timeout=60) == 0
    [verdict] = answers_in_thread(slack, message)
    assert "ready to import" in texts(verdict)
    log = bot.stderr()
    assert "Traceback" not in log and "KeyboardInterrupt" not in log
    assert ("already stopping" in log) == (sigterms == 2)


def test_no_worker_outlives_a_killed_front(
    slack: LocalSlack, tmp_path: Path, started: list[ServeProcess], database: str
) -> None:
    bot = serve(slack, tmp_path, started, database, WORKER_PROCESSES="2")
    wait_until(lambda: len(bot.workers()) == 2)
    workers = bot.workers()
    bot.kill()

    def gone(pid: int) -> bool:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        # A zombie waits for its reaper (init); it runs nothing any more.
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"

    wait_until(lambda: all(gone(pid) for pid in workers), timeout=10)


def test_on_sqlite_the_front_does_the_work_itself(
    slack: LocalSlack, tmp_path: Path, started: list[ServeProcess]
) -> None:
    bot = serve(slack, tmp_path, started, f"sqlite:///{tmp_path / 'bot.db'}")
    assert bot.health() == (200, {"status": "ok", "database": "ok"})
    assert bot.workers() == []
    assert bot.driver.command("help", user=ANN, channel=CHANNEL).status == 200
    wait_until(lambda: help_answers(slack) == 1)
