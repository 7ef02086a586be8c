"""Events no area claims: acknowledged quietly so Slack does not retry them.

Registered last: Bolt runs the first listener that matches, so the areas' own message
listeners (file_share) take precedence over these. Acknowledged in place, never deferred: a
front on PostgreSQL does not store a job for every message said in the channel.
"""

from __future__ import annotations

from handlers.commands import CommandRouter
from handlers.deps import Deps
from handlers.registry import Registrar


def register(reg: Registrar, router: CommandRouter, deps: Deps) -> None:
    reg.ignored_event("message")
