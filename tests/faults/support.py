"""Helpers shared by the fault tests: a bot with a short Slack timeout, people, the checklist,
what was said to whom."""

from __future__ import annotations

import json
from typing import Any

from bot.localslack import LocalSlack
from bot.localslack.state import Message
from core.onboarding.service import OnboardingService
from core.onboarding.snapshot import OnboardingSnapshot
from core.tenancy import Channel
from handlers.blocks.checklist import ACTION_DONE
from tests.harness import BotUnderTest

CHANNEL = "C0ACME"
ANN, EVE = "U0ANN", "U0EVE"
PRODUCTS = (
    b"number;name;group;cost_price;sales_price\n1001;Vasara;1;12,50;19,90\n1002;Saha;1;8;12\n"
)
# Valid, with a warning: the verdict, the error report and the normalized copy.
PRODUCTS_WITH_WARNING = (
    b"number;name;group;cost_price;sales_price\nAB-1001;Vasara;1;12,50;19,90\n1002;Saha;1;8;12\n"
)


def run(bot: BotUnderTest, text: str, user: str = ANN, channel: str = CHANNEL) -> None:
    assert bot.driver.command(text, user=user, channel=channel).status == 200
    bot.settle()


def said(slack: LocalSlack, after: int = 0) -> list[str]:
    """Answers to people after call ``after``: response_url posts and ephemerals that arrived."""
    return [
        str(call.params.get("text", ""))
        for call in slack.calls
        if call.seq > after
        and call.method in {"response_url", "chat.postEphemeral"}
        and call.status == 200
    ]


def bot_posts(slack: LocalSlack, channel: str = CHANNEL) -> list[Message]:
    return [
        m
        for m in slack.channel_messages(channel, include_replies=False)
        if m.user == slack.bot_user_id
    ]


def snapshot(bot: BotUnderTest, slack: LocalSlack) -> OnboardingSnapshot:
    found = OnboardingService(bot.deps.uow).find(Channel(slack.team_id, CHANNEL))
    assert found is not None
    return found


def checklist(bot: BotUnderTest, slack: LocalSlack) -> Message:
    ts = snapshot(bot, slack).checklist_ts
    assert ts is not None
    message = slack.message(CHANNEL, ts)
    assert message is not None
    return message


def shows_done(message: Message, step: str) -> bool:
    """The checklist message shows ``step`` as done."""
    for block in message.blocks:
        if block.get("block_id") == f"checklist:step:{step}":
            return "done by" in json.dumps(block)
    raise AssertionError(f"no {step} row in the checklist")


def click_done(bot: BotUnderTest, slack: LocalSlack, step: str, user: str = ANN) -> None:
    press_done(bot, checklist(bot, slack), step, user)


def press_done(bot: BotUnderTest, message: Message, step: str, user: str = ANN) -> None:
    """Click ``step``'s Done button on the checklist ``message``."""
    block_id = f"checklist:step:{step}:actions"
    [element] = [
        element
        for block in message.blocks
        if block.get("block_id") == block_id
        for element in block["elements"]
        if element["action_id"] == ACTION_DONE
    ]
    reply = bot.driver.click(
        element, user=user, channel=CHANNEL, message_ts=message.ts, block_id=block_id
    )
    assert reply.status == 200
    bot.settle()


def statuses(slack: LocalSlack, method: str, after: int = 0) -> list[int]:
    return [call.status for call in slack.calls_to(method) if call.seq > after]


def thread_replies(slack: LocalSlack, message: Message) -> list[Message]:
    return [m for m in slack.thread(CHANNEL, message.ts) if m.user == slack.bot_user_id]


def answers_in_thread(slack: LocalSlack, message: Message) -> list[Message]:
    """The bot's own messages in the file's thread, without its uploads."""
    return [m for m in thread_replies(slack, message) if not m.files]


def uploads_in_thread(slack: LocalSlack, message: Message) -> list[str]:
    return sorted(f.name for f in slack.uploads if f.thread_ts == message.ts)


def texts(message: Message) -> str:
    return message.text + json.dumps(message.blocks, ensure_ascii=False)


def params_text(call: Any) -> str:
    return json.dumps(call.params, ensure_ascii=False)
