"""Worker processes: the work after `ack()` runs outside the process that acknowledges.

`serve` and `socket` acknowledge every request in the front process and hand it over, as the
payload Bolt parsed, to a worker process; the worker dispatches it through its own Bolt app
with the same listeners, which now run the real work (rendering and editing the checklist,
downloading and checking files, upstream calls). The front never shares a GIL with that work,
and the workers run at a lower CPU priority, so under load acknowledgements come first and the
work catches up after: at 50 concurrent clients on 2 cores and PostgreSQL the p99
acknowledgement went from 4.6× to 1.7× a bare Bolt app's (bench/bench_load.py, README
"Measured").

The front keeps a queue per worker (a worker killed while reading cannot wedge another's
queue), replaces a worker that dies, and hands what was still queued for it to the new one.
A worker exits the moment the front does, however the front ended, so `serve` stays one unit
for process managers: SIGKILL it and no orphan keeps posting; SIGTERM it and the front stops
taking requests, the workers finish what was acknowledged, and then everything exits.
`WORKER_PROCESSES=0` keeps the work in the front process on a thread pool instead.
"""

from __future__ import annotations

import itertools
import logging
import multiprocessing
import os
import queue
import signal
import threading
from dataclasses import dataclass
from multiprocessing.connection import wait
from multiprocessing.context import SpawnProcess
from multiprocessing.queues import Queue
from typing import TYPE_CHECKING, Any, cast

from slack_bolt import BoltContext, BoltRequest
from slack_bolt.request.internals import build_context

if TYPE_CHECKING:
    from bot.config import Settings

log = logging.getLogger("bot.workers")

# Background work yields the CPU to acknowledgements when both want it (Unix nice levels:
# 0 is the default, 19 the lowest); with idle cores it runs at full speed all the same.
WORKER_NICENESS = 10
# Requests a worker takes on at once; the rest wait in its queue, where a replacement can pick
# them up if this worker dies.
WORKER_IN_FLIGHT = 16


@dataclass(frozen=True)
class Handoff:
    """An acknowledged request as it travels to a worker: the payload as the front parsed it
    (`bot.server` corrects one misreading of Bolt's), with the headers and the mode."""

    mode: str
    raw_body: str
    body: dict[str, Any]
    headers: dict[str, list[str]]

    @classmethod
    def of(cls, request: BoltRequest) -> Handoff:
        return cls(
            mode=request.mode,
            raw_body=request.raw_body,
            body=request.body,
            headers={name: list(values) for name, values in request.headers.items()},
        )

    def request(self) -> BoltRequest:
        raw_or_body: str | dict[str, Any] = self.raw_body if self.mode == "http" else self.body
        rebuilt = BoltRequest(body=raw_or_body, headers=dict(self.headers), mode=self.mode)
        rebuilt.body = self.body
        rebuilt.context = build_context(BoltContext(), self.body)
        return rebuilt


