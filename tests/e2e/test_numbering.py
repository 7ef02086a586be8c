"""The numbering watch over real, signed HTTP against the Slack emulator, with local Rackbeat
and Netvisor: values, checks, alerts with buttons and charts, the setup and connect modals."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import SecretStr

from bot.localslack import LocalSlack
from bot.localslack.state import Message
from core.credentials import NetvisorCredentials
from core.numbering.commands import TYPED_MAX
from core.numbering.model import Level, Strategy
from core.onboarding.service import OnboardingService
from core.onboarding.steps import STEPS, StepId, StepState
from core.tenancy import Channel
from handlers.blocks.numbering import (
    ACTION_ACK,
    ACTION_CHECK,
    ACTION_SETUP,
    ACTION_SNOOZE,
    LEVEL_ICONS,
    NETVISOR_FIELDS,
    level_word,
)
from handlers.messages import t
from handlers.messages.formatting import format_when
from tests.fakes.world import FakeUpstreams, fake_upstreams
from tests.harness import BotUnderTest

CHANNEL = "C0NUMBERS"
ANN, EVE = "U0ANN", "U0EVE"
SECRET_KEY = "e2e-secret-key-for-numbering-0123456789"
BLOCK = 1_000_000


@dataclass
class Clock:
    now: datetime = field(default_factory=lambda: datetime(2026, 3, 2, 8, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def world() -> Iterator[FakeUpstreams]:
    with fake_upstreams() as upstreams:
        yield upstreams


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def bot(
    slack: LocalSlack, sqlite_url: str, world: FakeUpstreams, clock: Clock
) -> Iterator[BotUnderTest]:
    slack.add_user(ANN, "ann")
    slack.add_user(EVE, "eve")
    under_test = BotUnderTest(
        slack,
        sqlite_url,
        secret_key=SecretStr(SECRET_KEY),
        rackbeat_api_url=world.rackbeat.url,
        netvisor_api_url=world.netvisor.url,
    )
    under_test.deps.clock = clock
    yield under_test
    under_test.stop()


def run(bot: BotUnderTest, text: str, user: str = ANN) -> None:
    assert bot.driver.command(text, user=user, channel=CHANNEL).status == 200
    bot.settle()


def said_to(slack: LocalSlack, user: str) -> str:
    return slack.ephemerals_for(user)[-1].text


def bot_posts(slack: LocalSlack) -> list[Message]:
    return [m for m in slack.channel_messages(CHANNEL) if m.user == slack.bot_user_id]


def status_post(slack: LocalSlack) -> Message:
    """The latest status message (`/rackbeat numbering`), not the chart's file message."""
    return [m for m in bot_posts(slack) if m.text.startswith("Numbering: orders")][-1]


def element(message: Message, action_id: str) -> tuple[dict[str, Any], str]:
    for block in message.blocks:
        for candidate in block.get("elements", []):
            if isinstance(candidate, dict) and candidate.get("action_id") == action_id:
                return candidate, str(block.get("block_id"))
    raise AssertionError(f"no {action_id} button on {message.text!r}")


def invoice_text(kind: str, level: Level) -> str:
    return t(
        f"numbering.alert.{kind}",
        "en",
        icon=LEVEL_ICONS[level],
        series=t("numbering.series.invoice", "en"),
        level=t(f"numbering.level.{level.value}", "en"),
    )


def set_up(bot: BotUnderTest, invoice_next: int) -> None:
    run(bot, "numbering strategy mixed")
    for series, rackbeat_next in (("order", 10_000), ("invoice", invoice_next)):
        run(bot, f"numbering set {series} rackbeat-next {rackbeat_next}")
        run(bot, f"numbering set {series} netvisor-max {BLOCK + 10}")
        run(bot, f"numbering set {series} netvisor-block-start {BLOCK}")


