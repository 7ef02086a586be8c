"""The Rackbeat import in the file's thread: offer, preview, confirm, progress, result, cancel.

A clean register file's verdict carries "Import into Rackbeat…" while Rackbeat is connected.
The button reads the file again and compares it with the account (``core.imports.planner``):
nothing is stored to be sent unless the preview is clean, and the person then chooses "create
only" or "create and update". Confirming is one guarded UPDATE (two clicks start one import)
and hands ``run_import`` to the background pool of the process that took the click (on
PostgreSQL a job worker: the click's job ends there, the import is not a queue job); the
journal in the database is the truth, so the periodic import resumer (``bot.recovery``, run by
every job worker on PostgreSQL and by `serve` / `socket` on SQLite) takes over an import whose
process died once its lease runs out. Only people who may change the onboarding may preview,
start, cancel or retry.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeGuard

from slack_bolt import Ack
from slack_sdk import WebClient

from core.credentials import RackbeatCredentials
from core.errors import DomainError, UpstreamError
from core.imports.model import Counts, Mode, Status
from core.imports.payloads import IMPORTABLE
from core.imports.planner import plan
from core.imports.repository import ImportView
from core.imports.result import diff_csv, result_csv
from core.imports.runner import RunnerDeps, Unconnected, run_import
from core.imports.source import read_rows
from core.onboarding.service import OnboardingService
from core.onboarding.snapshot import OnboardingSnapshot
from core.registers import FileInput, FileResult, Register, Valuation, validate_files
from core.registers.header import register_in_text
from core.registers.intake import Refusal
from core.sources.rackbeat import RackbeatRecords
from core.tenancy import Channel
from core.upstream import Source
from handlers.blocks.imports import (
    ACTION_CANCEL,
    ACTION_CREATE,
    ACTION_PREVIEW,
    ACTION_RESUME,
    ACTION_RETRY,
    ACTION_UPDATE,
    final_message,
    import_button,
    inventory_note,
    preview_message,
    progress_message,
)
from handlers.blocks.registers import mrkdwn_text, simple_message
from handlers.checklist import actor_for
from handlers.commands import CommandRouter
from handlers.deps import Deps
from handlers.errors import Notice, render_error
from handlers.file_source import fetch_shared_file
from handlers.messages import t
from handlers.registry import Registrar
from handlers.slack_failures import SLACK_FAILURES, describe

log = logging.getLogger(__name__)

# Calls in flight at once per import: enough to hide Rackbeat's latency under the ceiling.
IMPORT_CONCURRENCY = 4


@dataclass(frozen=True)
class _Asked:
    """A click on "Import into Rackbeat…": who, where, which file."""

    where: Channel
    user_id: str
    thread_ts: str
    file_id: str
    name: str
    share_text: str
    onboarding_id: int


class ImportRefused(Notice):
    """A refusal about an import: said plainly by the error hook, or in the import's own
    thread reply while the file is being compared."""


def offer_blocks(
    deps: Deps, onboarding_id: int, result: FileResult, file_id: str, lang: str
) -> list[dict[str, Any]]:
    """What a clean file's verdict offers: the import button (Rackbeat connected, a register
    the API takes) or, for initial balances, where Rackbeat's own import screen is."""
    if not result.valid or result.register is None:
        return []
    if result.register is Register.INVENTORY:
        return inventory_note(lang)
    if result.register in IMPORTABLE and _connected(deps, onboarding_id):
        return import_button(file_id, lang)
    return []


def _connected(deps: Deps, onboarding_id: int) -> bool:
    with deps.uow() as uow:
        return Source.RACKBEAT in uow.numbering.credentials(onboarding_id)


