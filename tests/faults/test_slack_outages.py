"""Slack failing for good (500 after every retry) or not answering within the client timeout,
on every kind of call the onboarding makes: the database change is kept whole, the person is
told what happened when Slack lets us, the failure is logged, the checklist is corrected by
the next change or by `status`, and no worker is stuck or loops."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from pydantic import SecretStr

from bot.localslack import LocalSlack
from core.numbering.model import Level
from core.onboarding.steps import StepId, StepState
from handlers.blocks.numbering import LEVEL_ICONS
from handlers.messages import t
from tests.faults.support import (
    ANN,
    CHANNEL,
    PRODUCTS,
    answers_in_thread,
    bot_posts,
    checklist,
    click_done,
    run,
    said,
    shows_done,
    snapshot,
    statuses,
)
from tests.harness import BotUnderTest

# How long one Slack call may take here: long enough that a healthy call to the local emulator
# never hits it on a loaded 2-core machine, short enough that a test of a hang stays quick.
TIMEOUT = 2.0
# A call that gets no answer within the client timeout; or one that fails on every retry
# (slack-sdk makes 1 + 2 attempts on a 5xx).
HANG = {"delay": TIMEOUT + 1.5, "status": 500}
# A 5xx on every attempt slack-sdk makes (1 + 2 retries, about 3 s of back-off): used where the
# retries themselves matter; elsewhere Slack refusing at once stands for "failing for good".
DOWN = {"status": 503, "times": 3}
REFUSED = {"status": 200, "error": "fatal_error"}
FAULTS = [pytest.param(HANG, id="timeout"), pytest.param(REFUSED, id="refused")]
EVERY_FAULT = [*FAULTS, pytest.param(DOWN, id="persistent-503")]


@pytest.fixture
def bot(slack: LocalSlack, sqlite_url: str) -> Iterator[BotUnderTest]:
    slack.add_user(ANN, "ann")
    under_test = BotUnderTest(slack, sqlite_url, slack_timeout_seconds=TIMEOUT)
    yield under_test
    under_test.stop()


@pytest.fixture
def warnings(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.WARNING)
    return caplog


def logged(caplog: pytest.LogCaptureFixture, *words: str) -> bool:
    return any(
        all(word in record.getMessage() for word in words)
        for record in caplog.records
        if record.levelno >= logging.WARNING
    )


@pytest.mark.parametrize("fault", EVERY_FAULT)
def test_chat_update_failing_keeps_the_change_and_status_corrects_the_checklist(
    bot: BotUnderTest,
    slack: LocalSlack,
    warnings: pytest.LogCaptureFixture,
    fault: dict[str, float],
) -> None:
    run(bot, "start Acme Oy")
    seq = slack.last_seq
    slack.fail_next("chat.update", **fault)
    run(bot, "done login")
    assert snapshot(bot, slack).step(StepId.LOGIN).state is StepState.DONE
    assert said(slack, seq) == [t("onboarding.changed.done", "en", step="1. Log in to Rackbeat")]
    assert logged(warnings, "checklist")
    assert not shows_done(checklist(bot, slack), "login")  # Slack never took the edit
    run(bot, "status")
    assert shows_done(checklist(bot, slack), "login")
    assert len(bot_posts(slack)) == 1


@pytest.mark.parametrize("fault", FAULTS)
def test_chat_post_message_failing_keeps_the_onboarding_and_status_posts_the_checklist(
    bot: BotUnderTest,
    slack: LocalSlack,
    warnings: pytest.LogCaptureFixture,
    fault: dict[str, float],
) -> None:
    slack.fail_next("chat.postMessage", **fault)
    run(bot, "start Acme Oy")
    assert snapshot(bot, slack).company_name == "Acme Oy"
    assert said(slack) == [t("onboarding.started", "en", company="Acme Oy")]
    assert logged(warnings, "checklist")
    assert bot_posts(slack) == []
    run(bot, "status")
    assert len(bot_posts(slack)) == 1
    assert snapshot(bot, slack).checklist_ts == bot_posts(slack)[0].ts


@pytest.mark.parametrize(
    "fault",
    [
        pytest.param(HANG, id="timeout"),
        pytest.param({"status": 404, "error": "expired_url"}, id="refused"),
        pytest.param(DOWN, id="persistent-503"),
    ],
)
def test_response_url_failing_keeps_the_change_and_is_logged(
    bot: BotUnderTest,
    slack: LocalSlack,
    warnings: pytest.LogCaptureFixture,
    fault: dict[str, float],
) -> None:
    run(bot, "start Acme Oy")
    slack.fail_next("response_url", **{**fault, "times": 6})  # the answer and the hook's
    run(bot, "done login")
    assert snapshot(bot, slack).step(StepId.LOGIN).state is StepState.DONE
    assert shows_done(checklist(bot, slack), "login")
    assert logged(warnings, "response_url") or logged(warnings, "tell the user")
    assert len(statuses(slack, "response_url")) <= 6


@pytest.mark.parametrize("fault", FAULTS)
def test_users_info_failing_treats_the_person_as_a_regular_user(
    bot: BotUnderTest,
    slack: LocalSlack,
    warnings: pytest.LogCaptureFixture,
    fault: dict[str, float],
) -> None:
    run(bot, "start Acme Oy")
    slack.fail_next("users.info", **fault)
    run(bot, "done login")  # the owner needs no admin status
    assert snapshot(bot, slack).step(StepId.LOGIN).state is StepState.DONE
    assert logged(warnings, "users.info")


@pytest.mark.parametrize("fault", FAULTS)
def test_views_publish_failing_is_logged_and_the_next_visit_works(
    bot: BotUnderTest,
    slack: LocalSlack,
    warnings: pytest.LogCaptureFixture,
    fault: dict[str, float],
) -> None:
    run(bot, "start Acme Oy")
    slack.fail_next("views.publish", **fault)
    bot.driver.open_home(user=ANN)
    bot.settle()
    assert ANN not in slack.homes
    assert warnings.records  # the hook logged it
    bot.driver.open_home(user=ANN)
    bot.settle()
    assert "Acme Oy" in str(slack.homes[ANN].view)


def test_a_click_whose_checklist_edit_fails_still_answers_and_keeps_the_change(
    bot: BotUnderTest, slack: LocalSlack, warnings: pytest.LogCaptureFixture
) -> None:
    run(bot, "start Acme Oy")
    slack.fail_next("chat.update", **HANG)
    click_done(bot, slack, "login")
    assert snapshot(bot, slack).step(StepId.LOGIN).state is StepState.DONE
    assert t("error.apology", "en") not in said(slack)
    run(bot, "done settings")
    assert shows_done(checklist(bot, slack), "login")  # the next change corrects it
    assert shows_done(checklist(bot, slack), "settings")


def test_mark_done_on_a_csv_result_whose_edits_fail_keeps_the_step_done(
    bot: BotUnderTest, slack: LocalSlack, warnings: pytest.LogCaptureFixture
) -> None:
    run(bot, "start Acme Oy")
    _, message, _ = bot.driver.upload("products.csv", PRODUCTS, user=ANN, channel=CHANNEL)
    bot.settle()
    [verdict] = answers_in_thread(slack, message)
    [button] = [e for b in verdict.blocks if b["type"] == "actions" for e in b["elements"]]
    seq = slack.last_seq
    slack.fail_next("chat.update", **{**HANG, "times": 2})  # the checklist and the verdict
    bot.driver.click(button, user=ANN, channel=CHANNEL, message_ts=verdict.ts)
    bot.settle()
    assert snapshot(bot, slack).step(StepId.PRODUCTS).state is StepState.DONE
    assert t("error.apology", "en") not in said(slack, seq)
    assert logged(warnings, "result message")
    run(bot, "status")
    assert shows_done(checklist(bot, slack), "products")


@pytest.mark.parametrize("fault", FAULTS)
def test_views_open_failing_tells_the_person_and_changes_nothing(
    slack: LocalSlack, sqlite_url: str, fault: dict[str, float]
) -> None:
    slack.add_user(ANN, "ann")
    bot = BotUnderTest(
        slack,
        sqlite_url,
        slack_timeout_seconds=TIMEOUT,
        secret_key=SecretStr("faults-secret-key-0123456789"),
    )
    try:
        run(bot, "start Acme Oy")
        seq = slack.last_seq
        slack.fail_next("views.open", **fault)
        run(bot, "connect rackbeat")
        assert slack.open_modal(ANN) is None
        assert said(slack, seq) == [t("error.apology", "en")]
    finally:
        bot.stop()


def test_a_form_opened_too_late_after_the_click_asks_to_click_again(
    slack: LocalSlack, sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Slack refuses a form more than 3 s after the click (a slow moment, no bug): the person
    is told to try again, and the log has a warning, not an unhandled error."""
    slack.add_user(ANN, "ann")
    secret = SecretStr("faults-secret-key-0123456789")
    bot = BotUnderTest(slack, sqlite_url, slack_timeout_seconds=TIMEOUT, secret_key=secret)
    try:
        run(bot, "start Acme Oy")
        seq = slack.last_seq
        slack.fail_next("views.open", status=200, error="expired_trigger_id")
        run(bot, "connect rackbeat")
        assert slack.open_modal(ANN) is None
        assert said(slack, seq) == [t("error.form_expired", "en")]
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    finally:
        bot.stop()