def test_alert_acknowledge_worse_and_all_clear_through_slack(
    bot: BotUnderTest, slack: LocalSlack, clock: Clock
) -> None:
    run(bot, "start Testi Oy")
    set_up(bot, BLOCK - 50)  # 50 numbers left: critical

    run(bot, "numbering check")
    critical = invoice_text("alert", Level.CRITICAL)
    [alert] = [m for m in bot_posts(slack) if m.text == critical]
    assert "Testi Oy" in str(alert.blocks)
    [chart] = [f for f in slack.uploads if f.thread_ts == alert.ts]
    assert chart.content.startswith(b"\x89PNG")
    assert t("numbering.check.result", "en", order="OK", invoice="critical") in said_to(slack, ANN)

    button, block_id = element(alert, ACTION_ACK)
    bot.driver.click(button, user=ANN, channel=CHANNEL, message_ts=alert.ts, block_id=block_id)
    bot.settle()
    [thanks] = slack.thread(CHANNEL, alert.ts)[-1:]
    assert "acknowledged" in thanks.text

    clock.advance(hours=25)
    run(bot, "numbering check")
    reminder = t(
        "numbering.alert.reminder",
        "en",
        series=t("numbering.series.invoice", "en"),
        level="critical",
    )
    assert [m for m in bot_posts(slack) if m.text == reminder] == []

    run(bot, f"numbering set invoice rackbeat-next {BLOCK}")  # worse: collision
    run(bot, "numbering check")
    collision = invoice_text("alert", Level.COLLISION)
    assert len([m for m in bot_posts(slack) if m.text == collision]) == 1

    run(bot, "numbering set invoice rackbeat-next 20000")  # back to OK
    run(bot, "numbering check")
    run(bot, "numbering check")
    all_clear = t("numbering.alert.all_clear", "en", series=t("numbering.series.invoice", "en"))
    assert len([m for m in bot_posts(slack) if m.text == all_clear]) == 1
    assert len([m for m in bot_posts(slack) if m.text == critical]) == 1


def test_status_shows_values_with_source_and_age_and_the_setup_modal_saves(
    bot: BotUnderTest, slack: LocalSlack, clock: Clock
) -> None:
    run(bot, "start Testi Oy")
    run(bot, "numbering set order rackbeat-next 5000")
    clock.advance(hours=3)
    run(bot, "numbering")
    status = status_post(slack)
    assert status.text == t("numbering.status.text", "en", order="unknown", invoice="unknown")
    text = str(status.blocks)
    assert "5,000" in text and "typed" in text and "3 h ago" in text
    assert any(f.thread_ts == status.ts for f in slack.uploads)

    button, block_id = element(status, ACTION_SETUP)
    bot.driver.click(button, user=ANN, channel=CHANNEL, message_ts=status.ts, block_id=block_id)
    bot.settle()
    modal = slack.open_modal(ANN)
    assert modal is not None
    values = {
        "strategy.order": {
            "value": {"type": "static_select", "selected_option": {"value": "mixed"}}
        },
        "strategy.invoice": {
            "value": {"type": "static_select", "selected_option": {"value": "mixed"}}
        },
        "value.order.netvisor-max": {"value": {"type": "plain_text_input", "value": "1 000 010"}},
        "value.order.netvisor-block-start": {
            "value": {"type": "plain_text_input", "value": "1000000"}
        },
        "threshold.warning_days": {"value": {"type": "number_input", "value": "45"}},
        "threshold.warning_numbers": {"value": {"type": "number_input", "value": "1000"}},
        "threshold.critical_days": {"value": {"type": "number_input", "value": "7"}},
        "threshold.critical_numbers": {"value": {"type": "number_input", "value": "100"}},
    }
    reply = bot.driver.submit_view(modal, values, user=ANN)
    assert reply.status == 200
    bot.settle()
    assert said_to(slack, ANN) == t("numbering.setup.saved", "en")
    run(bot, "numbering check")
    assert t("numbering.check.result", "en", order="OK", invoice="unknown") in said_to(slack, ANN)


