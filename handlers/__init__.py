"""Slack listeners: parse the payload, call `core`, render blocks.

`register_handlers(app, deps)` calls one `register(reg, router, deps)` per area, in order;
the catch-all listeners come last because Bolt runs the first listener that matches.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from slack_bolt import App, BoltRequest

    from handlers.commands import CommandRouter
    from handlers.deps import Deps
    from handlers.registry import Registrar

AreaRegister = Callable[["Registrar", "CommandRouter", "Deps"], None]


def _areas() -> tuple[AreaRegister, ...]:
    # Imported on first use, not with the package: `python -m bot validate` reaches the
    # issue words in `handlers.messages` without loading Bolt and every listener.
    from handlers import account, events, files, help, imports, install, numbering, onboarding

    # Areas add their `register` here; `events.register` stays last.
    return (
        help.register,
        onboarding.register,
        numbering.register,
        account.register,
        files.register,
        install.register,
        imports.register,
        events.register,
    )


def __getattr__(name: str) -> Any:
    if name == "AREAS":
        areas = _areas()
        globals()["AREAS"] = areas
        return areas
    raise AttributeError(name)


def register_handlers(
    app: App,
    deps: Deps,
    hand_off: Callable[[BoltRequest], None] | None = None,
    *,
    inline: bool = False,
    on_store_error: Callable[[BoltRequest], None] = lambda _request: None,
) -> Registrar:
    from handlers.commands import CommandRouter
    from handlers.errors import make_error_handler
    from handlers.registry import Registrar

    router = CommandRouter()
    # Late-bound: an area replaces `router.language_for` while it registers.
    on_error = make_error_handler(lambda team, channel: router.language_for(team, channel))  # noqa: PLW0108
    app.error(on_error)
    reg = Registrar(
        app, deps.executor, on_error, hand_off, inline=inline, on_store_error=on_store_error
    )
    # Read at call time: a test may have replaced AREAS.
    areas: tuple[AreaRegister, ...] = globals().get("AREAS") or __getattr__("AREAS")
    for register in areas:
        register(reg, router, deps)
    reg.command("/rackbeat", router.listener)
    return reg
