"""A thin wrapper over the Bolt app that remembers what was registered.

Areas register through it, so the manifest test can compare `app.yaml` with what the
handlers really listen to, and nothing registers itself on a global app at import time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import App

Listener = Callable[..., Any]


class Registrar:
    def __init__(self, app: App) -> None:
        self.app = app
        self.commands: set[str] = set()
        self.events: set[str] = set()
        self.action_ids: list[str] = []
        self.view_callbacks: list[str] = []

    def command(self, name: str, listener: Listener) -> None:
        self.commands.add(name)
        self.app.command(name)(listener)

    def event(self, event: str | dict[str, Any], listener: Listener) -> None:
        self.events.add(event if isinstance(event, str) else str(event["type"]))
        self.app.event(event)(listener)

    def action(self, action_id: str | Any, listener: Listener) -> None:
        self.action_ids.append(str(action_id))
        self.app.action(action_id)(listener)

    def view(self, callback_id: str | Any, listener: Listener) -> None:
        self.view_callbacks.append(str(callback_id))
        self.app.view(callback_id)(listener)

    def view_closed(self, callback_id: str, listener: Listener) -> None:
        self.app.view_closed(callback_id)(listener)