def test_setup_modal_refuses_bad_numbers_in_place(bot: BotUnderTest, slack: LocalSlack) -> None:
    run(bot, "start Testi Oy")
    run(bot, "numbering")
    status = status_post(slack)
    button, block_id = element(status, ACTION_SETUP)
    bot.driver.click(button, user=ANN, channel=CHANNEL, message_ts=status.ts, block_id=block_id)
    bot.settle()
    modal = slack.open_modal(ANN)
    assert modal is not None
    values = {
        "value.invoice.rackbeat-next": {"value": {"type": "plain_text_input", "value": "INV-1"}},
        "threshold.warning_days": {"value": {"type": "number_input", "value": "3"}},
        "threshold.warning_numbers": {"value": {"type": "number_input", "value": "1000"}},
        "threshold.critical_days": {"value": {"type": "number_input", "value": "7"}},
        "threshold.critical_numbers": {"value": {"type": "number_input", "value": "100"}},
    }
    reply = bot.driver.submit_view(modal, values, user=ANN)
    assert reply.json["response_action"] == "errors"
    # Every mistake at once, each on its own field (critical 7 days is above warning 3 days).
    assert set(reply.json["errors"]) == {"value.invoice.rackbeat-next", "threshold.critical_days"}


def test_connect_tests_live_stores_encrypted_and_never_shows_the_token(
    bot: BotUnderTest, slack: LocalSlack, world: FakeUpstreams
) -> None:
    company = world.add_company(7, rackbeat_invoice=10_100, rackbeat_order=4_000)
    run(bot, "start Testi Oy")
    run(bot, "connect rackbeat")
    modal = slack.open_modal(ANN)
    assert modal is not None
    values = {"api_token": {"value": {"type": "plain_text_input", "value": company.token}}}
    assert bot.driver.submit_view(modal, values, user=ANN).status == 200
    bot.settle()
    connected = t(
        "numbering.connected", "en", who=f"<@{ANN}>", source="Rackbeat", company="Yritys 7 Oy"
    )
    assert bot_posts(slack)[-1].text == connected
    run(bot, "numbering check")
    assert t("numbering.check.result", "en", order="unknown", invoice="unknown") in said_to(
        slack, ANN
    )
    run(bot, "numbering")
    assert "10,101" in str(status_post(slack).blocks)  # highest 10,100 → next 10,101
    for call in slack.calls:
        assert company.token not in str(call.params)
        assert company.token not in str(call.response)


def test_connect_with_a_wrong_token_says_so_and_stores_nothing(
    bot: BotUnderTest, slack: LocalSlack, world: FakeUpstreams
) -> None:
    world.add_company(8)
    run(bot, "start Testi Oy")
    run(bot, "connect rackbeat")
    modal = slack.open_modal(ANN)
    assert modal is not None
    values = {"api_token": {"value": {"type": "plain_text_input", "value": "wrong-token"}}}
    bot.driver.submit_view(modal, values, user=ANN)
    bot.settle()
    update = slack.calls_to("views.update")[-1]
    assert "HTTP 401" in str(update.params) and "Nothing was stored" in str(update.params)
    run(bot, "numbering")
    assert "not connected" in str(status_post(slack).blocks)


def test_someone_outside_the_onboarding_cannot_change_numbering(
    bot: BotUnderTest, slack: LocalSlack
) -> None:
    run(bot, "start Testi Oy")
    run(bot, "numbering set invoice rackbeat-next 5", user=EVE)
    assert said_to(slack, EVE).startswith(":no_entry:")
    run(bot, "connect netvisor", user=EVE)
    assert said_to(slack, EVE).startswith(":no_entry:")
    assert slack.open_modal(EVE) is None


@pytest.mark.parametrize(
    ("text", "key", "fields"),
    [
        ("numbering frobnicate", "numbering.usage", {}),
        (
            "numbering set invoice rackbeat-next INV-9",
            "numbering.set.bad_number",
            {"value": "INV-9", "max": f"{TYPED_MAX:,}"},
        ),
        (
            "numbering strategy sometimes",
            "numbering.strategy.bad",
            {"value": "sometimes", "valid": ", ".join(s.value for s in Strategy)},
        ),
        ("connect sap", "numbering.bad_source", {"value": "sap"}),
    ],
)
def test_bad_arguments_get_a_clear_answer(
    bot: BotUnderTest, slack: LocalSlack, text: str, key: str, fields: dict[str, str]
) -> None:
    run(bot, "start Testi Oy")
    run(bot, text)
    # The whole refusal, with the word the user typed: a different refusal, or one that
    # lost the value, fails here.
    assert t(key, "en", **fields) in said_to(slack, ANN)


