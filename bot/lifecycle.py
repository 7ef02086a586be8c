"""Start and stop of a long-running process: signals, and the background work beside the
listeners or the job worker.

`serve`, `socket` (``bot.modes``) and `worker` (``bot.worker_cmd``) all start and stop through
here, so none of them imports another for it (those imports used to be hidden in functions to
dodge an import cycle ``__main__`` ↔ ``modes`` ↔ ``local_workers`` ↔ ``worker_cmd``).
"""

from __future__ import annotations

import gc
import logging
import signal
import time
from typing import Any, NoReturn

from bot.jobqueue import JobQueue
from bot.recovery import resume_unfinished_checks, start_import_resumer
from bot.scheduler import start_numbering_scheduler
from bot.wiring import Runtime

log = logging.getLogger("bot")


def _terminate(*_: Any) -> NoReturn:
    # The stop has begun: a second SIGTERM or Ctrl-C (an impatient process manager, a user
    # pressing twice) must not interrupt the drain that finishes acknowledged work.
    signal.signal(signal.SIGTERM, _already_stopping)
    signal.signal(signal.SIGINT, _already_stopping)
    raise KeyboardInterrupt


def _already_stopping(*_: Any) -> None:
    log.warning("already stopping: finishing the work in hand (SIGKILL to stop at once)")


def install_sigterm() -> None:
    """Treat SIGTERM (what process managers send) like Ctrl-C: stop cleanly, once."""
    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGINT, _terminate)


def sleep_until_stopped() -> NoReturn:
    """Hold the main thread until SIGTERM or Ctrl-C (the ``KeyboardInterrupt`` of
    ``install_sigterm``), waking every second.

    Linux hands a process's signal to any one of its threads. CPython runs the Python
    handler in the main thread, but only once that thread runs again: asleep in an untimed
    wait it may never do (Bolt's Socket Mode ``start()`` ends in ``Event().wait()``), and
    `socket` then ignored SIGTERM until it was killed. A timed sleep notices within a second.
    """
    while True:
        time.sleep(1.0)


def start_background_jobs(runtime: Runtime, queue: JobQueue | None) -> list[object]:
    """What runs beside the listeners in `serve` and `socket`: the numbering scheduler (with
    the job queue, its ticks only ask for rounds) and, on SQLite, the one-off resumer of file
    checks the previous process left unfinished (on PostgreSQL their jobs run again) and the
    import resumer (on PostgreSQL the job workers run it)."""
    scheduler = start_numbering_scheduler(runtime, queue.defer_round if queue else None)
    jobs: list[object] = [] if scheduler is None else [scheduler]
    if queue is None:
        resume_unfinished_checks(runtime)
        jobs.append(start_import_resumer(runtime))
    return jobs


def stop_jobs(jobs: list[object]) -> None:
    for job in jobs:
        stop = getattr(job, "shutdown", None)
        if callable(stop):
            stop()


def freeze_startup_objects() -> None:
    """Keep what start-up built (modules, the app, the engine) out of future garbage collections.

    A full collection walks every tracked object while holding the GIL; with polars,
    SQLAlchemy and Bolt loaded that took 190 ms in `serve`, and every request in flight waited
    for it (load bench: the p99 acknowledgement). Frozen objects are never collected, which is
    what start-up objects need anyway.
    """
    gc.collect()
    gc.freeze()
