"""In a job worker, every answer a request gets is given once, however often its job runs.

A job runs again when its worker died before the queue heard it finish (``bot.worker_cmd``);
what the first run already said is in Slack, and Slack has no idempotency key. A middleware
gives each request's listeners a client and a ``respond`` that look in the journal
(``core.store.answers``) before each message they post (``chat.postMessage``,
``chat.postEphemeral``, a file shared with ``files_upload_v2``, a response_url answer): an
answer with the same request, destination and content was given, so it is skipped
and its recorded reply (the ``ts``) handed back. Answers to a person (a response_url answer,
an ephemeral message) are known by their place: the n-th answer of the request to that
response_url, or to that person in that channel, is given once, whatever it says the second
time (a re-run sees the state the first run left, "already done" for "done", or a time that
moved on). Messages in a channel or thread are known by their content.

Slack can be asked afterwards about two kinds of answer, and for them no window is left: a
message in a channel or thread carries a marker in its (hidden) metadata, and a file has the
id Slack gave it; both are noted (committed) before Slack can have them, and a run after a
crash looks for them in Slack (``conversations.history``/``replies``, ``files.info``) and
sends only what is not there. Answers to one person cannot be read back: their row is
inserted before the answer is sent and committed right after Slack took it, so a worker
killed between Slack's receipt and that commit (one round trip) may give that one answer
twice; killed earlier, its transaction rolls back and the next run sends it. Edits
(``chat.update``) need no journal: doing one twice shows nothing twice.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk.errors import SlackApiError
from slack_sdk.models.attachments import Attachment
from slack_sdk.models.blocks import Block
from slack_sdk.web import SlackResponse
from slack_sdk.webhook import WebhookResponse

from bot.jobqueue import request_key
from bot.slack_retries import RetryingRespond, RetryingWebClient
from handlers.deps import Deps
from handlers.marked_messages import find_marked, mark

log = logging.getLogger("bot.answers")

# Calls that show something new. A file upload is journaled as a whole (``files_upload_v2``):
# each attempt gets a new file id from Slack, so its last call never looks the same twice.
POSTING_METHODS = frozenset({"chat.postMessage", "chat.postEphemeral", "chat.scheduleMessage"})
# The metadata event that marks a message as the answer to a request (see ``_post_once``).
ANSWER_EVENT = "rackbeat_answer"
# Answers to one person, known by their place rather than their words.
PERSONAL_METHODS = frozenset({"chat.postEphemeral"})


def fingerprint(what: dict[str, Any]) -> str:
    text = json.dumps(what, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Journal:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def once(
        self,
        key: str,
        what: dict[str, Any],
        send: Callable[[], dict[str, Any] | None],
        expected: dict[str, Any] | None = None,
    ) -> dict[str, Any] | None:
        """``send()`` unless this answer was given; what Slack answered (recorded if given).

        ``send`` returns what to record, or ``None`` when Slack did not take the answer (then
        nothing is recorded). ``expected``: the record when it is known before sending (saves
        the round trip that stores Slack's reply).
        """
        print_ = fingerprint(what)
        with self.deps.uow() as uow:
            repo = uow.answers
            # Reserve first: the usual case (never given) costs one statement before sending.
            if repo.reserve(key, print_, expected or {}, self.deps.clock()):
                response = send()
                if response is None:
                    return None  # not given: the reservation rolls back
                if expected is None:
                    repo.set_response(key, print_, response)
                uow.commit()
                return response
            given = repo.find(key, print_) or {}
        log.info("request %s: %s already given (job run again): skipped", key, what["method"])
        return given

    def once_verified(
        self,
        key: str,
        what: dict[str, Any],
        send: Callable[[Callable[[dict[str, Any]], None]], dict[str, Any] | None],
        shown: Callable[[dict[str, Any]], dict[str, Any] | None],
    ) -> dict[str, Any] | None:
        """Like ``once``, for an answer Slack can be asked about afterwards: ``send(note)``
        calls ``note`` with what finds the answer in Slack (committed at once, as a pending
        record) before Slack can have it; a later run finding a pending record asks
        ``shown(record)`` for the answer as Slack holds it, and sends again only if there is
        none."""
        print_ = fingerprint(what)
        with self.deps.uow() as uow:
            repo = uow.answers
            repo.hold(key, print_)
            record, method = repo.find(key, print_), what["method"]
            if record is not None and not record.get("pending"):
                log.info("request %s: %s already given (job run again): skipped", key, method)
                return record
            given = shown(record) if record is not None else None
            if given is not None:
                log.info("request %s: %s reached Slack before a crash: skipped", key, method)
                repo.put(key, print_, given, self.deps.clock())
                uow.commit()
                return given

            def note(progress: dict[str, Any]) -> None:
                # Committed at once: the record must outlive a worker killed mid-answer.
                pending = {"pending": True, **progress}
                if not repo.holds_locks:
                    # SQLite: one writer at a time, and it is this transaction.
                    repo.put(key, print_, pending, self.deps.clock())
                    uow.commit()
                    return
                # PostgreSQL: its own transaction, so this one keeps its hold.
                with self.deps.uow() as side:
                    side.answers.put(key, print_, pending, self.deps.clock())
                    side.commit()

            response = send(note)
            if response is None:
                return None
            repo.put(key, print_, response, self.deps.clock())
            uow.commit()
            return response


class JournaledWebClient(RetryingWebClient):
    """The request's client: messages it posts are journaled under the request's key."""

    journal: Journal | None = None
    request_key: str = ""
    answered: Counter[str] | None = None
    # While a file is being uploaded: where its id goes as soon as Slack hands it out.
    note_upload: Callable[[dict[str, Any]], None] | None = None

    def api_call(self, api_method: str, **kwargs: Any) -> SlackResponse:
        if api_method == "files.getUploadURLExternal" and self.note_upload is not None:
            response = super().api_call(api_method, **kwargs)
            if response.get("ok") and response.get("file_id"):
                self.note_upload({"file_id": response["file_id"]})
            return response
        if self.journal is None or api_method not in POSTING_METHODS:
            return super().api_call(api_method, **kwargs)
        what = {"method": api_method, **{k: kwargs.get(k) for k in ("params", "json", "data")}}
        if api_method == "chat.postMessage" and isinstance(kwargs.get("json"), dict):
            return self._post_once(what, kwargs)
        if api_method in PERSONAL_METHODS and self.answered is not None:
            fields = {**(kwargs.get("params") or {}), **(kwargs.get("json") or {})}
            place = f"{fields.get('channel')}/{fields.get('user')}"
            what = {"method": api_method, "to": place, "n": self.answered[place]}
            self.answered[place] += 1
        return self._once(
            api_method, what, lambda: super(JournaledWebClient, self).api_call(api_method, **kwargs)
        )

    def files_upload_v2(self, **kwargs: Any) -> SlackResponse:
        if self.journal is None:
            return super().files_upload_v2(**kwargs)
        content = kwargs.get("file") if kwargs.get("file") is not None else kwargs.get("content")
        if isinstance(content, str):
            content = content.encode("utf-8")
        what = {
            "method": "files_upload_v2",
            **{k: v for k, v in kwargs.items() if k not in ("file", "content")},
            "content": hashlib.sha256(content).hexdigest() if isinstance(content, bytes) else "",
        }
        sent: list[SlackResponse] = []

        def upload(note: Callable[[dict[str, Any]], None]) -> dict[str, Any] | None:
            self.note_upload = note
            try:
                response = super(JournaledWebClient, self).files_upload_v2(**kwargs)
            finally:
                self.note_upload = None
            sent.append(response)
            data = response.data
            return data if isinstance(data, dict) and data.get("ok") else None

        place = kwargs.get("channel") or kwargs.get("channels")
        recorded = self.journal.once_verified(
            self.request_key, what, upload, lambda record: self._shared(record, place)
        )
        return sent[0] if sent else self._recorded("files_upload_v2", recorded)

    def _shared(self, record: dict[str, Any], channel: Any) -> dict[str, Any] | None:
        """The file an interrupted run uploaded, if it was shared where it was going."""
        try:
            info = self.files_info(file=str(record.get("file_id") or ""))
        except SlackApiError:
            return None  # gone (or never completed): upload again
        found = info.get("file") or {}
        shares = found.get("shares") or {}
        shared_in = {*shares.get("public", {}), *shares.get("private", {})}
        shared_in |= {*found.get("channels", []), *found.get("groups", [])}
        wanted = channel.split(",") if isinstance(channel, str) else list(channel or [])
        if not shared_in or not all(place in shared_in for place in wanted):
            return None
        return {"ok": True, "file": found, "files": [found]}

    def _post_once(self, what: dict[str, Any], kwargs: dict[str, Any]) -> SlackResponse:
        """A message in a channel or thread: it carries a marker in its metadata (hidden from
        people), so a run after a crash finds it in the channel instead of posting it again."""
        assert self.journal is not None
        fields = dict(kwargs["json"])
        if not fields.get("metadata"):
            key = fingerprint({"request": self.request_key, **what})[:32]
            fields["metadata"] = mark(ANSWER_EVENT, key)
        sent: list[SlackResponse] = []

        def post(note: Callable[[dict[str, Any]], None]) -> dict[str, Any] | None:
            # Noted before Slack can have it: a crash right after Slack took it leaves a trace.
            note({"mark": fields["metadata"]})
            call = super(JournaledWebClient, self).api_call
            response = call("chat.postMessage", **{**kwargs, "json": fields})
            sent.append(response)
            data = response.data
            return data if isinstance(data, dict) and data.get("ok") else None

        recorded = self.journal.once_verified(
            self.request_key, what, post, lambda record: self._posted(fields)
        )
        return sent[0] if sent else self._recorded("chat.postMessage", recorded)

    def _posted(self, fields: dict[str, Any]) -> dict[str, Any] | None:
        """The message an interrupted run posted, found by its mark."""
        channel, thread = str(fields.get("channel")), fields.get("thread_ts")
        found = find_marked(self, channel, fields["metadata"], str(thread) if thread else None)
        if found is None:
            return None
        return {"ok": True, "channel": channel, "ts": found["ts"], "message": found}

    def _once(
        self, method: str, what: dict[str, Any], send: Callable[[], SlackResponse]
    ) -> SlackResponse:
        assert self.journal is not None
        sent: list[SlackResponse] = []

        def send_and_keep() -> dict[str, Any] | None:
            response = send()
            sent.append(response)
            data = response.data
            return data if isinstance(data, dict) and data.get("ok") else None

        recorded = self.journal.once(self.request_key, what, send_and_keep)
        return sent[0] if sent else self._recorded(method, recorded)

    def _recorded(self, method: str, recorded: dict[str, Any] | None) -> SlackResponse:
        """What Slack answered the first time, for a call this run skips."""
        return SlackResponse(
            client=self,
            http_verb="POST",
            api_url=f"{self.base_url}{method}",
            req_args={},
            data=recorded or {"ok": True},
            headers={},
            status_code=200,
        )


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
        self.answers = 0

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
        sent: list[WebhookResponse] = []

        def send() -> dict[str, Any] | None:
            response = super(JournaledRespond, self).__call__(
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
            sent.append(response)
            return {"status": 200} if response.status_code == 200 else None

        # Known by its place: the n-th answer to this response_url.
        what = {"method": "response_url", "url": self.response_url, "n": self.answers}
        self.answers += 1
        self.journal.once(self.key, what, send, expected={"status": 200})
        if sent:
            return sent[0]
        return WebhookResponse(url="", status_code=200, body="ok", headers={})


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
            client.answered = Counter()
        context["client"] = client
        respond = context.get("respond")
        if isinstance(respond, RetryingRespond) and respond.response_url:
            context["respond"] = JournaledRespond(respond, journal, key)
        next_()
