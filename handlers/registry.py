"""A thin wrapper over the Bolt app that remembers what was registered and keeps acks fast.

Areas register through it, so the manifest test can compare `app.yaml` with what the
handlers really listen to, and nothing registers itself on a global app at import time.

Commands, actions and events are *acknowledged first, handled after*: the listener Bolt runs
calls `ack()` and hands the real listener to the background executor. In a front on
PostgreSQL (`bot.jobqueue`) the whole request is stored as a durable job first and acknowledged
only then; a worker (`bot.job_runner`) dispatches it through its own app, whose wrapper runs
the real listener inline, so the job ends when the work does. Bolt waits for the
ack on its own listener thread pool, so if slow work ran there, new requests would queue
behind it and miss Slack's 3 seconds under load. Errors of the deferred work reach the same
error hook Bolt would call; in a worker they are also kept for the job's outcome
(``take_failure``), and ``RetryLater`` asks for the job to run again instead of apologising.
View submissions are not deferred: their `ack()` carries the answer
(validation errors, the next view); if one fails, it is still acknowledged and its error goes to
the same hook (Bolt would answer 500, or lose the ack, see docs/integration.md).

A payload without a `response_url` (a button in a modal or on App Home, or a malformed payload)
gets a `respond` that answers ephemerally in the channel instead of raising.
"""

from __future__ import annotations

import inspect
import logging
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from typing import Any

from slack_bolt import App, BoltRequest, Respond
from slack_bolt.kwargs_injection.args import Args
from slack_bolt.listener_matcher import builtins as bolt_matchers
from slack_bolt.listener_matcher.builtins import BuiltinListenerMatcher
from slack_sdk import WebClient
from slack_sdk.models.attachments import Attachment
from slack_sdk.models.blocks import Block
from slack_sdk.webhook import WebhookResponse

from core.errors import DomainError
from handlers.background import RetryLater
from handlers.errors import who_and_where
from handlers.front_lane import FrontLane

Listener = Callable[..., Any]
ErrorHook = Callable[..., None]

log = logging.getLogger(__name__)


def _already_acknowledged(*_args: Any, **_kwargs: Any) -> None:
    """Stands in for `ack` in deferred listeners: Slack has had its answer."""


def _acknowledge(ack: Any) -> None:
    ack()


