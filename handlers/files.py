"""CSV intake: a register file shared in a channel is checked and answered in its thread.

Flow for each file of a ``file_share`` message, after ``ack()``:

1. Claim (team, file id) in the database: a retried event finds it taken and does nothing.
   The claim keeps where to answer, the reply's ``ts`` and the outputs already uploaded.
2. Post "checking name…" in the file's thread at once, edited with progress on long files.
3. ``files.info`` (Slack Connect shares carry stubs): refuse too large or non-CSV files before
   any download; download with the bot token only from ``SLACK_FILE_HOSTS``, no redirects;
   Slack answers a missing ``files:read`` scope with an HTML sign-in page (slack.md).
4. Check with ``core.registers`` against the onboarding's known registers and valuation;
   edit the reply into the verdict with grouped issues, upload the error report and, for an
   error-free file, the normalized copy; remember its keys for later files.

Slack has had its ``ack`` before any of this and never re-sends the event, so work that stops
half-way must be picked up by us. A process that dies leaves its claim "received". On
PostgreSQL the event is a durable job that runs again once the dead worker's heartbeat is
missed; on SQLite the next start resumes it (``bot.recovery``). The next attempt takes the
claim over and runs the check again, reusing the "checking…" reply and skipping outputs
already uploaded. Slack or the database failing mid-way (after slack-sdk's retries) leaves the
claim to the job's retry a minute later (``RetryLater``), without an apology; in-process
(SQLite) there is no later, and the apology comes at once. A file is tried ``MAX_ATTEMPTS``
times before it is answered with one.
"""

from __future__ import annotations

import io
import json
import logging
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

import httpx
from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import OperationalError

from core.errors import DomainError
from core.onboarding.service import OnboardingService
from core.onboarding.snapshot import Channel, OnboardingSnapshot
from core.registers import (
    FileInput,
    FileResult,
    KnownRegisters,
    Register,
    Valuation,
    validate_files,
    write_normalized,
)
from core.registers.header import register_in_text
from core.sources.http import tls_context
from core.store.registers_repo import Claim, RegistersRepository
from handlers.background import RetryLater
from handlers.blocks.account import account_note
from handlers.blocks.issues import describe_issue, error_report
from handlers.blocks.registers import (
    ACTION_MARK_DONE,
    STEP_OF,
    after_mark_done,
    mrkdwn_text,
    result_message,
    simple_message,
)
from handlers.checklist import begin_step, mark_step_done
from handlers.commands import CommandRouter
from handlers.deps import Deps
from handlers.messages import t
from handlers.messages.formatting import tn
from handlers.registry import Registrar
from handlers.rejudge import FetchFailed, known_for, rejudge_inventory
from handlers.slack_failures import SLACK_FAILURES, describe, transient

log = logging.getLogger(__name__)

PROGRESS_SECONDS = 3.0
# A file whose check was started this many times without finishing gets an apology.
MAX_ATTEMPTS = 3
# Downloads: attempts on a 429, a 5xx or no answer, and the longest Retry-After waited.
DOWNLOAD_ATTEMPTS = 3
DOWNLOAD_MAX_WAIT = 30.0
_NOT_TEXT_TYPES = frozenset(
    [
        "png",
        "jpg",
        "jpeg",
        "gif",
        "bmp",
        "heic",
        "webp",
        "svg",
        "pdf",
        "zip",
        "gzip",
        "tar",
        "rar",
        "7z",
        "xls",
        "xlsx",
        "xlsm",
        "ods",
        "docx",
        "doc",
        "pptx",
        "mp4",
        "mov",
        "mp3",
        "wav",
        "binary",
    ]
)


class Refusal(Exception):
    """A file we answer with one message instead of a check (key in handlers.messages)."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key, self.params = key, params


class DownloadUnavailable(ConnectionError):
    """Slack's file server answered 429 or 5xx, or not at all: worth another try later."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class LostClaim(Exception):
    """Another attempt took this file over (this one was taken for dead): stop without
    answering."""


# The files this process is checking right now: a second event for one of them (a Slack
# retry of a late acknowledgement) must not take over a live attempt in the same process.
_checking: set[tuple[str, str]] = set()
_checking_guard = threading.Lock()


@dataclass(frozen=True)
class Share:
    team_id: str
    channel_id: str
    user_id: str
    thread_ts: str
    text: str


