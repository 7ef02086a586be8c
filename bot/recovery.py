"""On SQLite: the file checks the previous process left unfinished are resumed at start.

Slack gets its ``ack`` before a file is checked and never re-sends the event, so a check cut
short by a crash, a deploy or a kill would never be answered. On PostgreSQL the request is a
durable job that the queue runs again (``bot.jobqueue``): nothing to do here. SQLite runs
everything in one process, so at start every claim still "received" in ``processed_files``
belongs to the process before; each is handed to the background pool, which takes it over
and finishes it (``handlers.files``). Once, at start: there is no other process to wait for.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from slack_sdk import WebClient

from core.store.registers_repo import RegistersRepository
from handlers.deps import Deps
from handlers.files import FileIntake

if TYPE_CHECKING:
    from bot.wiring import Runtime

log = logging.getLogger("bot.recovery")


def resume_unfinished_checks(runtime: Runtime) -> int:
    """What `serve` / `socket` on SQLite do at start; how many checks were resumed."""
    from bot.app import build_client

    token = runtime.settings.slack_bot_token
    if token is None:
        return 0
    client = build_client(
        token.get_secret_value(),
        runtime.settings.slack_api_url,
        runtime.settings.slack_timeout_seconds,
    )
    return resume_unfinished(runtime.deps, client)


def resume_unfinished(deps: Deps, client: WebClient) -> int:
    """Hand every unfinished check to the background pool; how many there were."""
    try:
        with deps.uow() as uow:
            unfinished = RegistersRepository(uow.session).unfinished_claims()
    except Exception:
        log.warning("could not look for unfinished file checks", exc_info=True)
        return 0
    intake = FileIntake(deps)
    for team_id, file_id in unfinished:
        deps.executor.submit(intake.resume, client, team_id, file_id)
    if unfinished:
        log.info("resuming %d file check(s) the previous process left unfinished", len(unfinished))
    return len(unfinished)
