"""Builds the Bolt app: one client on `SLACK_API_URL` with slack-sdk's retry handlers, used
for every kind of Slack call (`bot.slack_retries`)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import cast

from slack_bolt import App, BoltRequest
from slack_bolt.middleware.request_verification import RequestVerification
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot import answer_journal, slack_retries
from bot.config import Settings
from bot.logs import WithholdRequestBody
from bot.oauth import oauth_settings, refuse_unknown_workspaces
from core.sources.http import tls_context
from handlers import register_handlers
from handlers.deps import Deps
from handlers.registry import Registrar

log = logging.getLogger("bot.app")


def build_client(token: str | None, api_url: str, timeout: float = 10.0) -> WebClient:
    """A Web API client that waits out 429s (Retry-After) and retries brief outages, its raw
    file uploads included; a call gives up after ``timeout`` seconds without an answer."""
    return slack_retries.RetryingWebClient(
        token=token,
        base_url=api_url,
        # slack-sdk annotates int, but hands the value to urllib, which takes float seconds.
        timeout=cast(int, timeout),
        # Without one, urllib builds a TLS context (the whole CA bundle) for every call.
        ssl=tls_context(),
        retry_handlers=[
            RateLimitErrorRetryHandler(max_retry_count=3),
            ConnectionErrorRetryHandler(max_retry_count=2),
            ServerErrorRetryHandler(max_retry_count=2),
        ],
    )


def build_app(
    settings: Settings,
    deps: Deps,
    *,
    socket_mode: bool = False,
    hand_off: Callable[[BoltRequest], None] | None = None,
    verify_requests: bool = True,
    inline: bool = False,
) -> App:
    """The Bolt app with every listener registered; `app.registrar` lists what they are.

    ``hand_off`` makes it a front (`bot.jobqueue`): requests are stored as jobs, then
    acknowledged. A job worker's app is built with ``verify_requests=False`` (its requests come
    from the front, which checked them, and may be older than Slack's five minutes by then)
    and ``inline=True`` (listeners run in the job's thread: the job ends when the work does).
    """
    token = settings.slack_bot_token
    # Without a bot token, OAuth: each workspace's token comes from its installation.
    oauth = token is None and settings.oauth_configured and not socket_mode
    if token is None and not oauth:
        raise ValueError(
            "SLACK_BOT_TOKEN (or, in HTTP mode, SLACK_CLIENT_ID and SLACK_CLIENT_SECRET) is "
            "needed to build the Slack app"
        )
    signing_secret = settings.slack_signing_secret
    if signing_secret is None and not socket_mode and verify_requests:
        raise ValueError("SLACK_SIGNING_SECRET is needed in HTTP mode")
    client = build_client(
        token.get_secret_value() if token is not None else None,
        settings.slack_api_url,
        settings.slack_timeout_seconds,
    )
    withhold_refused_request_bodies()
    app = App(
        client=client,
        # Socket Mode needs no signing secret (slack-bolt >= 1.29 accepts none there).
        signing_secret=signing_secret.get_secret_value() if signing_secret else None,
        request_verification_enabled=verify_requests and not socket_mode,
        listener_executor=deps.listener_executor,
        # A front's listeners only store a job and a worker's run in the job's own thread:
        # Bolt runs them inline instead of hopping to its own pool and polling for the ack
        # every 10 ms. Elsewhere the listeners' own pool keeps acks fast.
        process_before_response=hand_off is not None or not verify_requests,
        logger=logging.getLogger("slack_bolt"),
        raise_error_for_unhandled_request=False,
        oauth_settings=oauth_settings(settings, deps.uow) if oauth else None,
        before_authorize=refuse_unknown_workspaces(settings, deps.uow) if oauth else None,
    )
    # A front's lane (handlers.front_lane) is the first global middleware: registered with
    # the handlers, before the ones below, which only the requests it lets through need.
    registrar = register_handlers(
        app,
        deps,
        hand_off,
        inline=inline,
        on_store_error=lambda request: slack_retries.equip(request.context),
    )
    slack_retries.install(app)
    if inline:
        # A job may run twice (its worker died): what it said once is not said again.
        answer_journal.install(app, deps)
    app.registrar = registrar  # type: ignore[attr-defined]
    return app


def registrar_of(app: App) -> Registrar:
    registrar: Registrar = app.registrar  # type: ignore[attr-defined]
    return registrar


def withhold_refused_request_bodies() -> None:
    """Install `WithholdRequestBody` on the logger of Bolt's signature check (once)."""
    logger = logging.getLogger(f"slack_bolt.{RequestVerification.__name__}")
    if not any(isinstance(f, WithholdRequestBody) for f in logger.filters):
        logger.addFilter(WithholdRequestBody())
