"""A front's short way to the job queue: one global middleware instead of Bolt's listener loop.

In a front on PostgreSQL (``bot.jobqueue``) a deferred listener does nothing but store the
request and acknowledge it; the worker's own app finds and runs the real listener. Bolt would
still try every listener in turn, building each matcher's keyword arguments by introspection,
and give every request two fresh Web API clients before any of them is used (py-spy on the
front under the load bench: 16 % of its GIL in matching alone). The lane asks the same
questions Bolt would, with Bolt's own matchers (``slack_bolt.listener_matcher.builtins``),
in the order the listeners were registered, calling each matcher's function on the body
directly:

- the first listener that matches is deferred: the request is stored (``hand_off``) and
  acknowledged with Bolt's empty 200, and nothing else runs;
- it is acknowledged in place (a view submission, an ignored event) or nothing matches: Bolt
  carries on as without the lane.

It runs after Bolt's built-in middleware (signature, authorization, a workspace's own events,
URL verification), so a request those refuse is refused as before. If storing fails, the
request gets the clients and ``respond`` the other middleware would have given it
(``bot.slack_retries``) before the error goes to the app's error hook, as a listener's would.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from slack_bolt import BoltRequest, BoltResponse
from slack_bolt.listener_matcher.builtins import BuiltinListenerMatcher
from slack_bolt.middleware import Middleware

BodyMatcher = Callable[[dict[str, Any]], bool]


class FrontLane(Middleware):
    def __init__(
        self,
        hand_off: Callable[[BoltRequest], None],
        on_store_error: Callable[[BoltRequest], None],
    ) -> None:
        self._hand_off = hand_off
        self._on_store_error = on_store_error
        # (matches the body, deferred) per listener, in Bolt's order of registration.
        self._listeners: list[tuple[BodyMatcher, bool]] = []

    def add(self, matcher: BuiltinListenerMatcher, *, deferred: bool) -> None:
        """A listener as Bolt has it: its primary matcher, and whether it is deferred."""
        # A builtin matcher's function takes the body alone (and is synchronous here).
        self._listeners.append((cast(BodyMatcher, matcher.func), deferred))

    def deferred(self, body: dict[str, Any]) -> bool:
        """Whether the listener Bolt would run for ``body`` is a deferred one."""
        for matches, deferred in self._listeners:
            if matches(body):
                return deferred
        return False

    def process(
        self,
        *,
        req: BoltRequest,
        resp: BoltResponse,
        next: Callable[[], BoltResponse],  # Bolt calls it by this keyword
    ) -> BoltResponse | None:
        if not self.deferred(req.body):
            return next()
        try:
            self._hand_off(req)
        except Exception:
            self._on_store_error(req)
            raise  # to the app's error hook, through Bolt's middleware error handler
        return BoltResponse(status=200, body="")