class SlackNotifier:
    """``core.imports.runner.Notifier`` on Slack: edits one progress message, then the result."""

    def __init__(self, deps: Deps, client: WebClient) -> None:
        self.deps, self.client = deps, client

    def _lang(self, view: ImportView) -> str:
        return (
            OnboardingService(self.deps.uow).language(Channel(view.team_id, view.channel_id))
            or "en"
        )

    def progress(self, view: ImportView, counts: Counts) -> None:
        if view.progress_ts:
            text, blocks = progress_message(view.file_name, counts, view.id, self._lang(view))
            self.client.chat_update(
                channel=view.channel_id, ts=view.progress_ts, text=text, blocks=blocks
            )

    def finished(self, view: ImportView, counts: Counts, status: Status, code: str | None) -> None:
        lang = self._lang(view)
        text, blocks = final_message(
            view.file_name, view.register, counts, status, code, view.id, lang
        )
        if view.progress_ts:
            self.client.chat_update(
                channel=view.channel_id, ts=view.progress_ts, text=text, blocks=blocks
            )
        else:
            self.client.chat_postMessage(
                channel=view.channel_id, thread_ts=view.thread_ts, text=text, blocks=blocks
            )
        with self.deps.uow() as uow:
            repo = uow.imports
            current = repo.get(view.id)
            if current is None or current.result_uploaded:
                return
            data = result_csv(repo.all_records(view.id))
        stem = view.file_name.rsplit(".", 1)[0] or "file"
        self.client.files_upload_v2(
            channel=view.channel_id,
            thread_ts=view.thread_ts,
            file=data,
            filename=f"{stem}-import-result.csv",
            title=f"{stem}-import-result.csv",
            initial_comment=t("imports.result.comment", lang, name=mrkdwn_text(view.file_name)),
        )
        with self.deps.uow() as uow:
            uow.imports.mark_result_uploaded(view.id)
            uow.commit()


