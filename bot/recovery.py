"""Resumes the checks of shared files whose process died, in `serve` and `socket`.

Slack gets its ``ack`` before a file is checked and never re-sends the event, so a check cut
short by a crash, a deploy or a kill would never be answered. Its claim stays "received" in
``processed_files`` with a lease (``handlers.files``); this job looks for claims whose lease
ran out right at start and then every minute, and hands each to the background pool, which
takes it over and finishes it. Every process may run it: taking a claim over is one guarded
UPDATE, so one process wins. A round costs one indexed query when there is nothing to do.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from slack_sdk import WebClient

from handlers.deps import Deps
from handlers.files import FileIntake
from handlers.imports import Importer

if TYPE_CHECKING:
    from bot.wiring import Runtime

log = logging.getLogger("bot.recovery")

EVERY = timedelta(minutes=1)


class IntakeResumer:
    def __init__(
        self,
        deps: Deps,
        client: WebClient | Callable[[str], WebClient | None],
        every: timedelta = EVERY,
    ) -> None:
        self.deps = deps
        self.client = client
        self.every = every
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> IntakeResumer:
        self._thread = threading.Thread(target=self._loop, name="intake-resumer", daemon=True)
        self._thread.start()
        return self

    def run_once(self) -> int:
        """Hand every interrupted check to the background pool; how many there were."""
        try:
            found = FileIntake(self.deps).resume_stale(self.client)
        except Exception:
            # The database may be away: the next round looks again.
            log.warning("could not look for interrupted file checks", exc_info=True)
            return 0
        if found:
            log.info("resuming %d interrupted file check(s)", found)
        try:
            imports = Importer(self.deps).resume_stale(self.client)
        except Exception:
            log.warning("could not look for interrupted imports", exc_info=True)
            imports = 0
        if imports:
            log.info("resuming %d interrupted import(s)", imports)
        return found + imports

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.run_once()
            self._stop.wait(self.every.total_seconds())

    def shutdown(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)


def start_intake_resumer(runtime: Runtime) -> IntakeResumer | None:
    """The resumer of `serve` / `socket`: each check resumes with its workspace's token."""
    return IntakeResumer(runtime.deps, runtime.clients.for_team).start()
