"""Slack answering 429 (with Retry-After) or 500 once, on every kind of call the bot makes:
the bot waits it out or retries, and the person still gets the answer."""

from __future__ import annotations

import time
from typing import Any

import pytest
from pydantic import SecretStr

from bot.localslack import LocalSlack
from handlers.blocks.numbering import ACTION_SETUP
from handlers.messages import t
from tests.fakes.world import fake_upstreams
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
from tests.security.test_permissions import SETUP_VALUES

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
def test_response_url_a_refused_click_is_answered(
    bot: BotUnderTest, slack: LocalSlack, fault: dict[str, int]
) -> None:
    run(bot, "start Acme Oy")
    _, message, _ = bot.driver.upload("products.csv", PRODUCTS, user=ANN, channel=CHANNEL)
    bot.settle()
    [verdict] = answers_in_thread(slack, message)
    [button] = [e for b in verdict.blocks if b["type"] == "actions" for e in b["elements"]]
    slack.fail_next("response_url", **fault)
    bot.driver.click(button, user=EVE, channel=CHANNEL, message_ts=verdict.ts)  # not a member
    bot.settle()
    assert statuses(slack, "response_url")[-2:] == [fault["status"], 200]  # after start's
    assert slack.ephemerals_for(EVE)[-1].text.startswith(":no_entry:")


@pytest.mark.parametrize("fault", FAULTS)
def test_chat_post_ephemeral_the_saved_setup_is_confirmed(
    bot: BotUnderTest, slack: LocalSlack, fault: dict[str, int]
) -> None:
    # The numbering setup form names no response_url: its answer is an ephemeral message.
    run(bot, "start Acme Oy")
    run(bot, "numbering")
    status = [m for m in bot_posts(slack) if any(setup_button(b) for b in m.blocks)][-1]
    [(button, block_id)] = [found for b in status.blocks if (found := setup_button(b))]
    bot.driver.click(button, user=ANN, channel=CHANNEL, message_ts=status.ts, block_id=block_id)
    bot.settle()
    modal = slack.open_modal(ANN)
    assert modal is not None
    slack.fail_next("chat.postEphemeral", **fault)
    assert bot.driver.submit_view(modal, SETUP_VALUES, user=ANN).status == 200
    bot.settle()
    assert statuses(slack, "chat.postEphemeral") == [fault["status"], 200]
    assert slack.ephemerals_for(ANN)[-1].text == t("numbering.setup.saved", "en")


def setup_button(block: dict[str, Any]) -> tuple[dict[str, Any], str] | None:
    """The numbering status message's setup button and its block id, if ``block`` has it."""
    for element in block.get("elements", []):
        if isinstance(element, dict) and element.get("action_id") == ACTION_SETUP:
            return element, str(block.get("block_id"))
    return None


@pytest.mark.parametrize("fault", FAULTS)
def test_views_open_the_modal_opens(
    slack: LocalSlack, sqlite_url: str, fault: dict[str, int]
) -> None:
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


@pytest.mark.parametrize("fault", FAULTS)
def test_views_update_the_connect_modal_shows_the_result(
    slack: LocalSlack, sqlite_url: str, fault: dict[str, int]
) -> None:
    with fake_upstreams() as world:
        company = world.add_company(7, rackbeat_invoice=10_100, rackbeat_order=4_000)
        bot = BotUnderTest(
            slack,
            sqlite_url,
            secret_key=SecretStr("faults-secret-key-0123456789"),
            rackbeat_api_url=world.rackbeat.url,
            netvisor_api_url=world.netvisor.url,
        )
        try:
            run(bot, "start Acme Oy")
            run(bot, "connect rackbeat")
            modal = slack.open_modal(ANN)
            assert modal is not None
            slack.fail_next("views.update", **fault)
            values = {"api_token": {"value": {"type": "plain_text_input", "value": company.token}}}
            assert bot.driver.submit_view(modal, values, user=ANN).status == 200
            bot.settle()
            assert statuses(slack, "views.update") == [fault["status"], 200]
            assert "Yritys 7 Oy" in str(slack.views[modal.id].view)
        finally:
            bot.stop()


@pytest.mark.parametrize("fault", FAULTS)
def test_numbering_alert_and_chart_are_posted_once(
    bot: BotUnderTest, slack: LocalSlack, fault: dict[str, int]
) -> None:
    run(bot, "start Acme Oy")
    run(bot, "numbering strategy mixed")
    for series in ("order", "invoice"):
        run(bot, f"numbering set {series} rackbeat-next 999950")
        run(bot, f"numbering set {series} netvisor-max 1000010")
        run(bot, f"numbering set {series} netvisor-block-start 1000000")
    seq = slack.last_seq
    slack.fail_next("chat.postMessage", **fault)
    slack.fail_next("upload", **fault)
    run(bot, "numbering check")
    alerts = [c for c in slack.calls_to("chat.postMessage") if c.seq > seq and c.status == 200]
    assert len(alerts) == 2  # one per series
    charts = [f for f in slack.uploads if f.name.startswith("numbering-")]
    assert len(charts) == 2
