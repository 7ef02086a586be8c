"""Every kind of call the bot makes to Slack waits out a 429 and retries a brief outage.

slack-sdk's ``WebClient`` takes retry handlers (``bot.app.build_client`` sets them), but two
kinds of calls never consult them:

- **response_url posts.** Bolt's ``respond`` builds a fresh ``WebhookClient`` for every answer,
  with slack-sdk's default handlers, which retry connection errors only; a 429 or a 500 comes
  back as a ``WebhookResponse`` that nobody reads, so the person's answer is lost in silence.
- **The raw upload** of ``files_upload_v2`` (``files.getUploadURLExternal`` → POST of the
  bytes → ``files.completeUploadExternal``): the middle step is a bare ``urlopen``, so a 429 or
  a 500 there fails the whole upload at once.

``install(app)`` adds a global middleware that gives every request a ``respond`` and a client
that use the app client's handlers and timeout for those two as well (Bolt builds a plain
``WebClient`` per request, copying only handlers and settings). Failures that are left after
the retries are logged; the callers decide what a lost answer means.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from ssl import SSLContext
from typing import Any
from urllib.error import HTTPError, URLError

from slack_bolt import App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.request import HttpRequest as RetryRequest
from slack_sdk.http_retry.response import HttpResponse as RetryResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.models.attachments import Attachment
from slack_sdk.models.blocks import Block
from slack_sdk.web.file_upload_v2_result import FileUploadV2Result
from slack_sdk.webhook import WebhookClient, WebhookResponse

log = logging.getLogger(__name__)


def _retry(
    handlers: Sequence[RetryHandler],
    state: RetryState,
    request: RetryRequest,
    error: Exception,
) -> bool:
    """Let the first handler that takes ``error`` wait; False if none does (give up)."""
    response = None
    if isinstance(error, HTTPError):
        response = RetryResponse(
            status_code=error.code,
            headers={key: [value] for key, value in error.headers.items()},
            data=error.read(),
        )
    state.next_attempt_requested = False
    for handler in handlers:
        if handler.can_retry(state=state, request=request, response=response, error=error):
            handler.prepare_for_next_attempt(
                state=state, request=request, response=response, error=error
            )
            break
    return state.next_attempt_requested


class RetryingWebClient(WebClient):
    """A ``WebClient`` whose raw file upload goes through its retry handlers too."""

    def _upload_file(
        self,
        *,
        url: str,
        data: bytes,
        logger: logging.Logger,
        timeout: int,
        proxy: str | None,
        ssl: SSLContext | None,
    ) -> FileUploadV2Result:
        state = RetryState()
        request = RetryRequest(method="POST", url=url, headers={}, data=data)
        while True:
            try:
                return super()._upload_file(
                    url=url, data=data, logger=logger, timeout=timeout, proxy=proxy, ssl=ssl
                )
            except (HTTPError, URLError, ConnectionError) as error:
                if not _retry(self.retry_handlers, state, request, error):
                    raise

    @classmethod
    def like(cls, client: WebClient) -> RetryingWebClient:
        """This kind of client with everything ``client`` has (token, team, handlers…)."""
        if isinstance(client, cls):
            return client
        copy = cls(
            token=client.token,
            base_url=client.base_url,
            timeout=client.timeout,
            ssl=client.ssl,
            proxy=client.proxy,
            headers=client.headers,
            logger=client.logger,
            retry_handlers=list(client.retry_handlers or []),
        )
        copy.default_params = dict(client.default_params)  # the team id Bolt set, if any
        return copy


class RetryingRespond(Respond):
    """Bolt's ``respond`` with the client's retry handlers and timeout; an answer still not
    delivered after them is logged (the status only: a response_url is a credential)."""

    def __init__(
        self,
        *,
        response_url: str | None,
        timeout: int,
        retry_handlers: Sequence[RetryHandler],
        proxy: str | None = None,
        ssl: SSLContext | None = None,
    ) -> None:
        super().__init__(response_url=response_url, proxy=proxy, ssl=ssl)
        self.timeout = timeout
        self.retry_handlers = list(retry_handlers)

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
        if self.response_url is None:
            raise ValueError("respond is unsupported here as there is no response_url")
        if isinstance(text, dict):
            message = dict(text)
        else:
            fields: dict[str, Any] = {
                "blocks": blocks,
                "attachments": attachments,
                "response_type": response_type,
                "replace_original": replace_original,
                "delete_original": delete_original,
                "unfurl_links": unfurl_links,
                "unfurl_media": unfurl_media,
                "thread_ts": thread_ts,
                "metadata": metadata,
            }
            message = {"text": text, **{k: v for k, v in fields.items() if v is not None}}
        for key in ("blocks", "attachments"):
            if key in message:
                message[key] = [
                    item.to_dict() if hasattr(item, "to_dict") else item for item in message[key]
                ]
        client = WebhookClient(
            url=self.response_url,
            timeout=self.timeout,
            proxy=self.proxy,
            ssl=self.ssl,
            retry_handlers=list(self.retry_handlers),
        )
        response = client.send_dict(message)
        if response.status_code != 200:
            log.warning(
                "an answer via response_url was not delivered (HTTP %s)", response.status_code
            )
        return response


def install(app: App) -> None:
    """Give every request a retrying ``respond`` and client (see the module docstring)."""

    @app.middleware
    def retrying_slack_calls(context: BoltContext, next_: Callable[[], None]) -> None:
        equip(context)
        next_()


def equip(context: BoltContext) -> None:
    """Give the request of ``context`` the retrying client and ``respond``."""
    client = RetryingWebClient.like(context.client)
    context["client"] = client
    context["respond"] = RetryingRespond(
        response_url=context.response_url,
        timeout=client.timeout,
        retry_handlers=client.retry_handlers or [],
        proxy=client.proxy,
        ssl=client.ssl,
    )