def test_the_numbering_step_follows_the_check(bot: BotUnderTest, slack: LocalSlack) -> None:
    run(bot, "start Testi Oy")
    run(bot, "done numbering")
    assert "/rackbeat numbering check" in said_to(slack, ANN)  # unknown: refused
    set_up(bot, BLOCK - 50)
    updates = len(slack.calls_to("chat.update"))
    run(bot, "numbering check")
    assert len(slack.calls_to("chat.update")) > updates  # the checklist follows each check
    run(bot, "done numbering")
    assert "invoices: critical" in said_to(slack, ANN)
    run(bot, "numbering set invoice rackbeat-next 20000")
    run(bot, "numbering check")
    run(bot, "done numbering")
    assert said_to(slack, ANN).startswith(":white_check_mark:")


def test_a_value_changed_after_the_check_holds_done_numbering_until_the_next_check(
    bot: BotUnderTest, slack: LocalSlack, clock: Clock
) -> None:
    run(bot, "start Testi Oy")
    set_up(bot, 20_000)
    run(bot, "numbering check")
    clock.advance(minutes=5)
    # Netvisor's largest invoice number now lies beyond Rackbeat's next one: a collision,
    # but the last check judged the old value.
    run(bot, "numbering set invoice netvisor-max 200000")
    run(bot, "done numbering")
    assert "/rackbeat numbering check" in said_to(slack, ANN)
    run(bot, "numbering check")
    run(bot, "done numbering")
    assert "the numbering is not OK yet (orders: OK, invoices:" in said_to(slack, ANN)


def test_a_collision_after_go_live_points_the_checklist_next_and_app_home_at_numbering(
    bot: BotUnderTest, slack: LocalSlack, clock: Clock
) -> None:
    run(bot, "start Testi Oy")
    set_up(bot, 20_000)
    run(bot, "numbering check")
    for command in (
        "done login",
        "done settings",
        "set valuation fifo",
        "skip customers",
        "skip products",
        "skip suppliers",
        "skip batch_serial",
        "done initial_balances",
        "done access_rights",
        "skip previous_orders",
        "done numbering",
    ):
        run(bot, command)
    run(bot, "next")
    assert said_to(slack, ANN) == t("onboarding.next.none", "en")

    clock.advance(hours=1)
    run(bot, f"numbering set invoice rackbeat-next {BLOCK + 5}")  # inside Netvisor's block
    run(bot, "numbering check")
    where = Channel(slack.team_id, CHANNEL)
    snapshot = OnboardingService(bot.deps.uow).snapshot(where)
    assert snapshot.step(StepId.NUMBERING).state is StepState.DONE  # history stays
    attention = "needs attention"
    run(bot, "next")
    assert attention in said_to(slack, ANN) and "invoices:" in said_to(slack, ANN)
    checklist = slack.message(CHANNEL, str(snapshot.checklist_ts))
    assert checklist is not None
    assert "Needs attention:* 10." in str(checklist.blocks)
    bot.driver.open_home(user=ANN)
    bot.settle()
    assert "Needs attention: 10." in str(slack.homes[ANN].view["blocks"])


def test_rackbeat_only_with_rackbeat_next_at_netvisor_s_largest_plus_one_can_be_done(
    bot: BotUnderTest, slack: LocalSlack
) -> None:
    run(bot, "start Testi Oy")
    run(bot, "numbering strategy rackbeat-only")
    for series, largest in (("order", 5_000), ("invoice", 200_000)):
        run(bot, f"numbering set {series} netvisor-max {largest}")
        run(bot, f"numbering set {series} rackbeat-next {largest + 1}")
    run(bot, "numbering check")
    run(bot, "done numbering")
    assert said_to(slack, ANN).startswith(":white_check_mark:"), said_to(slack, ANN)


@pytest.mark.parametrize("typed", ["12345678901234567890123456", "12 34", "0", "2147483648"])
def test_numbering_set_refuses_what_a_series_cannot_hold_and_says_the_range(
    bot: BotUnderTest, slack: LocalSlack, typed: str
) -> None:
    run(bot, "start Testi Oy")
    run(bot, f"numbering set invoice rackbeat-next {typed}")
    said = said_to(slack, ANN)
    assert "from 1 to 2,147,483,647" in said, said
    run(bot, "numbering set invoice rackbeat-next 1 000 000")
    assert "from 1 to" not in said_to(slack, ANN)


