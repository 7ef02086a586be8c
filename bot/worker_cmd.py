"""`python -m bot worker [--concurrency N]`: run jobs from the PostgreSQL queue, anywhere.

A worker needs what the listeners need (the bot token, the database, the upstream URLs) and
no signing secret, no port: it may run on any machine that reaches the database. `serve` and
`socket` start ``WORKER_PROCESSES`` of these themselves (``bot.local_workers``);
``WORKER_PROCESSES=0`` with separate `worker` processes is the scale-out shape.

Besides running jobs, every worker keeps the queue moving:

- a job whose worker stopped sending heartbeats (killed, OOM, the machine gone) is put back
  to run again (procrastinate leaves that to us); one that took its worker down
  ``MAX_RUNS`` times is failed instead, so a poison job cannot kill workers forever;
- finished jobs and the journal of answers given (``bot.answer_journal``) are deleted after
  ``KEEP_FINISHED`` (jobs also recognise a late Slack retry, which comes within minutes).

Every process runs the APScheduler; on PostgreSQL its tick only asks for a numbering round
(``bot.jobqueue``), which one worker runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
import signal
import sys
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

import procrastinate
from procrastinate import exceptions as procrastinate_errors
from procrastinate.jobs import Status
from sqlalchemy.exc import SQLAlchemyError

from bot.app import build_app
from bot.job_runner import JobRunner, register_tasks
from bot.jobqueue import JobQueue, conninfo, uses_job_queue
from bot.lifecycle import freeze_startup_objects, stop_jobs
from bot.recovery import start_import_resumer
from bot.scheduler import build_numbering_round, start_numbering_scheduler
from bot.wiring import Runtime, build_runtime
from core.store.errors import StoreUnavailable

if TYPE_CHECKING:
    from bot.config import Settings

log = logging.getLogger("bot.worker")
# How often a worker looks for a stop that came while it was starting.
STOP_CHECK_SECONDS = 0.2

DEFAULT_CONCURRENCY = 8
# Heartbeats every HEARTBEAT seconds; a worker silent for STALLED_AFTER is taken for dead
# (procrastinate's default; shorter would take a worker busy under load for a dead one).
HEARTBEAT = 5.0
STALLED_AFTER = 30.0
# How often a worker looks for jobs of dead workers, and for old finished jobs.
LOOK_EVERY = 10.0
CLEAN_EVERY = timedelta(hours=1)
KEEP_FINISHED = timedelta(days=1)
# A job started this many times without finishing (each start killed its worker) is failed.
# One more than the file intake's own attempts, so that a file that kills its worker gets
# the intake's apology in its thread on the last run.
MAX_RUNS = 4


class WithoutPayloads(logging.Filter):
    """procrastinate names a job with its arguments (``bot.request[12](key=…, body={…})``):
    a request's payload holds what people typed and its response_url, a credential. Log lines
    keep the task and the job id only."""

    _CALL = re.compile(
        r"(\b[\w.]+\[\d+\])\(.*\)(?= ended with status| \(started [\d.]+ s ago\)$|$)",
        re.DOTALL,
    )

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        stripped = self._CALL.sub(r"\1", message)
        if stripped != message:
            record.msg, record.args = stripped, None
        return True


def quiet_procrastinate(level: str) -> None:
    """Its per-job start and end lines at INFO would double every request's log; failures
    (WARNING and up) stay, without payloads."""
    # On the handlers: a logger's own filters do not see its children's records.
    for handler in logging.getLogger().handlers:
        handler.addFilter(WithoutPayloads())
    if logging.getLevelName(level) > logging.DEBUG:
        logging.getLogger("procrastinate").setLevel(logging.WARNING)


def configuration_problem(settings: Settings) -> str | None:
    if not uses_job_queue(settings.database_url):
        return (
            "configuration error: worker needs the job queue on PostgreSQL "
            "(DATABASE_URL=postgresql+psycopg://…); with SQLite, serve and socket do the work "
            "in-process"
        )
    if settings.slack_bot_token is None and not settings.oauth_configured:
        return (
            "configuration error: worker needs SLACK_BOT_TOKEN, or SLACK_CLIENT_ID and "
            "SLACK_CLIENT_SECRET (OAuth: each job is answered with its workspace's token)"
        )
    return None


def run_worker(
    settings: Settings,
    concurrency: int = DEFAULT_CONCURRENCY,
    *,
    migrate: bool = True,
    name: str | None = None,
) -> int:
    """Run jobs until SIGTERM/SIGINT (then finish the running ones); the exit code."""
    problem = configuration_problem(settings)
    if problem is not None:
        print(problem, file=sys.stderr)
        return 2
    if concurrency < 1:
        print("configuration error: --concurrency must be at least 1", file=sys.stderr)
        return 2
    stop_asked = _note_early_stops()
    quiet_procrastinate(settings.log_level)
    runtime = build_runtime(settings, run_migrations=migrate, reseal=migrate, job_worker=True)
    app = build_app(settings, runtime.deps, verify_requests=False, inline=True)
    queue = procrastinate.App(
        connector=procrastinate.PsycopgConnector(
            conninfo=conninfo(settings.database_url), min_size=1, max_size=concurrency + 4
        )
    )
    register_tasks(queue, JobRunner(app, build_numbering_round(runtime)))
    deferrer = JobQueue(settings.database_url, pool_size=2).open()
    scheduler = start_numbering_scheduler(runtime, deferrer.defer_round)
    jobs: list[object] = [scheduler] if scheduler is not None else []
    jobs.append(start_import_resumer(runtime))
    worker_name = name or f"worker-{os.getpid()}"
    freeze_startup_objects()
    log.info("%s ready: up to %d job(s) at a time (pid %d)", worker_name, concurrency, os.getpid())
    try:
        if stop_asked.is_set():
            log.info("%s was asked to stop while starting: it took no job", worker_name)
        else:
            asyncio.run(_work(queue, concurrency, worker_name, _forgetter(runtime), stop_asked))
    finally:
        stop_jobs(jobs)
        deferrer.close()
        runtime.close()
    log.info("%s stopped", worker_name)
    return 0


def _note_early_stops() -> threading.Event:
    """Until procrastinate installs its own handlers, a SIGTERM (or Ctrl-C) is noted rather than
    fatal: a worker stopped while it starts (imports take seconds on a busy machine) stops
    cleanly, saying so, instead of vanishing without a word."""
    asked = threading.Event()

    def note(*_: object) -> None:
        asked.set()

    signal.signal(signal.SIGTERM, note)
    if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
        signal.signal(signal.SIGINT, note)
    return asked


def _forgetter(runtime: Runtime) -> Callable[[], None]:
    def forget_old_answers() -> None:
        with runtime.deps.uow() as uow:
            uow.answers.forget_before(runtime.deps.clock() - KEEP_FINISHED)
            uow.commit()

    return forget_old_answers


async def _work(
    queue: procrastinate.App,
    concurrency: int,
    name: str,
    forget: Callable[[], None],
    stop_asked: threading.Event,
) -> None:
    async with queue.open_async():
        upkeep = asyncio.create_task(keep_the_queue_moving(queue, forget))
        worker = asyncio.create_task(
            queue.run_worker_async(
                name=name,
                concurrency=concurrency,
                update_heartbeat_interval=HEARTBEAT,
                stalled_worker_timeout=STALLED_AFTER,
                install_signal_handlers=True,
            )
        )
        # A stop asked before procrastinate's own handlers were in place was only noted:
        # cancelling the worker stops it as gracefully as its handlers would.
        watch = asyncio.create_task(_cancel_when_asked(stop_asked, worker))
        try:
            await worker
        except asyncio.CancelledError:
            stopped_here = watch.done() and not watch.cancelled() and watch.result()
            if not stopped_here:
                raise  # this worker itself is being cancelled
        finally:
            for task in (watch, upkeep):
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task


async def _cancel_when_asked(stop_asked: threading.Event, worker: asyncio.Task[None]) -> bool:
    while not stop_asked.is_set():
        await asyncio.sleep(STOP_CHECK_SECONDS)
    worker.cancel()
    return True


async def keep_the_queue_moving(queue: procrastinate.App, forget: Callable[[], None]) -> None:
    cleaned_at = asyncio.get_running_loop().time()
    while True:
        try:
            await rerun_stalled_jobs(queue)
            now = asyncio.get_running_loop().time()
            if now - cleaned_at >= CLEAN_EVERY.total_seconds():
                cleaned_at = now
                await queue.job_manager.delete_old_jobs(
                    nb_hours=int(KEEP_FINISHED.total_seconds() // 3600), include_failed=True
                )
                await asyncio.to_thread(forget)
        except (procrastinate_errors.ConnectorException, SQLAlchemyError, StoreUnavailable):
            log.warning("could not look after the job queue (database away?)", exc_info=True)
        await asyncio.sleep(LOOK_EVERY)


async def rerun_stalled_jobs(queue: procrastinate.App) -> int:
    """Put the jobs of workers that stopped answering back in the queue; how many."""
    stalled = await queue.job_manager.get_stalled_jobs(seconds_since_heartbeat=STALLED_AFTER)
    rerun = 0
    for job in stalled:
        assert job.id is not None
        try:
            if job.attempts + 1 >= MAX_RUNS:
                await queue.job_manager.finish_job_by_id_async(
                    job.id, status=Status.FAILED, delete_job=False
                )
                log.error(
                    "job %d (%s) was started %d times and each time its worker died: failed",
                    job.id,
                    job.task_name,
                    job.attempts + 1,
                )
                continue
            await queue.job_manager.retry_job(job)
        except procrastinate_errors.ConnectorException:
            continue  # another worker put it back first
        rerun += 1
        log.warning(
            "job %d (%s) was running on a worker that stopped answering: it runs again",
            job.id,
            job.task_name,
        )
    return rerun
