"""Work a dead process left unfinished: file checks (SQLite, at start) and imports (always).

File checks. Slack gets its ``ack`` before a file is checked and never re-sends the event, so
a check cut short by a crash, a deploy or a kill would never be answered. On PostgreSQL the
request is a durable job that the queue runs again (``bot.jobqueue``): nothing to do here.
SQLite runs everything in one process, so at start every claim still "received" in
``processed_files`` belongs to the process before; each is handed to the background pool,
which takes it over and finishes it (``core.registers.intake``). Once, at start: there is no other
process to wait for.

Imports into Rackbeat (``handlers.imports``). A confirmed import runs on the background pool
of the process that took the click (on PostgreSQL: a job worker), holding a lease on its row
that it renews while it runs; ``run_import`` is idempotent and resumes from its journal. The
periodic import resumer below looks every minute for imports whose lease ran out and runs
them again: on PostgreSQL every job worker runs it (``bot.worker_cmd``; taking an import over
is one guarded UPDATE, so one process wins), on SQLite `serve` / `socket` do. Imports are not
procrastinate jobs: an import runs for minutes to hours and renews its own lease, which the
queue's heartbeat-based re-run would duplicate rather than replace.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from slack_sdk import WebClient

from handlers.deps import Deps
from handlers.file_answers import resume_check
from handlers.imports import Importer

if TYPE_CHECKING:
    from bot.wiring import Runtime

log = logging.getLogger("bot.recovery")

EVERY = timedelta(minutes=1)

ClientFor = WebClient | Callable[[str], WebClient | None]


def resume_unfinished_checks(runtime: Runtime) -> int:
    """What `serve` / `socket` on SQLite do at start; how many checks were resumed. Each check
    resumes with its own workspace's token (OAuth mode)."""
    return resume_unfinished(runtime.deps, runtime.clients.for_team)


def resume_unfinished(deps: Deps, client: ClientFor) -> int:
    """Hand every unfinished check to the background pool; how many there were. ``client``
    may be a function of the team id; a check of a workspace it has no client for (uninstalled)
    is left alone."""
    try:
        with deps.uow() as uow:
            unfinished = uow.registers.unfinished_claims()
    except Exception:
        log.warning("could not look for unfinished file checks", exc_info=True)
        return 0
    resumed = 0
    for team_id, file_id in unfinished:
        team_client = client if isinstance(client, WebClient) else client(team_id)
        if team_client is None:
            continue
        deps.executor.submit(resume_check, deps, team_client, team_id, file_id)
        resumed += 1
    if resumed:
        log.info("resuming %d file check(s) the previous process left unfinished", resumed)
    return resumed


class ImportResumer:
    """Every ``every``, hands the imports whose runner died (lease run out) to the pool."""

    def __init__(self, deps: Deps, client: ClientFor, every: timedelta = EVERY) -> None:
        self.deps = deps
        self.client = client
        self.every = every
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> ImportResumer:
        self._thread = threading.Thread(target=self._loop, name="import-resumer", daemon=True)
        self._thread.start()
        return self

    def run_once(self) -> int:
        try:
            imports = Importer(self.deps).resume_stale(self.client)
        except Exception:
            # The database may be away: the next round looks again.
            log.warning("could not look for interrupted imports", exc_info=True)
            return 0
        if imports:
            log.info("resuming %d interrupted import(s)", imports)
        return imports

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.run_once()
            self._stop.wait(self.every.total_seconds())

    def shutdown(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)


def start_import_resumer(runtime: Runtime) -> ImportResumer:
    """The import resumer of a job worker (PostgreSQL) or of `serve` / `socket` (SQLite): each
    import resumes with its workspace's token."""
    return ImportResumer(runtime.deps, runtime.clients.for_team).start()
