"""Where the answers to a shared file go: its Slack thread and the onboarding's checklist
(``core.registers.intake.Answers``), worded in the onboarding's language; and the file intake
service as this process builds it.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient

from core.onboarding.snapshot import OnboardingSnapshot
from core.onboarding.steps import StepId
from core.registers import FileResult, write_normalized
from core.registers.intake import FileIntake, InFlight, Output, Refusal, Share, Verdict
from core.store.errors import StoreUnavailable
from handlers.background import RetryLater
from handlers.blocks.account import account_note
from handlers.blocks.issues import describe_issue, error_report
from handlers.blocks.registers import mrkdwn_text, result_message, simple_message
from handlers.checklist import begin_step
from handlers.deps import Deps
from handlers.file_source import SlackFileSource, fetch_again
from handlers.imports import offer_blocks
from handlers.messages import t
from handlers.messages.formatting import tn
from handlers.rejudge import rejudge_inventory
from handlers.slack_failures import SLACK_FAILURES, describe, transient

log = logging.getLogger(__name__)

# The files this process is checking right now, whichever listener or resumer started them.
IN_FLIGHT = InFlight()


def intake_for(deps: Deps) -> FileIntake:
    """The file intake service over this process's database and account reader."""

    def stop_for_later(error: Exception) -> Exception | None:
        # A job worker has a later (the job runs again); in-process work does not.
        passing = transient(error) or isinstance(error, StoreUnavailable)
        return RetryLater(describe(error)) if passing and deps.retries_later else None

    return FileIntake(
        deps.uow,
        clock=deps.clock,
        max_upload_mb=deps.config.max_upload_mb,
        account=deps.account,
        stop_for_later=stop_for_later,
        in_flight=IN_FLIGHT,
    )


def check_share(deps: Deps, client: WebClient, share: Share, file_id: str, name: str) -> None:
    """Check a file shared just now (``handlers.files``)."""
    intake_for(deps).handle(
        share, file_id, name, SlackFileSource(client, deps), SlackAnswers(deps, client, share)
    )


def resume_check(deps: Deps, client: WebClient, team_id: str, file_id: str) -> bool:
    """Finish a check an earlier attempt left unfinished; False if it is done
    (``bot.recovery``)."""
    return intake_for(deps).resume(
        team_id,
        file_id,
        SlackFileSource(client, deps),
        lambda share: SlackAnswers(deps, client, share),
    )


class SlackAnswers:
    """The answers to one share, in its thread."""

    def __init__(self, deps: Deps, client: WebClient, share: Share) -> None:
        self._deps, self._client, self._share = deps, client, share

    def checking(self, name: str, lang: str) -> str:
        reply = self._client.chat_postMessage(
            channel=self._share.channel_id,
            thread_ts=self._share.thread_ts,
            text=t("registers.checking", lang, name=mrkdwn_text(name)),
        )
        return str(reply["ts"])

    def progress(self, reply_ts: str, name: str, rows: int, lang: str) -> None:
        count = tn("registers.count.rows", lang, rows)
        text = t("registers.progress", lang, name=mrkdwn_text(name), rows=count)
        try:
            self._edit(reply_ts, *simple_message(text))
        except SLACK_FAILURES as error:
            # Progress is a courtesy: the check goes on, the verdict replaces it anyway.
            log.warning("progress of %s not shown: %s", name, describe(error))

    def refused(self, reply_ts: str, name: str, refusal: Refusal, lang: str) -> None:
        params: dict[str, object] = {"name": mrkdwn_text(name), **refusal.params}
        if refusal.code == "registers.refused.other":
            reason = describe_issue(refusal.issue, lang) if refusal.issue else ""
            params["reason"] = mrkdwn_text(reason)
        self._edit(reply_ts, *simple_message(t(refusal.code, lang, **params)))

    def verdict(self, reply_ts: str, verdict: Verdict, lang: str) -> None:
        onboarding, result = verdict.onboarding, verdict.result
        text, blocks = result_message(
            result,
            lang,
            with_button=onboarding is not None,
            no_onboarding=onboarding is None,
            account_note=(
                account_note(result, verdict.account, lang, self._deps.clock())
                if onboarding is not None
                else None
            ),
        )
        if onboarding is not None:
            blocks += offer_blocks(self._deps, onboarding.id, result, verdict.file_id, lang)
        self._edit(reply_ts, text, blocks)

    def upload(self, output: Output, verdict: Verdict, lang: str) -> None:
        file, result = verdict.file, verdict.result
        stem = file.name.rsplit(".", 1)[0] or "file"
        name = mrkdwn_text(file.name)
        if output is Output.REPORT:
            data: bytes | None = error_report(result, lang)
            filename = f"{stem}-errors.csv"
            comment = t("registers.report.comment", lang, name=name)
        else:
            data = write_normalized(file, result)
            filename = f"{stem}-normalized.csv"
            comment = t("registers.normalized.comment", lang, name=name)
        assert data is not None
        self._client.files_upload_v2(
            channel=self._share.channel_id,
            thread_ts=self._share.thread_ts,
            file=data,
            filename=filename,
            title=filename,
            initial_comment=comment,
        )

    def apologise(self, reply_ts: str | None, lang: str) -> None:
        text, blocks = simple_message(t("error.apology", lang))
        try:
            if reply_ts:
                self._edit(reply_ts, text, blocks)
            else:
                self._client.chat_postMessage(
                    channel=self._share.channel_id,
                    thread_ts=self._share.thread_ts,
                    text=text,
                    blocks=blocks,
                )
        except SLACK_FAILURES as error:
            log.warning("could not tell the channel that a check failed: %s", describe(error))

    def rejudge_inventory(
        self, onboarding: OnboardingSnapshot, products: FileResult, products_processed_id: int
    ) -> None:
        rejudge_inventory(
            self._deps,
            self._client,
            fetch_again(self._deps),
            channel_id=self._share.channel_id,
            onboarding=onboarding,
            products=products,
            products_processed_id=products_processed_id,
        )

    def begin_step(self, step: StepId, user_id: str) -> None:
        begin_step(
            self._deps,
            self._client,
            team_id=self._share.team_id,
            channel_id=self._share.channel_id,
            user_id=user_id,
            step=step,
        )

    def _edit(self, ts: str, text: str, blocks: list[dict[str, Any]]) -> None:
        self._client.chat_update(channel=self._share.channel_id, ts=ts, text=text, blocks=blocks)
