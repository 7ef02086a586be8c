"""CSV intake's listeners: a register file shared in a channel is checked and answered in its
thread (``core.registers.intake`` does the work, ``handlers.file_answers`` and
``handlers.file_source`` are its Slack side), and the verdict's "mark done" button.

A shared file is ours to answer when it looks like a register (``looks_like_register``);
everything else in the channel is for people.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from core.onboarding.service import OnboardingService
from core.registers import Register
from core.registers.header import register_in_text
from core.registers.intake import Share
from core.tenancy import Channel
from handlers.blocks.registers import ACTION_MARK_DONE, after_mark_done
from handlers.checklist import mark_step_done
from handlers.commands import CommandRouter
from handlers.deps import Deps
from handlers.file_answers import check_share
from handlers.registry import Registrar
from handlers.slack_failures import SLACK_FAILURES, describe

log = logging.getLogger(__name__)


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
                file_id = stub.get("id")
                if not isinstance(file_id, str) or not file_id:
                    log.warning("a shared file without an id: ignored")
                    continue
                name = str(stub.get("name") or stub.get("title") or file_id)
                check_share(deps, client, share, file_id, name)

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
        # A refusal (not a member, a guard) goes to the one error hook, which answers the
        # clicker; the result message keeps its button.
        mark_step_done(
            deps, client, team_id=team_id, channel_id=channel_id, user_id=user_id, step=step
        )
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