def register_override(text: str) -> Register | None:
    """A register named in the message the file was shared with, in any inflection
    (`toimittajat`, `tuoterekisteri`, `asiakkaita`, `varastosaldot`, `suppliers`)."""
    return register_in_text(text)


# What a register file is called or typed as; anything else is answered only when asked.
_REGISTER_EXTENSIONS = frozenset({"csv", "tsv", "txt"})
_REGISTER_TYPES = frozenset({"csv", "tsv", "text", "txt"})
_REGISTER_MIMETYPES = ("text/csv", "text/plain", "text/tab-separated-values", "application/csv")
# Words in the sharing message that ask for a check of whatever was shared.
_ASKING_WORDS = frozenset({"check", "validate", "csv", "tarkista", "tarkistatko", "tarkistus"})


def looks_like_register(stub: dict[str, Any], text: str) -> bool:
    """Whether a shared file is ours to answer: a CSV/TSV/TXT by name or type, or any file
    when the message names a register or asks for a check. A PNG or PDF dropped in the
    channel for people is none of our business. A stub without a name or type (Slack
    Connect shares) is checked: ``files.info`` tells then."""
    name = str(stub.get("name") or stub.get("title") or "")
    extension = name.rsplit(".", 1)[-1].casefold() if "." in name else ""
    filetype = str(stub.get("filetype") or "").casefold()
    mimetype = str(stub.get("mimetype") or "").casefold()
    if not (extension or filetype or mimetype):
        return True
    if extension in _REGISTER_EXTENSIONS or filetype in _REGISTER_TYPES:
        return True
    if mimetype.startswith(_REGISTER_MIMETYPES):
        return True
    words = set(re.findall(r"\w+", text.casefold()))
    return register_override(text) is not None or bool(words & _ASKING_WORDS)


def download(
    url: str, token: str, hosts: tuple[str, ...], limit_bytes: int, *, timeout: float = 30.0
) -> bytes:
    """The file's bytes; the token goes only to ``hosts`` and redirects are not followed.

    ``DownloadUnavailable`` for a 429, a 5xx or no answer within ``timeout`` (try again),
    ``Refusal`` for anything a retry would not change.
    """
    host = urlparse(url).hostname
    if host not in hosts:
        raise Refusal("registers.refused.host", host=mrkdwn_text(host or "?"))
    headers = {"Authorization": f"Bearer {token}"}
    try:
        with httpx.stream(
            "GET",
            url,
            headers=headers,
            follow_redirects=False,
            timeout=timeout,
            verify=tls_context(),
        ) as reply:
            if reply.status_code == 429 or reply.status_code >= 500:
                raise DownloadUnavailable(
                    f"HTTP {reply.status_code}", _seconds(reply.headers.get("retry-after"))
                )
            if reply.is_redirect:
                raise Refusal("registers.refused.redirect")
            if reply.status_code != 200:
                raise Refusal("registers.refused.download")
            if "text/html" in reply.headers.get("content-type", ""):
                raise Refusal("registers.refused.html")
            buffer = io.BytesIO()
            for chunk in reply.iter_bytes():
                buffer.write(chunk)
                if buffer.tell() > limit_bytes:
                    raise Refusal("registers.refused.too_large")
            return buffer.getvalue()
    except (httpx.TimeoutException, httpx.TransportError) as error:
        raise DownloadUnavailable(type(error).__name__) from error
    except httpx.HTTPError as error:
        log.warning("download failed: %s", type(error).__name__)
        raise Refusal("registers.refused.download") from error


def download_with_retries(
    url: str,
    token: str,
    hosts: tuple[str, ...],
    limit_bytes: int,
    *,
    timeout: float,
    attempts: int = DOWNLOAD_ATTEMPTS,
    sleep: Callable[[float], None] = time.sleep,
) -> bytes:
    """``download``, waiting out a 429 (its Retry-After, up to ``DOWNLOAD_MAX_WAIT``) and
    backing off after a 5xx or no answer, ``attempts`` times in all."""
    for attempt in range(1, attempts + 1):
        try:
            return download(url, token, hosts, limit_bytes, timeout=timeout)
        except DownloadUnavailable as error:
            log.warning("download attempt %d failed: %s", attempt, error)
            if attempt == attempts or (error.retry_after or 0) > DOWNLOAD_MAX_WAIT:
                raise
            sleep(error.retry_after if error.retry_after is not None else 0.5 * 2 ** (attempt - 1))
    raise AssertionError("unreachable")  # pragma: no cover


