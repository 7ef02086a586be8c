"""`/rackbeat help` over real HTTP, with Slack's signatures checked."""

from __future__ import annotations

import time

from bot.localslack import LocalSlack
from handlers.messages import t
from tests.harness import BotUnderTest


def test_signed_help_command_is_answered_through_the_response_url(
    bot: BotUnderTest, slack: LocalSlack
) -> None:
    reply = bot.driver.command("help", user="U1", channel="C1")
    assert reply.status == 200
    call = slack.wait_for("response_url")
    assert call.params["response_type"] == "ephemeral"
    assert t("help.intro") in call.params["text"]
    for subcommand in (
        "start",
        "status",
        "next",
        "done",
        "skip",
        "reopen",
        "numbering",
        "connect",
        "members",
        "history",
        "language",
    ):
        assert (
            f"`/rackbeat {subcommand}" in call.params["text"]
            or f"`{subcommand}" in call.params["text"]
        ), subcommand


def test_unknown_subcommand_gets_help_not_silence(bot: BotUnderTest, slack: LocalSlack) -> None:
    bot.driver.command("frobnicate now", user="U1", channel="C1")
    call = slack.wait_for("response_url")
    assert t("command.unknown", "en", sub="frobnicate") in call.params["text"]
    assert t("help.intro") in call.params["text"]


def test_help_topic_is_answered(bot: BotUnderTest, slack: LocalSlack) -> None:
    bot.driver.command("help Numbering", user="U1", channel="C1")
    assert slack.wait_for("response_url").params["text"] == t("help.topic.numbering")


def test_forged_signature_gets_401_and_nothing_is_posted(
    bot: BotUnderTest, slack: LocalSlack
) -> None:
    reply = bot.driver.send_form(
        bot.driver.command_fields("help", user="U1", channel="C1"), secret="not-the-secret"
    )
    assert reply.status == 401
    bot.settle()
    assert slack.calls_to("response_url") == []
    assert slack.calls_to("chat.postMessage") == []


def test_request_older_than_five_minutes_gets_401(bot: BotUnderTest, slack: LocalSlack) -> None:
    stale = int(time.time()) - 6 * 60
    reply = bot.driver.command("help", user="U1", channel="C1", timestamp=stale)
    assert reply.status == 401
    bot.settle()
    assert slack.calls_to("response_url") == []
