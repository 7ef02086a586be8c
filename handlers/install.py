"""`app_uninstalled` and `tokens_revoked`: the workspace's bot token is dead.

In OAuth mode `deps.forget_workspace` (bot/oauth_store.py) deletes the workspace's stored
tokens and marks the workspace uninstalled; its onboardings stay and come back when it
reinstalls. With one `SLACK_BOT_TOKEN` there is nothing stored to delete: the operator is
told that the configured token stopped working.

Bolt skips its authorization (and `auth.test`) for these two events: the token is revoked.
"""

from __future__ import annotations

import logging
from typing import Any

from handlers.commands import CommandRouter
from handlers.deps import Deps
from handlers.registry import Registrar

log = logging.getLogger(__name__)


def register(reg: Registrar, router: CommandRouter, deps: Deps) -> None:
    def uninstalled(body: dict[str, Any]) -> None:
        forget(str(body.get("team_id") or ""))

    def revoked(body: dict[str, Any]) -> None:
        tokens = (body.get("event") or {}).get("tokens") or {}
        # Only the bot's token is ever stored; a user's revoked token changes nothing.
        if tokens.get("bot"):
            forget(str(body.get("team_id") or ""))

    def forget(team_id: str) -> None:
        if not team_id:
            return
        if deps.forget_workspace is None:
            log.warning(
                "the app lost its token in workspace %s: SLACK_BOT_TOKEN no longer works there",
                team_id,
            )
            return
        deps.forget_workspace(team_id)

    reg.event("app_uninstalled", uninstalled)
    reg.event("tokens_revoked", revoked)