def _seconds(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


class Throttle:
    """Calls ``update`` at most every ``seconds`` (progress edits must not spam Slack)."""

    def __init__(
        self,
        update: Callable[[int], None],
        seconds: float = PROGRESS_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._update, self._seconds, self._clock = update, seconds, clock
        self._last = clock()

    def __call__(self, rows: int) -> None:
        now = self._clock()
        if now - self._last >= self._seconds:
            self._last = now
            self._update(rows)


class FileIntake:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def handle(self, client: WebClient, share: Share, stub: dict[str, Any]) -> None:
        file_id = stub.get("id")
        if not isinstance(file_id, str) or not file_id:
            log.warning("a shared file without an id: ignored")
            return
        name = str(stub.get("name") or stub.get("title") or file_id)
        with _checking_guard:
            if (share.team_id, file_id) in _checking:
                log.info("file %s is being checked right now: retried event ignored", file_id)
                return
        with self._held(share.team_id, file_id) as held:
            if held:
                self._claim_and_check(client, share, file_id, name)
            else:
                log.info("file %s is being checked by another worker: left to it", file_id)

    @contextmanager
    def _held(self, team_id: str, file_id: str) -> Iterator[bool]:
        """The file's lock for this attempt (PostgreSQL; see ``RegistersRepository.hold``)."""
        with self.deps.uow() as holder:
            repo = RegistersRepository(holder.session)
            held = repo.hold(team_id, file_id)
            try:
                yield held
            finally:
                if held:
                    try:
                        repo.release(team_id, file_id)
                    except Exception:
                        # A connection keeping the lock must not go back to the pool.
                        holder.session.connection().invalidate()
                        raise

    def _claim_and_check(self, client: WebClient, share: Share, file_id: str, name: str) -> None:
        with self.deps.uow() as uow:
            claim = RegistersRepository(uow.session).claim_file(
                share.team_id,
                file_id,
                share.channel_id,
                name,
                self.deps.clock(),
                thread_ts=share.thread_ts,
                user_id=share.user_id,
                text=share.text,
            )
            uow.commit()
        if claim is None:
            log.info("file %s was already processed: retried event ignored", file_id)
            return
        self._attempt_marked(client, claim, share, name)

    def resume(self, client: WebClient, team_id: str, file_id: str) -> bool:
        """Take over a check the previous process left unfinished and finish it; False if it
        is done (SQLite, at start: ``bot.recovery``)."""
        with self._held(team_id, file_id) as held:
            return held and self._resume_held(client, team_id, file_id)

    def _resume_held(self, client: WebClient, team_id: str, file_id: str) -> bool:
        with self.deps.uow() as uow:
            claim = RegistersRepository(uow.session).reclaim(team_id, file_id)
            uow.commit()
        if claim is None or not claim.thread_ts:
            return False
        log.info("resuming the check of %s (attempt %d)", file_id, claim.attempt)
        share = Share(
            team_id=claim.team_id,
            channel_id=claim.channel_id,
            user_id=claim.user_id or "",
            thread_ts=claim.thread_ts,
            text=claim.share_text,
        )
        self._attempt_marked(client, claim, share, claim.file_name or file_id)
        return True

    # --- one attempt -------------------------------------------------------------------------

    def _attempt_marked(self, client: WebClient, claim: Claim, share: Share, name: str) -> None:
        key = (claim.team_id, claim.file_id)
        with _checking_guard:
            _checking.add(key)
        try:
            self._attempt(client, claim, share, name)
        finally:
            with _checking_guard:
                _checking.discard(key)

    def _attempt(self, client: WebClient, claim: Claim, share: Share, name: str) -> None:
        onboarding = OnboardingService(self.deps.uow).find(Channel(share.team_id, share.channel_id))
        lang = onboarding.language if onboarding else "en"
        reply_ts = claim.reply_ts
        if claim.attempt > MAX_ATTEMPTS:
            log.error("checking %s failed %d times: given up", claim.file_id, MAX_ATTEMPTS)
            self._apologise(client, share, reply_ts, lang)
            self._finish(claim, "failed")
            return
        try:
            reply_ts = reply_ts or self._post_checking(client, share, claim, name, lang)
            try:
                status = self._check(client, share, claim, name, onboarding, lang, reply_ts)
            except Refusal as refusal:
                params = {"name": mrkdwn_text(name), **refusal.params}
                self._edit(client, share, reply_ts, *simple_message(t(refusal.key, lang, **params)))
                status = "refused"
        except LostClaim:
            log.info("the check of %s was taken over by another worker", claim.file_id)
            return
        except Exception as error:
            passing = transient(error) or isinstance(error, OperationalError)
            if passing and self.deps.retries_later:
                log.warning(
                    "checking %s stopped (%s): tried again later", claim.file_id, describe(error)
                )
                raise RetryLater(describe(error)) from error
            log.exception("checking %s failed", claim.file_id)
            self._apologise(client, share, reply_ts, lang)
            status = "failed"
        self._finish(claim, status)

    def _post_checking(
        self, client: WebClient, share: Share, claim: Claim, name: str, lang: str
    ) -> str:
        reply = client.chat_postMessage(
            channel=share.channel_id,
            thread_ts=share.thread_ts,
            text=t("registers.checking", lang, name=mrkdwn_text(name)),
        )
        reply_ts = str(reply["ts"])
        self._guard(lambda repo: repo.set_reply(claim, reply_ts))
        return reply_ts

    def _guard(self, write: Callable[[RegistersRepository], bool]) -> None:
        """Run a guarded write on the claim; ``LostClaim`` if another worker has it now."""
        with self.deps.uow() as uow:
            if not write(RegistersRepository(uow.session)):
                raise LostClaim
            uow.commit()

    def _still_mine(self, claim: Claim) -> None:
        self._guard(lambda repo: repo.still_mine(claim))

    def _finish(self, claim: Claim, status: str) -> None:
        with self.deps.uow() as uow:
            if not RegistersRepository(uow.session).finish(claim, status, self.deps.clock()):
                log.info("the check of %s was taken over by another worker", claim.file_id)
            uow.commit()

    def _apologise(self, client: WebClient, share: Share, reply_ts: str | None, lang: str) -> None:
        text, blocks = simple_message(t("error.apology", lang))
        try:
            if reply_ts:
                self._edit(client, share, reply_ts, text, blocks)
            else:
                client.chat_postMessage(
                    channel=share.channel_id, thread_ts=share.thread_ts, text=text, blocks=blocks
                )
        except SLACK_FAILURES as error:
            log.warning("could not tell the channel that a check failed: %s", describe(error))

    def _check(
        self,
        client: WebClient,
        share: Share,
        claim: Claim,
        name: str,
        onboarding: OnboardingSnapshot | None,
        lang: str,
        reply_ts: str,
    ) -> str:
        data = self._fetch(client, claim.file_id, name)
        self._still_mine(claim)
        known = KnownRegisters() if onboarding is None else known_for(self.deps, onboarding)
        valuation = onboarding.valuation if onboarding else None
        account = None
        if onboarding is not None and self.deps.account is not None:
            # Reads the account first when the stored snapshot is too old (or never read).
            account = self.deps.account.for_checks(onboarding.id)
            self._still_mine(claim)
        facts = account.facts if account is not None else None

        def show_progress(rows: int) -> None:
            self._still_mine(claim)
            count = tn("registers.count.rows", lang, rows)
            text = t("registers.progress", lang, name=mrkdwn_text(name), rows=count)
            try:
                self._edit(client, share, reply_ts, *simple_message(text))
            except SLACK_FAILURES as error:
                # Progress is a courtesy: the check goes on, the verdict replaces it anyway.
                log.warning("progress of %s not shown: %s", claim.file_id, describe(error))

        file = FileInput(name, data=data)
        result = validate_files(
            [file],
            known=known,
            valuation=Valuation(valuation.value) if valuation else None,
            register_hint=register_override(share.text),
            today=self.deps.clock().date(),
            progress=Throttle(show_progress),
            account=facts,
        ).files[0]
        if result.unreadable:
            raise _refusal_for(result, lang)
        self._store(share, claim, onboarding, result)
        text, blocks = result_message(
            result,
            lang,
            with_button=onboarding is not None,
            no_onboarding=onboarding is None,
            account_note=(
                account_note(result, account, lang, self.deps.clock())
                if onboarding is not None
                else None
            ),
        )
        if onboarding is not None:
            from handlers.imports import offer_blocks  # the import area builds on this one

            blocks += offer_blocks(self.deps, onboarding.id, result, claim.file_id, lang)
        self._edit(client, share, reply_ts, text, blocks)
        self._upload_outputs(client, share, claim, file, result, lang)
        if onboarding is not None and result.register is Register.PRODUCTS and result.snapshot:
            rejudge_inventory(
                self.deps,
                client,
                self._fetch_again,
                channel_id=share.channel_id,
                onboarding=onboarding,
                products=result,
                products_processed_id=claim.id,
            )
        if onboarding is not None and result.register is not None:
            begin_step(
                self.deps,
                client,
                team_id=share.team_id,
                channel_id=share.channel_id,
                user_id=share.user_id,
                step=STEP_OF[result.register],
            )
        return "checked"

    def _fetch(self, client: WebClient, file_id: str, name: str) -> bytes:
        try:
            info: dict[str, Any] = client.files_info(file=file_id)["file"]
        except SlackApiError as error:
            if transient(error):
                raise
            # A deleted file, a file the bot may not see, or an id Slack never issued.
            log.warning("files.info %s: %s", file_id, error.response.get("error"))
            raise Refusal("registers.refused.download") from error
        limit_mb = self.deps.config.max_upload_mb
        size = int(info.get("size") or 0)
        if size > limit_mb * 1024 * 1024:
            raise Refusal("registers.refused.too_large", size=round(size / 2**20), limit=limit_mb)
        filetype = str(info.get("filetype") or "").lower()
        mimetype = str(info.get("mimetype") or "").lower()
        if filetype in _NOT_TEXT_TYPES or mimetype.startswith(("image/", "video/", "audio/")):
            raise Refusal("registers.refused.not_csv")
        url = str(info.get("url_private_download") or info.get("url_private") or "")
        try:
            return download_with_retries(
                url,
                # The workspace's own token: in OAuth mode each has one (the client has it).
                client.token or "",
                self.deps.config.file_hosts,
                limit_mb * 1024 * 1024,
                timeout=self.deps.config.slack_timeout_seconds,
            )
        except Refusal as refusal:
            if refusal.key == "registers.refused.too_large":
                raise Refusal(refusal.key, size=f">{limit_mb}", limit=limit_mb) from refusal
            raise

    def _fetch_again(self, client: WebClient, file_id: str, name: str) -> bytes:
        try:
            return self._fetch(client, file_id, name)
        except (Refusal, DownloadUnavailable) as error:
            raise FetchFailed(type(error).__name__) from error
        except SLACK_FAILURES as error:
            raise FetchFailed(describe(error)) from error

    def _store(
        self,
        share: Share,
        claim: Claim,
        onboarding: OnboardingSnapshot | None,
        result: FileResult,
    ) -> None:
        """The result and the register's keys, in the transaction that checks the claim is
        still this attempt's: an attempt that lost its claim stores nothing."""
        now = self.deps.clock()
        with self.deps.uow() as uow:
            repo = RegistersRepository(uow.session)
            if not repo.still_mine(claim):
                raise LostClaim
            repo.save_result(
                claim.id,
                onboarding.id if onboarding else None,
                share.team_id,
                share.channel_id,
                result,
                now,
            )
            if onboarding is not None and result.snapshot is not None:
                repo.remember(onboarding.id, result.snapshot, result.file, result.rows, now)
            uow.commit()

    def _upload_outputs(
        self,
        client: WebClient,
        share: Share,
        claim: Claim,
        file: FileInput,
        result: FileResult,
        lang: str,
    ) -> None:
        """The error report and/or the normalized copy, each once: what an earlier attempt
        uploaded is skipped, and each upload is recorded on the claim right after."""
        stem = file.name.rsplit(".", 1)[0] or "file"
        uploaded = set(claim.uploaded)
        outputs: list[tuple[str, Callable[[], bytes | None], str, str]] = []
        if result.all_issues is not None and result.all_issues.height:
            outputs.append(
                (
                    "report",
                    lambda: error_report(result, lang),
                    f"{stem}-errors.csv",
                    t("registers.report.comment", lang, name=mrkdwn_text(file.name)),
                )
            )
        if result.valid:
            outputs.append(
                (
                    "normalized",
                    lambda: write_normalized(file, result),
                    f"{stem}-normalized.csv",
                    t("registers.normalized.comment", lang, name=mrkdwn_text(file.name)),
                )
            )
        for kind, write, filename, comment in outputs:
            if kind in uploaded:
                continue
            self._still_mine(claim)
            data = write()
            assert data is not None
            self._upload(client, share, data, filename, comment)
            uploaded.add(kind)
            self._mark_uploaded(claim, frozenset(uploaded))

    def _mark_uploaded(self, claim: Claim, uploaded: frozenset[str]) -> None:
        self._guard(lambda repo: repo.mark_uploaded(claim, uploaded))

    @staticmethod
    def _upload(client: WebClient, share: Share, data: bytes, filename: str, comment: str) -> None:
        client.files_upload_v2(
            channel=share.channel_id,
            thread_ts=share.thread_ts,
            file=data,
            filename=filename,
            title=filename,
            initial_comment=comment,
        )

    @staticmethod
    def _edit(
        client: WebClient, share: Share, ts: str, text: str, blocks: list[dict[str, Any]]
    ) -> None:
        client.chat_update(channel=share.channel_id, ts=ts, text=text, blocks=blocks)


def _refusal_for(result: FileResult, lang: str) -> Refusal:
    code = result.issues[0].code if result.issues else "not_text"
    line = result.issues[0].row if result.issues else None
    if code == "binary" and line is not None:
        return Refusal("registers.refused.control_characters", line=line)
    if code in ("binary", "spreadsheet", "not_text"):
        return Refusal("registers.refused.not_csv")
    if code in ("html", "empty", "header_only"):
        return Refusal(f"registers.refused.{code}")
    if code in ("unknown_register", "ambiguous_register"):
        return Refusal("registers.refused.unknown_register")
    reason = describe_issue(result.issues[0], lang) if result.issues else ""
    return Refusal("registers.refused.other", reason=mrkdwn_text(reason))


def _text(value: object) -> str:
    """A payload field that should be a string; "" for anything else."""
    return value if isinstance(value, str) else ""


def _step_of(value: object) -> str:
    """The step in a mark-done button's value (``{"step": "products"}``); "" if it has none."""
    try:
        parsed = json.loads(value) if isinstance(value, str) else None
    except ValueError:
        return ""
    step = parsed.get("step") if isinstance(parsed, dict) else None
    return step if isinstance(step, str) else ""


def register(reg: Registrar, router: CommandRouter, deps: Deps) -> None:
    intake = FileIntake(deps)

    def on_file_share(
        ack: Ack,
        body: dict[str, Any],
        event: dict[str, Any],
        client: WebClient,
        context: BoltContext,
    ) -> None:
        ack()
        if event.get("bot_id") and event.get("bot_id") == context.bot_id:
            return  # our own uploads (report, normalized copy) are not checked again
        if event.get("user") and event.get("user") == context.bot_user_id:
            return
        share = Share(
            team_id=_text(body.get("team_id")) or context.team_id or "",
            channel_id=_text(event.get("channel")),
            user_id=_text(event.get("user")),
            thread_ts=_text(event.get("thread_ts")) or _text(event.get("ts")),
            text=_text(event.get("text")),
        )
        files = event.get("files")
        if not (share.team_id and share.channel_id and share.thread_ts) or not isinstance(
            files, list
        ):
            log.warning("a file_share event without team, channel, ts or files: ignored")
            return
        for stub in files:
            if isinstance(stub, dict) and looks_like_register(stub, share.text):
                intake.handle(client, share, stub)

    def on_mark_done(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        action = (body.get("actions") or [{}])[0]
        step = _step_of(action.get("value"))
        team_id = _text((body.get("team") or {}).get("id"))
        channel_id = _text((body.get("channel") or {}).get("id"))
        user_id = _text((body.get("user") or {}).get("id"))
        if not (team_id and channel_id and user_id):
            log.warning("a mark-done click without team, channel or user: ignored")
            return
        message = body.get("message")
        message = message if isinstance(message, dict) else {}
        lang = OnboardingService(deps.uow).language(Channel(team_id, channel_id)) or "en"
        try:
            mark_step_done(
                deps, client, team_id=team_id, channel_id=channel_id, user_id=user_id, step=step
            )
        except DomainError as refusal:
            client.chat_postEphemeral(
                channel=channel_id,
                user=user_id,
                text=t("error.refused", lang, reason=refusal.reason),
            )
            return
        if not message.get("ts"):
            return  # no result message to turn into "done" (Slack always sends it)
        try:
            client.chat_update(
                channel=channel_id,
                ts=str(message.get("ts")),
                text=str(message.get("text") or ""),
                blocks=after_mark_done(list(message.get("blocks") or []), user_id, lang),
            )
        except SLACK_FAILURES as error:
            # The step is done (and said so in the checklist): only the button stays.
            log.warning("could not update the result message: %s", describe(error))

    reg.event({"type": "message", "subtype": "file_share"}, on_file_share)
    reg.action(ACTION_MARK_DONE, on_mark_done)