class Registrar:
    def __init__(
        self,
        app: App,
        background: Executor,
        on_error: ErrorHook,
        hand_off: Callable[[BoltRequest], None] | None = None,
        *,
        inline: bool = False,
        on_store_error: Callable[[BoltRequest], None] = lambda _request: None,
    ) -> None:
        self.app = app
        self.background = background
        self.on_error = on_error
        # Set in a front on PostgreSQL: requests are stored as jobs, then acknowledged.
        self.hand_off = hand_off
        # Set in a job worker: the listener runs in the dispatching thread, its outcome kept.
        self.inline = inline
        self._outcome = threading.local()
        self.commands: set[str] = set()
        self.events: set[str] = set()
        self.action_ids: list[str] = []
        self.view_callbacks: list[str] = []
        # A front's deferred requests skip Bolt's listener loop (``handlers.front_lane``).
        self.lane: FrontLane | None = None
        if hand_off is not None:
            self.lane = FrontLane(hand_off, on_store_error)
            app.middleware(self.lane)

    def command(self, name: str, listener: Listener) -> None:
        self.commands.add(name)
        self._in_lane(bolt_matchers.command(name), deferred=True)
        self.app.command(name)(self.deferred(listener))

    def event(self, event: str | dict[str, Any], listener: Listener) -> None:
        self.events.add(event if isinstance(event, str) else str(event["type"]))
        self._in_lane(bolt_matchers.event(event), deferred=True)
        self.app.event(event)(self.deferred(listener))

    def ignored_event(self, event: str) -> None:
        """An event that comes with a subscription another listener needs (every `message`
        comes with `message.channels`, for file shares): acknowledged, never stored or run."""
        self.events.add(event)
        self._in_lane(bolt_matchers.event(event), deferred=False)
        self.app.event(event)(_acknowledge)

    def action(self, action_id: str | Any, listener: Listener) -> None:
        self.action_ids.append(str(action_id))
        self._in_lane(bolt_matchers.action(action_id), deferred=True)
        self.app.action(action_id)(self.deferred(listener))

    def view(self, callback_id: str | Any, listener: Listener) -> None:
        self.view_callbacks.append(str(callback_id))
        self._in_lane(bolt_matchers.view(callback_id), deferred=False)
        self.app.view(callback_id)(self.acknowledged(listener))

    def view_closed(self, callback_id: str, listener: Listener) -> None:
        self._in_lane(bolt_matchers.view_closed(callback_id), deferred=True)
        self.app.view_closed(callback_id)(self.deferred(listener))

    def _in_lane(self, matcher: object, *, deferred: bool) -> None:
        # Bolt keeps its own copy of every listener too: the lane answers first for the
        # deferred ones, and Bolt's loop stays what runs everything else, as without a lane.
        if self.lane is not None:
            assert isinstance(matcher, BuiltinListenerMatcher)  # the synchronous kind
            self.lane.add(matcher, deferred=deferred)

    def deferred(self, listener: Listener) -> Listener:
        """Wrap ``listener``: acknowledge at once, run it on the background executor."""
        wanted = list(inspect.signature(listener).parameters)

        # Bolt injects everything it has into a parameter named `args`.
        def acknowledge_then_defer(args: Args) -> None:
            if self.hand_off is not None:
                # Stored before acknowledged: if storing fails, Slack gets no 200 (an event is
                # then sent again; a command shows the error hook's message).
                self.hand_off(args.request)
                args.ack()
                return
            args.ack()
            kwargs = {name: getattr(args, name) for name in wanted}
            if "ack" in kwargs:
                kwargs["ack"] = _already_acknowledged
            if "respond" in kwargs:
                kwargs["respond"] = respond_for(args)
            if self.inline:
                self._run(listener, kwargs, args)
            else:
                self.background.submit(self._run, listener, kwargs, args)

        acknowledge_then_defer.__name__ = getattr(listener, "__name__", "listener")
        return acknowledge_then_defer

    def acknowledged(self, listener: Listener) -> Listener:
        """Wrap a listener that acknowledges itself: if it fails, Slack still gets its ack."""
        wanted = list(inspect.signature(listener).parameters)

        def run_or_acknowledge(args: Args) -> None:
            kwargs = {name: getattr(args, name) for name in wanted}
            if "respond" in kwargs:
                kwargs["respond"] = respond_for(args)
            try:
                listener(**kwargs)
            except Exception as error:
                if args.ack.response is None:
                    args.ack()
                self.on_error(
                    error=error,
                    body=args.body,
                    client=args.client,
                    respond=args.respond,
                    logger=args.logger or log,
                )

        run_or_acknowledge.__name__ = getattr(listener, "__name__", "listener")
        return run_or_acknowledge

    def last_attempt(self, last: bool) -> None:
        """Set by a job worker before it dispatches: on a job's last attempt ``RetryLater``
        gets the apology like any failure (there is no later any more)."""
        self._outcome.last = last

    def take_failure(self) -> Exception | None:
        """What the listener last run inline in this thread raised (once), else ``None``."""
        failure: Exception | None = getattr(self._outcome, "failure", None)
        self._outcome.failure = None
        return failure

    def _run(self, listener: Listener, kwargs: dict[str, Any], args: Args) -> None:
        try:
            listener(**kwargs)
        except RetryLater as error:
            if self.inline:
                self._outcome.failure = error
                if not getattr(self._outcome, "last", False):
                    return  # the job runs again later: no apology yet
            self._report(error, args)
        except Exception as error:
            self._report(error, args)
            if self.inline and not isinstance(error, DomainError):
                # A refusal was the answer (the hook gave it): the job did its work.
                self._outcome.failure = error

    def _report(self, error: Exception, args: Args) -> None:
        self.on_error(
            error=error,
            body=args.body,
            client=args.client,
            respond=args.respond,
            logger=args.logger or log,
        )


class EphemeralRespond(Respond):
    """``respond`` for a payload that has no ``response_url``: an ephemeral message to the
    person in the channel when both are known, else nothing (logged)."""

    def __init__(self, client: WebClient, channel: str | None, user: str | None) -> None:
        super().__init__(response_url=None)
        self._client, self._channel, self._user = client, channel, user

    def __call__(
        self,
        text: str | dict[str, Any] = "",
        blocks: Sequence[dict[str, Any] | Block] | None = None,
        attachments: Sequence[dict[str, Any] | Attachment] | None = None,
        response_type: str | None = None,
        replace_original: bool | None = None,
        delete_original: bool | None = None,
        unfurl_links: bool | None = None,
        unfurl_media: bool | None = None,
        thread_ts: str | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> WebhookResponse:
        # Only what an ephemeral message can carry; "replace" becomes a new ephemeral message.
        message = text if isinstance(text, dict) else {"text": text, "blocks": blocks}
        if self._channel and self._user:
            self._client.chat_postEphemeral(
                channel=self._channel,
                user=self._user,
                text=str(message.get("text") or ""),
                blocks=message.get("blocks"),
            )
        else:
            log.info("nowhere to answer a payload without a response_url")
        return WebhookResponse(url="", status_code=200, body="ok", headers={})


def respond_for(args: Args) -> Respond:
    """Bolt's ``respond`` when the payload has a ``response_url``, else ``EphemeralRespond``."""
    if args.respond is not None and args.respond.response_url:
        return args.respond
    _team, channel, user = who_and_where(args.body)
    return EphemeralRespond(args.client, channel, user)
