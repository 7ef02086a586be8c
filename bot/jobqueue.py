"""The durable job queue on PostgreSQL (procrastinate): what fronts, schedulers and `/healthz`
need of it. Workers run the jobs (``bot.job_runner``, ``bot.worker_cmd``).

On PostgreSQL, `serve` and `socket` store every acknowledged request as a job *before* Slack
gets its acknowledgement (``Registrar`` calls ``defer_request`` first, then ``ack()``), so a
front that dies (SIGKILL, OOM, a reboot) loses nothing: the job waits in the database for any
worker on any machine. One job per Slack request: the job carries the request's identity
(``request_key``) and a unique index on it (migration ``0010_i10_jobs``) turns a Slack retry of
a late acknowledgement into "already stored" instead of a second job.

The numbering round is a job too, deferred by every process's APScheduler with a queueing
lock: however many processes tick, at most one round waits, and one worker runs it.

SQLite and the console have no queue: their work runs in-process on a thread pool.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

import procrastinate
import psycopg
from procrastinate import exceptions as procrastinate_errors
from procrastinate import jobs as procrastinate_jobs
from psycopg import Connection
from psycopg import errors as pg_errors
from psycopg.conninfo import make_conninfo
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool, PoolTimeout
from slack_bolt import BoltRequest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from bot.group_commit import STORING_THREADS, GroupCommit
from core.store.errors import StoreUnavailable

log = logging.getLogger("bot.jobqueue")
R = TypeVar("R")

REQUEST_TASK = "bot.request"
ROUND_TASK = "bot.numbering_round"
ROUND_LOCK = "numbering-round"
REQUEST_KEY_INDEX = "ix_jobs_request_key"
# Connections a front keeps for storing jobs: one per storing thread of the group commit,
# and one for the numbering round's request.
FRONT_POOL_SIZE = STORING_THREADS + 1
# How long storing waits for a connection before the request fails: Slack gives up on an
# acknowledgement after 3 s, so waiting longer (the pool's default is 30 s) only holds a
# server thread while the database is away.
CONNECTION_WAIT_SECONDS = 2.5
# How the pool's connections show in pg_stat_activity.
POOL_APPLICATION_NAME = "rackbeat-bot jobs"
# Requests are stored through procrastinate's own defer function (`Task.batch_defer` calls
# the same), with the jobs' arguments sent as one binary ``jsonb[]`` (the ``%(args)b``
# placeholder: with ``%s`` psycopg picks its text array dumper, which escapes every quote of
# every payload through a Python regex callback, 8 % of the front's GIL under a flood).
# `batch_defer` sends them as a text array of composites, escaped the same way: measured on
# the load bench, a third of the front's CPU under a flood, and 2–4 times the front's CPU a
# job (`bench/RESULTS-load.md`). Same rows, same triggers, same function:
# `tests/bot/test_jobqueue.py` compares them with `batch_defer`'s, so an upgrade of
# procrastinate that changes the function shows there, and fails if the text dumper is used.
_DEFER_REQUESTS = """
SELECT procrastinate_defer_jobs_v1(ARRAY(
  SELECT ROW(%(queue)s, %(task)s, %(priority)s, NULL, NULL, job.args, NULL)
         ::procrastinate_job_to_defer_v1
    FROM unnest(%(args)b::jsonb[]) WITH ORDINALITY AS job(args, position)
   ORDER BY job.position))