def test_setup_modal_puts_a_numbers_threshold_error_on_the_numbers_field(
    bot: BotUnderTest, slack: LocalSlack
) -> None:
    run(bot, "start Testi Oy")
    run(bot, "numbering")
    status = status_post(slack)
    button, block_id = element(status, ACTION_SETUP)
    bot.driver.click(button, user=ANN, channel=CHANNEL, message_ts=status.ts, block_id=block_id)
    bot.settle()
    modal = slack.open_modal(ANN)
    assert modal is not None
    values = {
        "threshold.warning_days": {"value": {"type": "number_input", "value": "30"}},
        "threshold.warning_numbers": {"value": {"type": "number_input", "value": "100"}},
        "threshold.critical_days": {"value": {"type": "number_input", "value": "7"}},
        "threshold.critical_numbers": {"value": {"type": "number_input", "value": "1000"}},
    }
    reply = bot.driver.submit_view(modal, values, user=ANN)
    assert reply.json["response_action"] == "errors"
    assert set(reply.json["errors"]) == {"threshold.critical_numbers"}


def alert_for_invoices(bot: BotUnderTest, slack: LocalSlack) -> Message:
    """Start, set invoices 50 numbers from the block (critical), check: the alert."""
    run(bot, "start Testi Oy")
    set_up(bot, BLOCK - 50)
    run(bot, "numbering check")
    [alert] = [m for m in bot_posts(slack) if m.text == invoice_text("alert", Level.CRITICAL)]
    return alert


def reminders(slack: LocalSlack) -> list[Message]:
    reminder = t(
        "numbering.alert.reminder",
        "en",
        series=t("numbering.series.invoice", "en"),
        level="critical",
    )
    return [m for m in bot_posts(slack) if m.text == reminder]


def test_snooze_silences_reminders_for_seven_days_then_they_return(
    bot: BotUnderTest, slack: LocalSlack, clock: Clock
) -> None:
    alert = alert_for_invoices(bot, slack)
    button, block_id = element(alert, ACTION_SNOOZE)
    bot.driver.click(button, user=ANN, channel=CHANNEL, message_ts=alert.ts, block_id=block_id)
    bot.settle()
    until = format_when(clock.now + timedelta(days=7), "en")
    snoozed = t(
        "numbering.alert.snoozed",
        "en",
        who=f"<@{ANN}>",
        series=t("numbering.series.invoice", "en"),
        when=until,
    )
    assert [m.text for m in slack.thread(CHANNEL, alert.ts)][-1] == snoozed
    clock.advance(days=2)  # a reminder would be due after one day
    run(bot, "numbering check")
    assert reminders(slack) == []
    clock.advance(days=5, hours=1)  # the snooze is over; still critical
    run(bot, "numbering check")
    assert len(reminders(slack)) == 1


def test_the_check_button_on_an_alert_checks_now_and_answers_the_clicker(
    bot: BotUnderTest, slack: LocalSlack
) -> None:
    alert = alert_for_invoices(bot, slack)
    run(bot, f"numbering set invoice rackbeat-next {BLOCK - 500}")  # 500 left: warning
    before = slack.last_seq
    button, block_id = element(alert, ACTION_CHECK)
    bot.driver.click(button, user=EVE, channel=CHANNEL, message_ts=alert.ts, block_id=block_id)
    bot.settle()
    assert said_to(slack, EVE) == t(
        "numbering.check.result", "en", order="OK", invoice=level_word(Level.WARNING, "en")
    )
    assert [c for c in slack.calls_to("response_url") if c.seq > before]