class Importer:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    # --- the account ------------------------------------------------------------------------

    def account(self, onboarding_id: int, stop: threading.Event | None = None) -> RackbeatRecords:
        numbering = self.deps.numbering
        with self.deps.uow() as uow:
            stored = uow.numbering.credentials(onboarding_id).get(Source.RACKBEAT)
            sealed = stored.sealed if stored is not None else None
        upstreams = self.deps.upstreams
        if sealed is None or numbering is None or numbering.box is None or upstreams is None:
            raise Unconnected
        try:
            credentials = numbering.box.open(sealed, RackbeatCredentials)
        except DomainError as error:
            raise Unconnected from error
        # The account's one request ceiling and the same User-Agent as every other request.
        return upstreams.rackbeat_records(credentials, stop)

    def runner_deps(self, client: WebClient) -> RunnerDeps:
        return RunnerDeps(
            uow=self.deps.uow,
            account=lambda view, stop: self.account(view.onboarding_id, stop),
            notifier=SlackNotifier(self.deps, client),
            clock=self.deps.clock,
            concurrency=IMPORT_CONCURRENCY,
        )

    def start(self, client: WebClient, import_id: int) -> None:
        self.deps.executor.submit(self._run, client, import_id)

    def _run(self, client: WebClient, import_id: int) -> None:
        if run_import(import_id, self.runner_deps(client)) is None or self.deps.account is None:
            return
        # The import changed the account: read it again, or the next file check would judge
        # against the account as it was before (records just created "not in Rackbeat").
        with self.deps.uow() as uow:
            view = uow.imports.get(import_id)
        if view is None:
            return
        try:
            self.deps.account.refresh(view.onboarding_id)
        except Exception:  # a courtesy after the import: the next check reads it when old
            log.warning("account not read again after import %s", import_id, exc_info=True)

    def resume_stale(self, client: WebClient | Callable[[str], WebClient | None]) -> int:
        """Hand the imports whose runner died (lease run out) to the background pool.
        ``client`` may be a function of the team id (one token per workspace, OAuth mode);
        an import of a workspace it has no client for (uninstalled) waits."""
        with self.deps.uow() as uow:
            repository = uow.imports
            views = [repository.get(import_id) for import_id in repository.stale(self.deps.clock())]
        resumed = 0
        for view in views:
            if view is None:
                continue
            import_id = view.id
            team_client = client if isinstance(client, WebClient) else client(view.team_id)
            if team_client is not None:
                self.start(team_client, import_id)
                resumed += 1
        return resumed

    # --- what people do -----------------------------------------------------------------------

    def _require(self, client: WebClient, where: Channel, user_id: str, action: str) -> int:
        """The onboarding's id if ``user_id`` may change it (else ``PermissionDenied``)."""
        service = OnboardingService(self.deps.uow)
        snapshot = service.find(where)
        if snapshot is None:
            raise ImportRefused("imports.refused.stale")
        numbering = self.deps.numbering
        assert numbering is not None
        numbering.require_change(where, actor_for(client, user_id, where.team_id), action)
        return snapshot.id

    def preview(
        self, client: WebClient, where: Channel, user_id: str, thread_ts: str, file_id: str
    ) -> None:
        onboarding_id = self._require(client, where, user_id, "imports.preview")
        if not _connected(self.deps, onboarding_id):
            raise ImportRefused("imports.refused.not_connected")
        snapshot = OnboardingService(self.deps.uow).find(where)
        assert snapshot is not None
        lang = snapshot.language
        with self.deps.uow() as uow:
            shared = uow.imports.shared_file(where.team_id, file_id)
        if shared is None:
            raise ImportRefused("imports.refused.stale")
        name, share_text = shared
        reply = client.chat_postMessage(
            channel=where.channel_id,
            thread_ts=thread_ts,
            text=t("imports.previewing", lang, name=mrkdwn_text(name)),
        )
        asked = _Asked(where, user_id, thread_ts, file_id, name, share_text, onboarding_id)
        reply_ts = str(reply["ts"])
        try:
            self._compare(client, asked, snapshot, reply_ts)
        except ImportRefused as refusal:
            # Caught here, not by the error hook: the "comparing…" reply says why, in the
            # thread, instead of staying forever.
            text = render_error(refusal, lang)
            client.chat_update(
                channel=where.channel_id, ts=reply_ts, text=text, blocks=simple_message(text)[1]
            )
        except Exception:
            text = t("error.apology", lang)
            client.chat_update(
                channel=where.channel_id, ts=reply_ts, text=text, blocks=simple_message(text)[1]
            )
            raise

    def _compare(
        self, client: WebClient, asked: _Asked, snapshot: OnboardingSnapshot, reply_ts: str
    ) -> None:
        """Read the file again, compare it with the account, show (and store) the preview."""
        where, lang, name = asked.where, snapshot.language, asked.name
        onboarding_id, thread_ts, file_id = asked.onboarding_id, asked.thread_ts, asked.file_id
        try:
            data = fetch_shared_file(self.deps, client, file_id)
        except Refusal as refusal:
            raise ImportRefused(refusal.code, **refusal.params) from refusal
        with self.deps.uow() as uow:
            known = uow.registers.known(onboarding_id)
        # Judged as the file check judged it (the header beats the message text; names the
        # account resolves are numbers), or a file called ready could be refused here.
        checks = self.deps.account.for_checks(onboarding_id) if self.deps.account else None
        file = FileInput(name, data=data)
        result = validate_files(
            [file],
            known=known,
            valuation=Valuation(snapshot.valuation.value) if snapshot.valuation else None,
            register_hint=register_in_text(asked.share_text),
            today=self.deps.clock().date(),
            account=checks.facts if checks is not None else None,
        ).files[0]
        if not result.valid or result.register not in IMPORTABLE:
            raise ImportRefused("imports.refused.not_clean")
        register, rows = read_rows(file, result)
        try:
            with self.account(onboarding_id) as account:
                preview = plan(register, rows, account)
        except Unconnected as error:
            raise ImportRefused("imports.refused.not_connected") from error
        except UpstreamError as error:
            # The source and its code, worded in the reader's language (not its English log line).
            raise ImportRefused("imports.refused.unreachable", reason=error) from error
        import_id = None
        if preview.ok and preview.records:
            with self.deps.uow() as uow:
                import_id = uow.imports.create_preview(
                    onboarding_id=onboarding_id,
                    team_id=where.team_id,
                    channel_id=where.channel_id,
                    thread_ts=thread_ts,
                    file_id=file_id,
                    file_name=name,
                    register=register.value,
                    fingerprint=hashlib.sha256(data).hexdigest(),
                    created_by=asked.user_id,
                    records=preview.records,
                    now=self.deps.clock(),
                )
                uow.imports.set_preview_ts(import_id, reply_ts)
                uow.commit()
        text, blocks = preview_message(preview, import_id, name, lang)
        client.chat_update(channel=where.channel_id, ts=reply_ts, text=text, blocks=blocks)
        if preview.ok and preview.changes:
            stem = name.rsplit(".", 1)[0] or "file"
            client.files_upload_v2(
                channel=where.channel_id,
                thread_ts=thread_ts,
                file=diff_csv(preview.changes),
                filename=f"{stem}-import-diff.csv",
                title=f"{stem}-import-diff.csv",
                initial_comment=t("imports.diff.comment", lang),
            )

    def confirm(
        self, client: WebClient, where: Channel, user_id: str, import_id: int, mode: Mode
    ) -> None:
        self._require(client, where, user_id, "imports.start")
        now = self.deps.clock()
        with self.deps.uow() as uow:
            repo = uow.imports
            view = repo.get(import_id)
            if not _here(view, where):
                raise ImportRefused("imports.refused.stale")
            if view.status is not Status.PREVIEWED:
                running = view.status in (Status.QUEUED, Status.RUNNING, Status.CANCELLING)
                raise ImportRefused(
                    "imports.refused.running" if running else "imports.refused.stale"
                )
            if (
                repo.latest_file_in_thread(view.team_id, view.channel_id, view.thread_ts)
                != view.file_id
            ):
                repo.supersede(import_id, now)
                uow.commit()
                raise ImportRefused("imports.refused.file_changed")
            if repo.active_for_file(view.team_id, view.file_id) is not None:
                raise ImportRefused("imports.refused.running")
        if not _connected(self.deps, view.onboarding_id):
            raise ImportRefused("imports.refused.not_connected")
        with self.deps.uow() as uow:
            repo = uow.imports
            if not repo.confirm(import_id, mode, user_id, now):
                raise ImportRefused("imports.refused.running")  # a second click
            counts = repo.counts(import_id)
            repo.audit(view, user_id, "imports.started", now, f"{mode}: {counts.total} to send")
            uow.commit()
        lang = OnboardingService(self.deps.uow).language(where) or "en"
        if view.preview_ts:
            queued = t(
                "imports.queued",
                lang,
                user=user_id,
                name=mrkdwn_text(view.file_name),
                total=counts.total,
            )
            try:
                client.chat_update(
                    channel=where.channel_id,
                    ts=view.preview_ts,
                    text=queued,
                    blocks=simple_message(queued)[1],
                )
            except SLACK_FAILURES as error:
                log.warning(
                    "could not close the preview of import %d: %s", import_id, describe(error)
                )
        self._post_progress(client, view, counts, lang)
        self.start(client, import_id)

    def _post_progress(
        self, client: WebClient, view: ImportView, counts: Counts, lang: str
    ) -> None:
        text, blocks = progress_message(view.file_name, counts, view.id, lang)
        reply = client.chat_postMessage(
            channel=view.channel_id, thread_ts=view.thread_ts, text=text, blocks=blocks
        )
        with self.deps.uow() as uow:
            uow.imports.set_progress_ts(view.id, str(reply["ts"]))
            uow.commit()

    def cancel(self, client: WebClient, where: Channel, user_id: str, import_id: int) -> None:
        self._require(client, where, user_id, "imports.cancel")
        with self.deps.uow() as uow:
            repo = uow.imports
            view = repo.get(import_id)
            if not _here(view, where) or not repo.request_cancel(import_id):
                raise ImportRefused("imports.refused.not_running")
            uow.commit()
        lang = OnboardingService(self.deps.uow).language(where) or "en"
        client.chat_postMessage(
            channel=where.channel_id,
            thread_ts=view.thread_ts,
            text=t("imports.cancelling", lang, user=user_id),
        )

    def requeue(
        self, client: WebClient, where: Channel, user_id: str, import_id: int, *, failed: bool
    ) -> None:
        self._require(client, where, user_id, "imports.retry")
        with self.deps.uow() as uow:
            repo = uow.imports
            view = repo.get(import_id)
            if not _here(view, where):
                raise ImportRefused("imports.refused.stale")
            if not repo.requeue(import_id, user_id, self.deps.clock(), failed=failed):
                raise ImportRefused("imports.refused.running")
            counts = repo.counts(import_id)
            uow.commit()
        lang = OnboardingService(self.deps.uow).language(where) or "en"
        self._post_progress(client, view, counts, lang)
        self.start(client, import_id)


