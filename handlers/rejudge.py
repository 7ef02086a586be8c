"""Verdicts a newer register makes out of date: inventory checked before its products.

Files are checked as they arrive, one at a time. Inventory is judged against the products
known at that moment (batch and serial numbers, product numbers): an inventory file shared
before its products file — in the same message or earlier — may have been called "ready to
import" on no products at all, while the CLI, given both files, checks products first
(suppliers → customers → products → inventory). So an error-free products file re-judges the
inventory files that were checked since the previous error-free products file: each is
fetched again and checked against the new products, and its thread reply is replaced by the
new verdict. A file that cannot be fetched again gets a note that it must be shared again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient

from core.onboarding.snapshot import OnboardingSnapshot
from core.registers import (
    FileInput,
    FileResult,
    Register,
    Valuation,
    intake,
    validate_files,
)
from core.registers.repository import Checked
from handlers.blocks.account import account_note
from handlers.blocks.issues import error_report
from handlers.blocks.registers import mrkdwn_text, result_message, simple_message
from handlers.deps import Deps
from handlers.messages import t
from handlers.slack_failures import SLACK_FAILURES, describe

log = logging.getLogger(__name__)

Fetch = Callable[[WebClient, str, str], bytes]
"""Downloads a shared file again (client, file id, name); ``FetchFailed`` if it cannot."""


class FetchFailed(Exception):
    """The earlier file cannot be fetched again (deleted, no access, Slack unavailable)."""


def rejudge_inventory(
    deps: Deps,
    client: WebClient,
    fetch: Fetch,
    *,
    channel_id: str,
    onboarding: OnboardingSnapshot,
    products: FileResult,
    products_processed_id: int,
) -> int:
    """Check again the inventory judged on older products; how many were re-judged."""
    with deps.uow() as uow:
        earlier = uow.registers.judged_before(
            onboarding.id, Register.INVENTORY.value, Register.PRODUCTS.value, products_processed_id
        )
    for checked in earlier:
        _rejudge_one(deps, client, fetch, channel_id, onboarding, products, checked)
    return len(earlier)


def _rejudge_one(
    deps: Deps,
    client: WebClient,
    fetch: Fetch,
    channel_id: str,
    onboarding: OnboardingSnapshot,
    products: FileResult,
    checked: Checked,
) -> None:
    lang = onboarding.language
    names = {"name": mrkdwn_text(checked.file_name), "products": mrkdwn_text(products.file)}
    try:
        data = fetch(client, checked.file_id, checked.file_name)
    except FetchFailed as error:
        # The file was deleted or Slack is down: the old verdict must not stand unsaid.
        log.warning("inventory %s not fetched again: %s", checked.file_id, error)
        again = t("registers.recheck.share_again", lang, **names)
        _post(client, channel_id, checked, *simple_message(again))
        return
    file = FileInput(checked.file_name, data=data)
    valuation = onboarding.valuation
    # Judged again as the first check judged it: against the account too, or a product that
    # is only in Rackbeat turns into an error here.
    account = deps.account.for_checks(onboarding.id) if deps.account is not None else None
    result = validate_files(
        [file],
        known=intake.known_for(deps.uow, onboarding),
        valuation=Valuation(valuation.value) if valuation else None,
        register_override=Register.INVENTORY,
        today=deps.clock().date(),
        account=account.facts if account is not None else None,
    ).files[0]
    if result.unreadable:
        return
    _store(deps, onboarding, channel_id, checked, result)
    note = t("registers.recheck.note", lang, **names)
    text, blocks = result_message(
        result,
        lang,
        with_button=True,
        no_onboarding=False,
        account_note=account_note(result, account, lang, deps.clock()),
    )
    blocks = [{"type": "context", "elements": [{"type": "mrkdwn", "text": note}]}, *blocks]
    try:
        if checked.reply_ts:
            client.chat_update(channel=channel_id, ts=checked.reply_ts, text=text, blocks=blocks)
        else:
            _post(client, channel_id, checked, text, blocks)
        if not result.valid and checked.thread_ts:
            stem = checked.file_name.rsplit(".", 1)[0] or "file"
            report = error_report(result, lang)
            client.files_upload_v2(
                channel=channel_id,
                thread_ts=checked.thread_ts,
                file=report,
                filename=f"{stem}-errors.csv",
                title=f"{stem}-errors.csv",
                initial_comment=f"{note}\n{text}",
            )
    except SLACK_FAILURES as error:
        log.warning("the new verdict of %s was not shown: %s", checked.file_id, describe(error))


def _store(
    deps: Deps,
    onboarding: OnboardingSnapshot,
    channel_id: str,
    checked: Checked,
    result: FileResult,
) -> None:
    now = deps.clock()
    with deps.uow() as uow:
        repo = uow.registers
        repo.save_result(
            checked.processed_id, onboarding.id, onboarding.channel.team_id, channel_id, result, now
        )
        if result.snapshot is not None:
            repo.remember(onboarding.id, result.snapshot, result.file, result.rows, now)
        uow.commit()


def _post(
    client: WebClient, channel_id: str, checked: Checked, text: str, blocks: list[dict[str, Any]]
) -> None:
    try:
        client.chat_postMessage(
            channel=channel_id, thread_ts=checked.thread_ts, text=text, blocks=blocks
        )
    except SLACK_FAILURES as error:
        log.warning("could not say that %s needs a new check: %s", checked.file_id, describe(error))
