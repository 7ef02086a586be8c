"""Slack answering 429 (with Retry-After) or 500 once, on every kind of call the bot makes:
the bot waits it out or retries, and the person still gets the answer."""

from __future__ import annotations

import time

import pytest

from bot.localslack import LocalSlack
from handlers.messages import t
from tests.faults.support import (
    ANN,
    CHANNEL,
    EVE,
    PRODUCTS,
    PRODUCTS_WITH_WARNING,
    answers_in_thread,
    bot_posts,
    checklist,
    run,
    said,
    shows_done,
    statuses,
    texts,
    uploads_in_thread,
)
from tests.harness import BotUnderTest

# Retry-After: 0 keeps the suite fast; slack-sdk still waits (0–1 s of jitter) and retries.
# tests/bot/localslack/test_emulator.py shows a Retry-After of 1 being honoured.
FAULTS = [
    pytest.param({"status": 429, "retry_after": 0}, id="429"),
    pytest.param({"status": 500}, id="500"),
]


@pytest.fixture(autouse=True)
def people(slack: LocalSlack) -> None:
    slack.add_user(ANN, "ann")
    slack.add_user(EVE, "eve")


@pytest.mark.parametrize("fault", FAULTS)
def test_chat_post_message_the_checklist_is_posted(
    bot: BotUnderTest, slack: LocalSlack, fault: dict[str, int]
) -> None:
    slack.fail_next("chat.postMessage", **fault)
    run(bot, "start Acme Oy")
    assert statuses(slack, "chat.postMessage") == [fault["status"], 200]
    assert len(bot_posts(slack)) == 1
    assert said(slack) == [t("onboarding.started", "en", company="Acme Oy")]


@pytest.mark.parametrize("fault", FAULTS)
def test_chat_update_the_checklist_is_edited(
    bot: BotUnderTest, slack: LocalSlack, fault: dict[str, int]
) -> None:
    run(bot, "start Acme Oy")
    seq = slack.last_seq
    slack.fail_next("chat.update", **fault)
    run(bot, "done login")
    assert statuses(slack, "chat.update", seq) == [fault["status"], 200]
    assert shows_done(checklist(bot, slack), "login")


@pytest.mark.parametrize("fault", FAULTS)
def test_response_url_the_answer_arrives(
    bot: BotUnderTest, slack: LocalSlack, fault: dict[str, int]
) -> None:
    slack.fail_next("response_url", **fault)
    run(bot, "help")
    assert statuses(slack, "response_url") == [fault["status"], 200]
    assert t("help.intro", "en") in said(slack)[0]


@pytest.mark.parametrize("fault", FAULTS)
def test_users_info_the_admin_is_recognised(
    bot: BotUnderTest, slack: LocalSlack, fault: dict[str, int]
) -> None:
    slack.add_user("U0ADA", "ada", is_admin=True)
    run(bot, "start Acme Oy")
    slack.fail_next("users.info", **fault)
    run(bot, "done login", user="U0ADA")  # not a member: only admin status lets her
    assert statuses(slack, "users.info")[-2:] == [fault["status"], 200]
    assert shows_done(checklist(bot, slack), "login")


@pytest.mark.parametrize("fault", FAULTS)
def test_views_publish_the_home_tab_is_shown(
    bot: BotUnderTest, slack: LocalSlack, fault: dict[str, int]
) -> None:
    run(bot, "start Acme Oy")
    slack.fail_next("views.publish", **fault)
    assert bot.driver.open_home(user=ANN).status == 200
    bot.settle()
    assert statuses(slack, "views.publish") == [fault["status"], 200]
    assert "Acme Oy" in str(slack.homes[ANN].view)


@pytest.mark.parametrize("fault", FAULTS)
def test_chat_post_ephemeral_a_refusal_arrives(
    bot: BotUnderTest, slack: LocalSlack, fault: dict[str, int]
) -> None:
    run(bot, "start Acme Oy")
    _, message, _ = bot.driver.upload("products.csv", PRODUCTS, user=ANN, channel=CHANNEL)
    bot.settle()
    [verdict] = answers_in_thread(slack, message)
    [button] = [e for b in verdict.blocks if b["type"] == "actions" for e in b["elements"]]
    slack.fail_next("chat.postEphemeral", **fault)
    bot.driver.click(button, user=EVE, channel=CHANNEL, message_ts=verdict.ts)  # not a member
    bot.settle()
    assert statuses(slack, "chat.postEphemeral") == [fault["status"], 200]
    assert slack.ephemerals_for(EVE)[-1].text.startswith(":no_entry:")


@pytest.mark.parametrize("fault", FAULTS)
def test_views_open_the_modal_opens(
    slack: LocalSlack, sqlite_url: str, fault: dict[str, int]
) -> None:
    from pydantic import SecretStr

    bot = BotUnderTest(slack, sqlite_url, secret_key=SecretStr("faults-secret-key-0123456789"))
    try:
        run(bot, "start Acme Oy")
        slack.fail_next("views.open", **fault)
        run(bot, "connect rackbeat")
        assert statuses(slack, "views.open") == [fault["status"], 200]
        assert slack.open_modal(ANN) is not None
    finally:
        bot.stop()


CSV_CALLS = [
    "files.info",
    "files.download",
    "files.getUploadURLExternal",
    "upload",
    "files.completeUploadExternal",
]


@pytest.mark.parametrize("method", CSV_CALLS)
@pytest.mark.parametrize("fault", FAULTS)
def test_csv_intake_the_verdict_and_its_files_arrive_once(
    bot: BotUnderTest, slack: LocalSlack, fault: dict[str, int], method: str
) -> None:
    run(bot, "start Acme Oy")
    slack.fail_next(method, **fault)
    _, message, _ = bot.driver.upload(
        "products.csv", PRODUCTS_WITH_WARNING, user=ANN, channel=CHANNEL
    )
    bot.settle()
    assert statuses(slack, method)[:2] == [fault["status"], 200]
    [verdict] = answers_in_thread(slack, message)
    assert "products.csv" in texts(verdict) and "ready to import" in texts(verdict)
    assert uploads_in_thread(slack, message) == [
        "products-errors.csv",
        "products-normalized.csv",
    ]


def test_a_retry_after_of_one_second_is_waited_out_before_the_answer_is_sent_again(
    bot: BotUnderTest, slack: LocalSlack
) -> None:
    slack.fail_next("response_url", status=429, retry_after=1)
    began = time.monotonic()
    run(bot, "help")
    assert time.monotonic() - began >= 1.0
    assert statuses(slack, "response_url") == [429, 200]
