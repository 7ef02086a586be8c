"""Builds the Bolt app: one client on `SLACK_API_URL` with slack-sdk's retry handlers, used
for every kind of Slack call (`bot.slack_retries`)."""

from __future__ import annotations

import logging
from typing import cast

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot import slack_retries
from bot.config import Settings
from bot.logs import withhold_refused_request_bodies
from handlers import register_handlers
from handlers.deps import Deps
from handlers.registry import Registrar

log = logging.getLogger("bot.app")


def build_client(token: str, api_url: str, timeout: float = 10.0) -> WebClient:
    """A Web API client that waits out 429s (Retry-After) and retries brief outages, its raw
    file uploads included; a call gives up after ``timeout`` seconds without an answer."""
    return slack_retries.RetryingWebClient(
        token=token,
        base_url=api_url,
        # slack-sdk annotates int, but hands the value to urllib, which takes float seconds.
        timeout=cast(int, timeout),
        retry_handlers=[
            RateLimitErrorRetryHandler(max_retry_count=3),
            ConnectionErrorRetryHandler(max_retry_count=2),
            ServerErrorRetryHandler(max_retry_count=2),
        ],
    )


def build_app(settings: Settings, deps: Deps, *, socket_mode: bool = False) -> App:
    """The Bolt app with every listener registered; `app.registrar` lists what they are."""
    if settings.slack_bot_token is None:
        raise ValueError("SLACK_BOT_TOKEN is needed to build the Slack app")
    signing_secret = settings.slack_signing_secret
    if signing_secret is None and not socket_mode:
        raise ValueError("SLACK_SIGNING_SECRET is needed in HTTP mode")
    client = build_client(
        settings.slack_bot_token.get_secret_value(),
        settings.slack_api_url,
        settings.slack_timeout_seconds,
    )
    withhold_refused_request_bodies()
    app = App(
        client=client,
        # Socket Mode needs no signing secret (slack-bolt >= 1.29 accepts none there).
        signing_secret=signing_secret.get_secret_value() if signing_secret else None,
        request_verification_enabled=not socket_mode,
        listener_executor=deps.listener_executor,
        logger=logging.getLogger("slack_bolt"),
        raise_error_for_unhandled_request=False,
    )
    slack_retries.install(app)
    registrar = register_handlers(app, deps)
    app.registrar = registrar  # type: ignore[attr-defined]
    return app


def registrar_of(app: App) -> Registrar:
    registrar: Registrar = app.registrar  # type: ignore[attr-defined]
    return registrar