class WorkerPool:
    """The front's side: starts the workers, hands requests over, replaces dead workers."""

    def __init__(self, settings: Settings, count: int, *, socket_mode: bool = False) -> None:
        if count < 1:
            raise ValueError("a worker pool needs at least one worker")
        self.settings = settings
        self.count = count
        self.socket_mode = socket_mode
        self._context = multiprocessing.get_context("spawn")
        self._lock = threading.Lock()
        self._queues: list[Queue[Handoff | None]] = []
        self._processes: list[SpawnProcess] = []
        self._turn = itertools.count()
        self._closing = threading.Event()
        self._supervisor = threading.Thread(target=self._supervise, name="workers", daemon=True)
        self.restarts = 0

    def start(self) -> WorkerPool:
        for index in range(self.count):
            work: Queue[Handoff | None] = self._context.Queue()
            self._queues.append(work)
            self._processes.append(self._spawn(index, work))
        self._supervisor.start()
        return self

    def hand_off(self, request: BoltRequest) -> None:
        """Queue an acknowledged request for the next worker (returns at once)."""
        item = Handoff.of(request)
        with self._lock:
            index = next(self._turn) % self.count
            self._queues[index].put(item)

    def alive(self) -> bool:
        with self._lock:
            return all(process.is_alive() for process in self._processes)

    def close(self) -> None:
        """Let every worker finish what it was handed, then stop it."""
        self._closing.set()
        self._supervisor.join()
        with self._lock:
            for work in self._queues:
                work.put(None)
            processes = list(self._processes)
        log.info("waiting for %d worker(s) to finish the acknowledged work", len(processes))
        for process in processes:
            process.join()
        for work in self._queues:
            work.close()

    def _spawn(self, index: int, work: Queue[Handoff | None]) -> SpawnProcess:
        process = self._context.Process(
            target=worker_main,
            args=(self.settings, work, index, self.socket_mode),
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
        replacement: Queue[Handoff | None] = self._context.Queue()
        with self._lock:
            # New requests go to the new worker from here on; the lock is held only this long.
            dead, stranded = self._processes[index], self._queues[index]
            self._queues[index] = replacement
            self._processes[index] = self._spawn(index, replacement)
            self.restarts += 1
        dead.join()
        waiting = _drain(stranded)
        for item in waiting:
            replacement.put(item)
        log.error(
            "worker %d exited unexpectedly (exit code %s); started a new one and handed it the "
            "%d request(s) still queued; what the dead worker was doing is lost, file checks "
            "are resumed by the intake resumer",
            index,
            dead.exitcode,
            len(waiting),
        )
        stranded.close()


def _drain(work: Queue[Handoff | None]) -> list[Handoff]:
    """What is still in a dead worker's queue. If it died while reading, its read lock stays
    taken and the queue cannot be read: give up after a moment rather than hang."""
    items: list[Handoff] = []
    while True:
        try:
            item = work.get(timeout=0.2)
        except (queue.Empty, OSError, EOFError):
            return items
        if item is not None:
            items.append(item)


def worker_main(
    settings: Settings, work: Queue[Handoff | None], index: int, socket_mode: bool
) -> None:
    """A worker process: dispatch handed-over requests until told to stop."""
    # The front coordinates shutdown (Ctrl-C reaches the whole process group; systemd sends
    # SIGTERM to every process): a worker drains its queue and stops when the front says so.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _exit_with_the_front()
    if hasattr(os, "nice"):
        os.nice(WORKER_NICENESS)

    from bot.app import build_app
    from bot.logs import configure_logging, secrets_of
    from bot.modes import freeze_startup_objects, start_background_jobs, stop_jobs
    from bot.wiring import build_runtime

    configure_logging(settings.log_level, secrets_of(settings))
    runtime = build_runtime(settings, run_migrations=False, reseal=False)
    app = build_app(settings, runtime.deps, socket_mode=socket_mode, verify_requests=False)
    # One worker runs the periodic jobs (they take leases, so a second would only idle).
    jobs = start_background_jobs(runtime) if index == 0 else []
    freeze_startup_objects()
    log.info("worker %d ready (pid %d)", index, os.getpid())
    executor = runtime.deps.executor
    try:
        while True:
            # Take the next request only when there is room: until then it stays in the
            # queue, where a replacement finds it if this worker dies.
            executor.wait_below(WORKER_IN_FLIGHT)
            item = work.get()
            if item is None:
                break
            try:
                app.dispatch(item.request())
            except Exception:
                log.exception("worker %d could not dispatch a request", index)
    finally:
        stop_jobs(jobs)
        runtime.close()
    log.info("worker %d stopped", index)


def _exit_with_the_front() -> None:
    """Exit at once when the front process ends, however it ended (even SIGKILL)."""
    front = multiprocessing.parent_process()
    if front is None:
        return

    def watch() -> None:
        wait([front.sentinel])
        os._exit(0)

    threading.Thread(target=watch, name="front-watch", daemon=True).start()