"""


def uses_job_queue(database_url: str) -> bool:
    """Whether this database carries the job queue (PostgreSQL does, SQLite does not)."""
    return make_url(database_url).get_backend_name() == "postgresql"


def conninfo(database_url: str) -> str:
    """``database_url`` (SQLAlchemy's form) as the libpq connection string psycopg takes:
    the same host, credentials and query parameters (``options=-csearch_path=…`` included,
    spaces and all: a URL re-rendered would turn them into ``+``)."""
    url = make_url(database_url)
    params: dict[str, Any] = {
        "host": url.host,
        "port": url.port,
        "user": url.username,
        "password": url.password,
        "dbname": url.database,
    }
    for name, value in url.query.items():
        params[name] = value if isinstance(value, str) else value[-1]
    return make_conninfo(**{name: value for name, value in params.items() if value is not None})


def request_key(body: dict[str, Any]) -> str:
    """The identity of a Slack request, the same on every retry of it.

    An Events API delivery has its ``event_id``; a slash command, a click or a form its
    ``trigger_id`` (a click's ``action_ts`` too, as some surfaces send no trigger). Anything
    else is identified by its content, which a retry repeats byte for byte.
    """
    event_id = body.get("event_id")
    if isinstance(event_id, str) and event_id:
        return f"event:{event_id}"
    trigger = body.get("trigger_id")
    actions = body.get("actions")
    action_ts = ""
    if isinstance(actions, list) and actions and isinstance(actions[0], dict):
        action_ts = str(actions[0].get("action_ts") or "")
    if isinstance(trigger, str) and trigger:
        return f"trigger:{trigger}:{action_ts}" if action_ts else f"trigger:{trigger}"
    digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode("utf-8")).hexdigest()
    return f"body:{digest}"


def request_payload(request: BoltRequest) -> dict[str, Any]:
    """What a worker needs to run a request's listeners again: the payload as the front
    parsed it (``bot.server`` corrects one misreading of Bolt's) and the mode. The raw body
    and the headers stay behind: nothing after ``ack()`` reads them (signatures were checked),
    and every byte stored is written, and indexed, in the acknowledgement's time."""
    return {
        "key": request_key(request.body),
        "mode": request.mode,
        "body": request.body,
        "content_type": request.content_type or "",
    }


@dataclass(frozen=True)
class QueueHealth:
    waiting: int
    oldest_seconds: float
    # Seconds since a worker last took a job (None: no job was ever taken).
    since_last_start: float | None

    def stuck(self, threshold_seconds: float) -> bool:
        """Jobs wait, the oldest for longer than ``threshold_seconds``, and no worker took
        any job for as long: nobody is working the queue."""
        if self.waiting == 0 or self.oldest_seconds <= threshold_seconds:
            return False
        return self.since_last_start is None or self.since_last_start > threshold_seconds

    def as_json(self) -> dict[str, Any]:
        return {"waiting": self.waiting, "oldest_seconds": round(self.oldest_seconds, 1)}


_HEALTH = text(
    """
    SELECT
      (SELECT count(*) FROM procrastinate_jobs
        WHERE status = 'todo' AND (scheduled_at IS NULL OR scheduled_at <= now())) AS waiting,
      (SELECT EXTRACT(EPOCH FROM now() - min(e.at))
         FROM procrastinate_events e
        WHERE e.type = 'deferred' AND e.job_id = (
              SELECT min(id) FROM procrastinate_jobs
               WHERE status = 'todo' AND (scheduled_at IS NULL OR scheduled_at <= now())))
        AS oldest,
      (SELECT EXTRACT(EPOCH FROM now() - max(at))
         FROM procrastinate_events WHERE type = 'started') AS since_start
    """
)


def queue_health(engine: Engine) -> QueueHealth:
    """How the queue is doing (three indexed look-ups); raises when the database is away."""
    with engine.connect() as connection:
        row = connection.execute(_HEALTH).one()
    return QueueHealth(
        waiting=int(row.waiting or 0),
        oldest_seconds=max(0.0, float(row.oldest or 0.0)),
        since_last_start=None if row.since_start is None else float(row.since_start),
    )


class JobQueue:
    """The deferring side, opened once per process: a small synchronous connection pool.

    Jobs commit with ``synchronous_commit = off`` unless ``synchronous_commit``:
    the job is in PostgreSQL's write-ahead log when the INSERT returns, so a front or worker
    that dies loses nothing, but the acknowledgement does not wait for the log to reach the
    disk (measured on this machine: 8 ms instead of 35–53 ms a job at p50, three times the
    throughput). What that gives up: a crash of the database server itself may lose the last
    fraction of a second of acknowledged requests (PostgreSQL flushes the log every 200 ms);
    `QUEUE_SYNCHRONOUS_COMMIT=true` makes every acknowledgement wait for the flush instead.

    Storing requests is one round trip to the database: requests acknowledged at the same
    moment are stored in one statement (``bot.group_commit``), the pool's connections are in
    autocommit (no separate COMMIT), and a connection is not tested before each use
    (procrastinate's own pool would send a query first, every time). A connection found dead
    instead (the server restarted, an idle timeout) makes the pool test all its idle ones and
    the jobs are stored again on a live one; storing twice is harmless, as the request's unique
    key turns a second copy into "already stored" (``bot.jobqueue`` above). Storing waits
    ``CONNECTION_WAIT_SECONDS`` for a connection: a database that does not answer leaves the
    request unacknowledged, which Slack re-sends (events) or reports (commands).
    """

    def __init__(
        self,
        database_url: str,
        pool_size: int = FRONT_POOL_SIZE,
        *,
        synchronous_commit: bool = False,
    ) -> None:
        def configure(connection: Connection[Any]) -> None:
            if not synchronous_commit:
                connection.execute("SET synchronous_commit = off")

        self._pool = ConnectionPool(
            conninfo(database_url),
            min_size=1,
            max_size=pool_size,
            timeout=CONNECTION_WAIT_SECONDS,
            open=False,
            configure=configure,
            kwargs={"autocommit": True, "application_name": POOL_APPLICATION_NAME},
        )
        self.app = procrastinate.App(connector=procrastinate.SyncPsycopgConnector())
        self._requests: GroupCommit[dict[str, Any]] | None = None

    def open(self) -> JobQueue:
        self._pool.open(wait=True)
        self.app.open(self._pool)
        self._requests = GroupCommit(
            self._store_requests,
            alone_on=(pg_errors.UniqueViolation,),
            name="store-requests",
        )
        return self

    def close(self) -> None:
        if self._requests is not None:
            self._requests.close()
        self.app.close()
        self._pool.close()

    def defer_request(self, request: BoltRequest) -> None:
        """Store ``request`` as a job; returns once it is committed (then ``ack()`` may go).
        A request already stored (a Slack retry) is logged and not stored again; a database
        that is away raises ``StoreUnavailable`` (the error hook's calm "database" answer)."""
        if self._requests is None:
            raise RuntimeError("the job queue is not open")
        payload = request_payload(request)
        try:
            self._requests.submit(payload)
        except psycopg.OperationalError as error:
            raise StoreUnavailable(f"the request was not stored: {error}") from error
        except pg_errors.UniqueViolation as error:
            if error.diag.constraint_name != REQUEST_KEY_INDEX:
                raise
            log.info("request %s is already a job: Slack's retry not stored again", payload["key"])
            return
        log.debug("request %s stored as a job", payload["key"])

    def _store_requests(self, payloads: Sequence[dict[str, Any]]) -> None:
        """One statement for the requests acknowledged at the same moment (``bot.group_commit``)."""
        params = {
            # What `configure_task(REQUEST_TASK)` gives: no lock, no schedule, the defaults.
            "queue": procrastinate_jobs.DEFAULT_QUEUE,
            "priority": procrastinate_jobs.DEFAULT_PRIORITY,
            "task": REQUEST_TASK,
            "args": [Jsonb(payload) for payload in payloads],
        }

        def store() -> None:
            with self._pool.connection() as connection:
                connection.execute(_DEFER_REQUESTS, params)

        self._on_a_live_connection(store)

    def _on_a_live_connection(self, store: Callable[[], R]) -> R:
        """``store()``, once more after a dead pooled connection (see the class docstring)."""
        try:
            return store()
        except (procrastinate_errors.ConnectorException, psycopg.OperationalError) as error:
            # procrastinate wraps what psycopg raised; the requests' own statement does not.
            cause = (
                error.__cause__
                if isinstance(error, procrastinate_errors.ConnectorException)
                else error
            )
            # A pool that found no connection in time is the database away, not a dead one.
            if not isinstance(cause, psycopg.OperationalError) or isinstance(cause, PoolTimeout):
                raise
            log.warning(
                "a pooled connection to PostgreSQL had gone (%s); storing on a live one",
                str(cause).strip(),
            )
            self._pool.check()
            return store()

    def defer_round(self, now: datetime) -> bool:
        """Ask for a numbering round; False if one is already waiting (another process's)."""
        try:
            self._on_a_live_connection(
                lambda: self.app.configure_task(ROUND_TASK, queueing_lock=ROUND_LOCK).defer(
                    asked_at=now.isoformat()
                )
            )
        except procrastinate_errors.AlreadyEnqueued:
            return False
        return True
