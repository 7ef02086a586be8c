"""The worker processes `serve` and `socket` start themselves on PostgreSQL (``WORKER_PROCESSES``),
so that one command still runs everything on one machine.

Each is a `worker` (``bot.worker_cmd``) in a child process: nothing is handed over in memory,
the jobs are in the database, so what stays here is only supervision. A worker that dies is
replaced (its running jobs run again once its heartbeat is missed); a worker exits the moment
the front does, however the front ended, so `serve` stays one unit for process managers; on
SIGTERM the front asks each worker to finish its running jobs and waits. Jobs still waiting
stay in the queue for the next start, or for `worker` processes elsewhere. Workers run at a
lower CPU priority: acknowledgements come first when both want the CPU.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
from multiprocessing.connection import wait
from multiprocessing.context import SpawnProcess
from typing import TYPE_CHECKING, cast

from bot.logs import configure_logging, secrets_of
from bot.worker_cmd import DEFAULT_CONCURRENCY, run_worker

if TYPE_CHECKING:
    from bot.config import Settings

log = logging.getLogger("bot.workers")

# Unix nice levels: 0 is the default, 19 the lowest.
WORKER_NICENESS = 10


class LocalWorkers:
    def __init__(self, settings: Settings, count: int) -> None:
        if count < 1:
            raise ValueError("at least one worker process")
        self.settings = settings
        self.count = count
        self._context = multiprocessing.get_context("spawn")
        self._lock = threading.Lock()
        self._processes: list[SpawnProcess] = []
        self._closing = threading.Event()
        self._supervisor = threading.Thread(target=self._supervise, name="workers", daemon=True)
        self.restarts = 0

    def start(self) -> LocalWorkers:
        self._processes = [self._spawn(index) for index in range(self.count)]
        self._supervisor.start()
        log.info("%d worker process(es) run the jobs of this machine", self.count)
        return self

    def close(self, timeout: float = 120) -> None:
        """Ask every worker to finish its running jobs, and wait for them."""
        self._closing.set()
        self._supervisor.join()
        with self._lock:
            processes = list(self._processes)
        log.info("waiting for %d worker(s) to finish their running jobs", len(processes))
        for process in processes:
            if process.pid is not None and process.is_alive():
                os.kill(process.pid, signal.SIGTERM)
        for process in processes:
            process.join(timeout)

    def _spawn(self, index: int) -> SpawnProcess:
        process = self._context.Process(
            target=worker_process,
            args=(self.settings, index),
            name=f"rackbeat-bot-worker-{index}",
            daemon=False,
        )
        process.start()
        return process

    def _supervise(self) -> None:
        while not self._closing.is_set():
            with self._lock:
                sentinels = [process.sentinel for process in self._processes]
            for ended in wait(sentinels, timeout=0.5):
                if not self._closing.is_set():
                    self._replace(sentinels.index(cast(int, ended)))

    def _replace(self, index: int) -> None:
        with self._lock:
            dead = self._processes[index]
            self._processes[index] = self._spawn(index)
            self.restarts += 1
        dead.join()
        log.error(
            "worker %d exited unexpectedly (exit code %s); started a new one (its running jobs "
            "run again once its heartbeat is missed)",
            index,
            dead.exitcode,
        )


def worker_process(settings: Settings, index: int) -> None:
    """A child process of `serve`/`socket`: a `worker`, tied to its front."""
    # Ctrl-C reaches the whole process group: the front coordinates the stop (SIGTERM).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with_the_front()
    if hasattr(os, "nice"):
        os.nice(WORKER_NICENESS)
    configure_logging(settings.log_level, secrets_of(settings))
    run_worker(settings, DEFAULT_CONCURRENCY, migrate=False, name=f"worker-{index}")


def _exit_with_the_front() -> None:
    """Exit at once when the front process ends, however it ended (even SIGKILL): the jobs
    this worker was running run again elsewhere."""
    front = multiprocessing.parent_process()
    if front is None:
        return

    def watch() -> None:
        wait([front.sentinel])
        os._exit(0)

    threading.Thread(target=watch, name="front-watch", daemon=True).start()
