"""A job worker asked to stop while it starts (bot/worker_cmd.py): the request is noted, not
fatal, so the worker stops cleanly and says so instead of vanishing without a word."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
from collections.abc import Iterator

import procrastinate
import pytest

from bot.jobqueue import conninfo
from bot.worker_cmd import _note_early_stops, _work
from core.store.database import create_database_engine, migrate


@pytest.fixture
def saved_handlers() -> Iterator[None]:
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
    yield
    for sig, handler in handlers.items():
        signal.signal(sig, handler)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_stop_while_starting_is_noted_not_fatal(saved_handlers: None, sig: int) -> None:
    asked = _note_early_stops()
    assert not asked.is_set()
    os.kill(os.getpid(), sig)  # delivered to the main thread before os.kill returns
    assert asked.is_set()


def test_ctrl_c_stays_ignored_where_the_front_ignores_it(saved_handlers: None) -> None:
    """A worker process of serve ignores Ctrl-C (the front coordinates the stop)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _note_early_stops()
    assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN


def test_a_stop_noted_before_procrastinate_listened_stops_the_running_worker(
    pg_url: str,
) -> None:
    """The stop came after the start-up check but before procrastinate installed its own
    handlers: the worker must still stop (it used to wait for jobs forever)."""
    engine = create_database_engine(pg_url)
    migrate(engine)
    engine.dispose()
    queue = procrastinate.App(
        connector=procrastinate.PsycopgConnector(conninfo=conninfo(pg_url), min_size=1)
    )
    asked = threading.Event()
    asked.set()

    async def run() -> None:
        await asyncio.wait_for(_work(queue, 1, "worker-t", lambda: None, asked), timeout=20)

    asyncio.run(run())  # a TimeoutError here is the worker that never stopped