def test_a_numbering_alert_slack_did_not_take_is_posted_by_the_next_check_once(
    bot: BotUnderTest, slack: LocalSlack, warnings: pytest.LogCaptureFixture
) -> None:
    run(bot, "start Acme Oy")
    run(bot, "numbering strategy mixed")
    for series in ("order", "invoice"):
        run(bot, f"numbering set {series} rackbeat-next 999950")
        run(bot, f"numbering set {series} netvisor-max 1000010")
        run(bot, f"numbering set {series} netvisor-block-start 1000000")
    slack.fail_next("chat.postMessage", **{**HANG, "times": 2})  # both alerts
    run(bot, "numbering check")
    assert logged(warnings, "not delivered")
    alert_texts = {
        t(
            "numbering.alert.alert",
            "en",
            icon=icon,
            series=t(f"numbering.series.{s}", "en"),
            level=t("numbering.level.critical", "en"),
        )
        for s in ("order", "invoice")
        for icon in (LEVEL_ICONS[Level.CRITICAL],)
    }
    assert not [m for m in bot_posts(slack) if m.text in alert_texts]
    run(bot, "numbering check")
    run(bot, "numbering check")
    assert sorted(m.text for m in bot_posts(slack) if m.text in alert_texts) == sorted(alert_texts)


def test_a_refused_click_is_answered_through_the_response_url_while_ephemerals_hang(
    bot: BotUnderTest, slack: LocalSlack
) -> None:
    # The error hook answers a click through its response_url: the refusal reaches the
    # person even while chat.postEphemeral would hang (it is not called at all).
    slack.add_user("U0EVE", "eve")
    run(bot, "start Acme Oy")
    _, message, _ = bot.driver.upload("products.csv", PRODUCTS, user=ANN, channel=CHANNEL)
    bot.settle()
    [verdict] = answers_in_thread(slack, message)
    [button] = [e for b in verdict.blocks if b["type"] == "actions" for e in b["elements"]]
    seq = slack.last_seq
    slack.fail_next("chat.postEphemeral", **HANG)
    bot.driver.click(button, user="U0EVE", channel=CHANNEL, message_ts=verdict.ts)
    bot.settle()
    assert snapshot(bot, slack).step(StepId.PRODUCTS).state is not StepState.DONE
    why = t("onb.permission.change", "en", owner="<@U0ANN>", you="<@U0EVE>")
    assert said(slack, seq) == [t("error.refused", "en", reason=why)]
    assert statuses(slack, "chat.postEphemeral") == []