def _here(view: ImportView | None, where: Channel) -> TypeGuard[ImportView]:
    """The import exists and belongs to the channel the click came from (a forged id from
    another channel or team is refused like a stale one)."""
    return view is not None and (view.team_id, view.channel_id) == (
        where.team_id,
        where.channel_id,
    )


def _value(body: dict[str, Any], key: str) -> Any:
    action = (body.get("actions") or [{}])[0]
    try:
        parsed = json.loads(action.get("value") or "{}")
    except (TypeError, ValueError):
        return None
    return parsed.get(key) if isinstance(parsed, dict) else None


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def clicked(body: dict[str, Any]) -> tuple[Channel, str, str] | None:
    team_id = _text((body.get("team") or {}).get("id"))
    channel_id = _text((body.get("channel") or {}).get("id"))
    user_id = _text((body.get("user") or {}).get("id"))
    found = body.get("message")
    message: dict[str, Any] = found if isinstance(found, dict) else {}
    thread_ts = _text(message.get("thread_ts")) or _text(message.get("ts"))
    if not (team_id and channel_id and user_id):
        log.warning("an import click without team, channel or user: ignored")
        return None
    return Channel(team_id, channel_id), user_id, thread_ts


def register(reg: Registrar, router: CommandRouter, deps: Deps) -> None:
    importer = Importer(deps)

    def guarded(client: WebClient, body: dict[str, Any], work: Any) -> None:
        found = clicked(body)
        if found is None:
            return
        where, user_id, thread_ts = found
        # A refusal (not a member, the import already running, …) goes to the one error
        # hook, which answers the clicker: an ``ImportRefused`` plainly, others as refusals.
        work(where, user_id, thread_ts)

    def on_preview(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        file_id = _value(body, "file")
        if not isinstance(file_id, str) or not file_id:
            return
        guarded(client, body, lambda w, u, ts: importer.preview(client, w, u, ts, file_id))

    def confirm_with(mode: Mode) -> Any:
        def on_confirm(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
            ack()
            import_id = _value(body, "import")
            if not isinstance(import_id, int):
                return
            guarded(client, body, lambda w, u, ts: importer.confirm(client, w, u, import_id, mode))

        return on_confirm

    def on_cancel(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        import_id = _value(body, "import")
        if isinstance(import_id, int):
            guarded(client, body, lambda w, u, ts: importer.cancel(client, w, u, import_id))

    def requeue_with(failed: bool) -> Any:
        def on_requeue(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
            ack()
            import_id = _value(body, "import")
            if isinstance(import_id, int):
                guarded(
                    client,
                    body,
                    lambda w, u, ts: importer.requeue(client, w, u, import_id, failed=failed),
                )

        return on_requeue

    reg.action(ACTION_PREVIEW, on_preview)
    reg.action(ACTION_CREATE, confirm_with(Mode.CREATE))
    reg.action(ACTION_UPDATE, confirm_with(Mode.UPDATE))
    reg.action(ACTION_CANCEL, on_cancel)
    reg.action(ACTION_RETRY, requeue_with(True))
    reg.action(ACTION_RESUME, requeue_with(False))
