"""Events no area claims: acknowledged quietly so Slack does not retry them.

Registered last: Bolt runs the first listener that matches, so the areas' own message
listeners (file_share) take precedence over these.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack

from handlers.commands import CommandRouter
from handlers.deps import Deps
from handlers.registry import Registrar


def ignore(ack: Ack, body: dict[str, Any]) -> None:
    ack()


def register(reg: Registrar, router: CommandRouter, deps: Deps) -> None:
    reg.event("message", ignore)