def submit_netvisor_keys(
    bot: BotUnderTest, slack: LocalSlack, world: FakeUpstreams, customer_key: str | None = None
) -> NetvisorCredentials:
    """Start an onboarding, open the Netvisor connect form and submit a company's keys
    (``customer_key`` instead of the right one, if given); the keys."""
    company = world.add_company(9, netvisor_invoices=(BLOCK + 3,), netvisor_orders=(BLOCK + 1,))
    run(bot, "start Testi Oy")
    run(bot, "connect netvisor")
    modal = slack.open_modal(ANN)
    assert modal is not None
    keys = company.netvisor
    typed = {
        "customer_id": keys.customer_id,
        "customer_key": customer_key or keys.customer_key.get_secret_value(),
        "partner_id": keys.partner_id,
        "partner_key": keys.partner_key.get_secret_value(),
        "organisation_id": keys.organisation_id,
    }
    assert set(typed) == set(NETVISOR_FIELDS)
    values = {f: {"value": {"type": "plain_text_input", "value": v}} for f, v in typed.items()}
    assert bot.driver.submit_view(modal, values, user=ANN).status == 200
    bot.settle()
    return keys


def test_connect_netvisor_through_the_modal_stores_it_and_disconnect_forgets_it(
    bot: BotUnderTest, slack: LocalSlack, world: FakeUpstreams
) -> None:
    keys = submit_netvisor_keys(bot, slack, world)
    # Netvisor names the company by its business id.
    name = keys.organisation_id
    update = slack.calls_to("views.update")[-1]
    assert t("numbering.modal.connected", "en", company=name) in str(update.params)
    connected = t("numbering.connected", "en", who=f"<@{ANN}>", source="Netvisor", company=name)
    assert bot_posts(slack)[-1].text == connected
    for call in slack.calls:  # the secret keys are never shown back
        assert keys.customer_key.get_secret_value() not in str(call.params)
    run(bot, "numbering check")
    run(bot, "numbering")
    assert "1,000,003" in str(status_post(slack).blocks)  # Netvisor's largest invoice number

    run(bot, "disconnect netvisor")
    forgotten = t("numbering.disconnected", "en", who=f"<@{ANN}>", source="Netvisor")
    assert bot_posts(slack)[-1].text == forgotten
    run(bot, "numbering")
    assert "1,000,003" not in str(status_post(slack).blocks)
    assert "not connected (`/rackbeat connect netvisor`)" in str(status_post(slack).blocks)
    run(bot, "disconnect netvisor")
    assert said_to(slack, ANN) == t("numbering.disconnect.none", "en", source="Netvisor")


@pytest.mark.parametrize("keys_right", [True, False], ids=["connected", "refused"])
def test_a_connect_form_closed_while_the_keys_are_tested_still_gets_its_answer(
    bot: BotUnderTest, slack: LocalSlack, world: FakeUpstreams, keys_right: bool
) -> None:
    """The person closes the form during the test (Slack then answers the form's update with
    ``not_found``): the result is still told, in the channel, and nothing is apologised for."""
    slack.fail_next("views.update", status=200, error="not_found")
    before = slack.last_seq
    keys = submit_netvisor_keys(bot, slack, world, customer_key=None if keys_right else "wrong")
    assert t("error.apology", "en") not in str([c.params for c in slack.calls if c.seq > before])
    if keys_right:
        name = keys.organisation_id
        connected = t("numbering.connected", "en", who=f"<@{ANN}>", source="Netvisor", company=name)
        assert bot_posts(slack)[-1].text == connected
    else:
        failed = t("numbering.modal.failed", "en", reason="", source_id="netvisor")
        assert said_to(slack, ANN).endswith(failed.removeprefix(":x: "))


def test_going_live_waits_for_the_real_numbering_check(
    bot: BotUnderTest, slack: LocalSlack
) -> None:
    """The whole checklist with the numbering gate as shipped (not a stub): the last step is
    refused while invoices are critical, and the onboarding goes live once a check says OK."""
    run(bot, "start Testi Oy")
    run(bot, "set valuation fifo")
    set_up(bot, BLOCK - 50)  # invoices critical
    run(bot, "numbering check")
    live = t("onboarding.live", "en", company="Testi Oy")
    for step in STEPS:
        if step.id is not StepId.NUMBERING:
            run(bot, f"{'skip' if step.optional else 'done'} {step.id.value}")
    run(bot, "done numbering")
    assert "invoices: critical" in said_to(slack, ANN)
    assert live not in [m.text for m in bot_posts(slack)]

    run(bot, "numbering set invoice rackbeat-next 20000")
    run(bot, "numbering check")
    run(bot, "done numbering")
    assert [m.text for m in bot_posts(slack)].count(live) == 1
