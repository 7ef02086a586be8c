"""A thin wrapper over the Bolt app that remembers what was registered and keeps acks fast.

Areas register through it, so the manifest test can compare `app.yaml` with what the
handlers really listen to, and nothing registers itself on a global app at import time.

Commands, actions and events are *acknowledged first, handled after*: the listener Bolt runs
calls `ack()` and hands the real listener to the background executor. Bolt waits for the
ack on its own listener thread pool, so if slow work ran there, new requests would queue
behind it and miss Slack's 3 seconds under load. Errors of the deferred work reach the same
error hook Bolt would call. View submissions are not deferred: their `ack()` carries the answer
(validation errors, the next view).
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any

from slack_bolt import App
from slack_bolt.kwargs_injection.args import Args

Listener = Callable[..., Any]
ErrorHook = Callable[..., None]

log = logging.getLogger(__name__)


def _already_acknowledged(*_args: Any, **_kwargs: Any) -> None:
    """Stands in for `ack` in deferred listeners: Slack has had its answer."""


class Registrar:
    def __init__(self, app: App, background: Executor, on_error: ErrorHook) -> None:
        self.app = app
        self.background = background
        self.on_error = on_error
        self.commands: set[str] = set()
        self.events: set[str] = set()
        self.action_ids: list[str] = []
        self.view_callbacks: list[str] = []

    def command(self, name: str, listener: Listener) -> None:
        self.commands.add(name)
        self.app.command(name)(self.deferred(listener))

    def event(self, event: str | dict[str, Any], listener: Listener) -> None:
        self.events.add(event if isinstance(event, str) else str(event["type"]))
        self.app.event(event)(self.deferred(listener))

    def action(self, action_id: str | Any, listener: Listener) -> None:
        self.action_ids.append(str(action_id))
        self.app.action(action_id)(self.deferred(listener))

    def view(self, callback_id: str | Any, listener: Listener) -> None:
        self.view_callbacks.append(str(callback_id))
        self.app.view(callback_id)(listener)

    def view_closed(self, callback_id: str, listener: Listener) -> None:
        self.app.view_closed(callback_id)(self.deferred(listener))

    def deferred(self, listener: Listener) -> Listener:
        """Wrap ``listener``: acknowledge at once, run it on the background executor."""
        wanted = list(inspect.signature(listener).parameters)

        # Bolt injects everything it has into a parameter named `args`.
        def acknowledge_then_defer(args: Args) -> None:
            args.ack()
            kwargs = {name: getattr(args, name) for name in wanted}
            if "ack" in kwargs:
                kwargs["ack"] = _already_acknowledged
            self.background.submit(self._run, listener, kwargs, args)

        acknowledge_then_defer.__name__ = getattr(listener, "__name__", "listener")
        return acknowledge_then_defer

    def _run(self, listener: Listener, kwargs: dict[str, Any], args: Args) -> None:
        try:
            listener(**kwargs)
        except Exception as error:
            self.on_error(
                error=error,
                body=args.body,
                client=args.client,
                respond=args.respond,
                logger=args.logger or log,
            )
