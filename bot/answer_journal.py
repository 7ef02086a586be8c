"""In a job worker, every answer a request gets is given once, however often its job runs.

A job runs again when its worker died before the queue heard it finish (``bot.worker_cmd``);
what the first run already said is in Slack, and Slack has no idempotency key. A middleware
gives each request's listeners a client and a ``respond`` that look in the journal
(``core.store.answers``) before each message they post (``chat.postMessage``,
``chat.postEphemeral``, a file shared with ``files_upload_v2``, a response_url answer): an
answer with the same request, destination and content was given, so it is skipped
and its recorded reply (the ``ts``) handed back. An answer is recorded right after Slack took
it, in the same thread: a worker killed between the two is the one window left, a few
milliseconds wide instead of the rest of the job. Edits (``chat.update``) need no journal:
doing one twice shows nothing twice.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk.models.attachments import Attachment
from slack_sdk.models.blocks import Block
from slack_sdk.web import SlackResponse
from slack_sdk.webhook import WebhookResponse

from bot.jobqueue import request_key
from bot.slack_retries import RetryingRespond, RetryingWebClient
from core.store.answers import AnswersRepository
from handlers.deps import Deps

log = logging.getLogger("bot.answers")

POSTING_METHODS = frozenset(
    {
        "chat.postMessage",
        "chat.postEphemeral",
        "chat.scheduleMessage",
        "files.completeUploadExternal",
    }
)


def fingerprint(what: dict[str, Any]) -> str:
    text = json.dumps(what, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Journal:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def given(self, key: str, print_: str) -> dict[str, Any] | None:
        with self.deps.uow() as uow:
            return AnswersRepository(uow.session).find(key, print_)

    def record(self, key: str, print_: str, response: dict[str, Any]) -> None:
        with self.deps.uow() as uow:
            AnswersRepository(uow.session).record(key, print_, response, self.deps.clock())
            uow.commit()


class JournaledWebClient(RetryingWebClient):
    """The request's client: messages it posts are journaled under the request's key."""

    journal: Journal | None = None
    request_key: str = ""

    def api_call(self, api_method: str, **kwargs: Any) -> SlackResponse:
        if self.journal is None or api_method not in POSTING_METHODS:
            return super().api_call(api_method, **kwargs)
        what = {"method": api_method, **{k: kwargs.get(k) for k in ("params", "json", "data")}}
        print_ = fingerprint(what)
        given = self.journal.given(self.request_key, print_)
        if given is not None:
            log.info(
                "request %s: %s already given (job run again): skipped",
                self.request_key,
                api_method,
            )
            return SlackResponse(
                client=self,
                http_verb="POST",
                api_url=f"{self.base_url}{api_method}",
                req_args={},
                data=given,
                headers={},
                status_code=200,
            )
        response = super().api_call(api_method, **kwargs)
        if isinstance(response.data, dict) and response.data.get("ok"):
            self.journal.record(self.request_key, print_, response.data)
        return response


class JournaledRespond(RetryingRespond):
    """The request's ``respond``: an answer via its response_url is given once."""

    def __init__(self, inner: RetryingRespond, journal: Journal, key: str) -> None:
        super().__init__(
            response_url=inner.response_url,
            timeout=inner.timeout,
            retry_handlers=inner.retry_handlers,
            proxy=inner.proxy,
            ssl=inner.ssl,
        )
        self.journal, self.key = journal, key

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
        arguments = {
            "text": text,
            "blocks": [b.to_dict() if isinstance(b, Block) else b for b in blocks or []],
            "attachments": [
                a.to_dict() if isinstance(a, Attachment) else a for a in attachments or []
            ],
            "response_type": response_type,
            "replace_original": replace_original,
            "delete_original": delete_original,
            "thread_ts": thread_ts,
        }
        print_ = fingerprint({"method": "response_url", "url": self.response_url, **arguments})
        if self.journal.given(self.key, print_) is not None:
            log.info("request %s: its answer was already given (job run again): skipped", self.key)
            return WebhookResponse(url="", status_code=200, body="ok", headers={})
        response = super().__call__(
            text,
            blocks,
            attachments,
            response_type,
            replace_original,
            delete_original,
            unfurl_links,
            unfurl_media,
            thread_ts,
            metadata,
        )
        if response.status_code == 200:
            self.journal.record(self.key, print_, {"status": 200})
        return response


def install(app: App, deps: Deps) -> None:
    """Journal the answers of every request this (worker's) app dispatches. Installed after
    ``bot.slack_retries.install``, whose client and ``respond`` it wraps."""
    journal = Journal(deps)

    @app.middleware
    def journaled_answers(
        context: BoltContext, body: dict[str, Any], next_: Callable[[], None]
    ) -> None:
        key = request_key(body)
        client = JournaledWebClient.like(context.client)
        if isinstance(client, JournaledWebClient):
            client.journal, client.request_key = journal, key
        context["client"] = client
        respond = context.get("respond")
        if isinstance(respond, RetryingRespond) and respond.response_url:
            context["respond"] = JournaledRespond(respond, journal, key)
        next_()
