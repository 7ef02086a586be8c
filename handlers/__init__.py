"""Slack listeners: parse the payload, call `core`, render blocks.

`register_handlers(app, deps)` calls one `register(reg, router, deps)` per area, in order;
the catch-all listeners come last because Bolt runs the first listener that matches.
"""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import App, BoltRequest

from handlers import account, events, files, help, imports, install, numbering, onboarding
from handlers.commands import CommandRouter
from handlers.deps import Deps
from handlers.errors import make_error_handler
from handlers.registry import Registrar

AreaRegister = Callable[[Registrar, CommandRouter, Deps], None]

# Areas add their `register` here; `events.register` stays last.
AREAS: tuple[AreaRegister, ...] = (
    help.register,
    onboarding.register,
    numbering.register,
    account.register,
    files.register,
    install.register,
    imports.register,
    events.register,
)


def register_handlers(
    app: App,
    deps: Deps,
    hand_off: Callable[[BoltRequest], None] | None = None,
    *,
    inline: bool = False,
) -> Registrar:
    router = CommandRouter()
    # Late-bound: an area replaces `router.language_for` while it registers.
    on_error = make_error_handler(lambda team, channel: router.language_for(team, channel))  # noqa: PLW0108
    app.error(on_error)
    reg = Registrar(app, deps.executor, on_error, hand_off, inline=inline)
    for register in AREAS:
        register(reg, router, deps)
    reg.command("/rackbeat", router.listener)
    return reg
