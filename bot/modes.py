"""The long-running modes: HTTP (`serve`) and Socket Mode (`socket`)."""

from __future__ import annotations

import logging
import sys
import threading
import time
from dataclasses import dataclass

from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.socket_mode.internals import run_bolt_app, send_response
from slack_bolt.util.utils import get_boot_message
from slack_sdk.socket_mode.builtin import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from bot.app import build_app
from bot.config import Settings
from bot.envelope import payload_problem
from bot.jobqueue import JobQueue, uses_job_queue
from bot.lifecycle import (
    freeze_startup_objects,
    install_sigterm,
    sleep_until_stopped,
    start_background_jobs,
    stop_jobs,
)
from bot.local_workers import LocalWorkers
from bot.server import make_server, wsgi_app
from bot.wiring import build_runtime

log = logging.getLogger("bot")


@dataclass
class WorkShape:
    """Where the work after `ack()` runs: a durable job queue with local worker processes
    (PostgreSQL), or this process's thread pool (SQLite)."""

    queue: JobQueue | None
    workers: LocalWorkers | None

    def close(self) -> None:
        if self.workers is not None:
            self.workers.close()
        if self.queue is not None:
            self.queue.close()


def start_work(settings: Settings) -> WorkShape:
    if not uses_job_queue(settings.database_url):
        log.info("SQLite: the work after each acknowledgement runs in this process")
        return WorkShape(None, None)
    queue = JobQueue(
        settings.database_url, synchronous_commit=settings.queue_synchronous_commit
    ).open()
    workers = None
    if settings.worker_processes:
        workers = LocalWorkers(settings, settings.worker_processes).start()
    else:
        log.info("WORKER_PROCESSES=0: jobs wait for `python -m bot worker` processes")
    return WorkShape(queue, workers)


def favour_short_requests() -> None:
    """Hand the GIL over every millisecond instead of every five.

    Acknowledgements are short and the background work after them is long; with the default
    interval a request waiting for the GIL sits behind several 5 ms slices of that work
    (load bench: p99 ack latency about a third lower at 50 clients).
    """
    sys.setswitchinterval(0.001)


def serve_problem(settings: Settings) -> str | None:
    """Why `serve` cannot start with these settings, or ``None``."""
    if settings.slack_signing_secret is None:
        return "serve needs SLACK_SIGNING_SECRET"
    if settings.slack_bot_token is not None:
        return None  # one workspace
    if not settings.oauth_configured:
        return (
            "serve needs SLACK_BOT_TOKEN (one workspace), or SLACK_CLIENT_ID and "
            "SLACK_CLIENT_SECRET (installation into any workspace)"
        )
    if settings.secret_key is None:
        return "serve with SLACK_CLIENT_ID needs SECRET_KEY: it encrypts the workspaces' bot tokens"
    return None


def run_serve(settings: Settings) -> int:
    problem = serve_problem(settings)
    if problem is not None or settings.slack_signing_secret is None:
        print(f"configuration error: {problem}", file=sys.stderr)
        return 2
    favour_short_requests()
    runtime = build_runtime(settings)
    work = start_work(settings)
    app = build_app(
        settings, runtime.deps, hand_off=work.queue.defer_request if work.queue else None
    )
    stall = settings.queue_stall_seconds if work.queue else None
    server = make_server(
        wsgi_app(app, runtime.engine, settings.slack_signing_secret, stall),
        settings.host,
        settings.port,
    )
    jobs = start_background_jobs(runtime, work.queue)
    install_sigterm()
    freeze_startup_objects()
    log.info(
        "serving on http://%s:%s (POST /slack/events, GET /healthz%s)",
        settings.host,
        server.effective_port,
        ", GET /slack/install, GET /slack/oauth_redirect" if app.oauth_flow else "",
    )
    try:
        server.run()
    except KeyboardInterrupt:
        log.info("stopping")
    finally:
        server.close()
        stop_jobs(jobs)
        work.close()
        runtime.close()
    return 0


def run_socket(settings: Settings) -> int:
    if settings.slack_bot_token is None or settings.slack_app_token is None:
        print(
            "configuration error: socket needs SLACK_APP_TOKEN and SLACK_BOT_TOKEN", file=sys.stderr
        )
        return 2
    runtime = build_runtime(settings)
    work = start_work(settings)
    app = build_app(
        settings,
        runtime.deps,
        socket_mode=True,
        hand_off=work.queue.defer_request if work.queue else None,
    )
    handler = CheckedSocketModeHandler(app, settings.slack_app_token.get_secret_value())
    jobs = start_background_jobs(runtime, work.queue)
    install_sigterm()
    freeze_startup_objects()
    try:
        # Not `handler.start()`: it sleeps in an untimed wait (``sleep_until_stopped``).
        handler.connect()  # type: ignore[no-untyped-call]
        log.info(get_boot_message())
        sleep_until_stopped()
    except KeyboardInterrupt:
        log.info("stopping")
    finally:
        handler.close()
        stop_jobs(jobs)
        work.close()
        runtime.close()
    return 0


class CheckedSocketModeHandler(SocketModeHandler):
    """Bolt's Socket Mode handler, less two ways an envelope went unacknowledged and so came
    back with every retry: a payload Bolt would raise on (bot/envelope.py), and one no
    listener handles (Bolt answers 404 and its handler then sends nothing). Both are
    acknowledged and dropped with a warning, as `serve` answers them with a 4xx.

    And less a stop that never ends: slack_sdk's ``SocketModeClient.close`` (3.x) marks the
    session terminated, then closes its socket, then waits for the thread that reads it. That
    thread comes back every 0.1 s; if it comes back between the mark and the close (seen
    under load), it clears the mark and then waits for a closed socket forever, and so does
    the stop (SIGTERM hung past 60 s). The reading thread is told to stop coming back first.
    """

    def close(self) -> None:
        client = self.client
        client.current_session_runner.event.set()
        closing = threading.Thread(target=client.close, name="socket-close", daemon=True)
        closing.start()
        # Should the reader have come back anyway, its mark is set again until it has gone.
        while closing.is_alive():
            client.current_session_state.terminated = True
            closing.join(0.2)

    def handle(self, client: SocketModeClient, req: SocketModeRequest) -> None:  # type: ignore[override]
        started = time.time()
        malformed = payload_problem(req.payload, interactive=req.type == "interactive")
        if malformed is not None:
            log.warning("refused a malformed Socket Mode request: %s", malformed)
        else:
            response = run_bolt_app(self.app, req)
            if response.status == 200:
                send_response(client, req, response, started)
                return
            log.warning(
                "no listener takes a Socket Mode request of type %s (answer %d); acknowledged "
                "so that Slack does not send it again",
                req.type,
                response.status,
            )
        client.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id))
