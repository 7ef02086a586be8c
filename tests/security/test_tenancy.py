"""An onboarding belongs to one channel of one team, and nothing reaches across.

Team A (the emulator's workspace) has two onboardings: "Alpha Oy" in C0A1 and "Alpha Two Oy" in
C0A2 (whose owner is someone else). Team B (payloads that say so, correctly signed) has "Beta
Oy" in C0B1. Team B's commands, buttons, modals and App Home see nothing of team A, also when
they name team A's channel, its onboarding id or its steps in forged values and
``private_metadata``; and within team A, one channel's commands see nothing of the other's.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from copy import deepcopy
from dataclasses import dataclass
from typing import Any

import pytest
from pydantic import SecretStr

from bot.localslack import LocalSlack
from bot.localslack.state import Message, View
from core.onboarding.service import OnboardingService
from core.onboarding.snapshot import OnboardingSnapshot
from core.tenancy import Channel
from handlers.blocks.checklist import ACTION_DONE
from handlers.blocks.numbering import ACTION_ACK, ACTION_SETUP
from handlers.blocks.registers import ACTION_MARK_DONE
from handlers.messages import t
from tests.fakes.rackbeat import FakeRackbeat
from tests.harness import BotUnderTest
from tests.security.sec_support import (
    TeamDriver,
    audit_rows,
    bot_for_module,
    calls_since,
    element,
    fingerprint,
    last_audit_id,
    without_audit,
)

TEAM_A, TEAM_B = "T0ALPHA", "T0BETA"
A1, A2, B1 = "C0A1", "C0A2", "C0B1"
ANN, BOB, CAROL = "U0ANN", "U0BOB", "U0CAROL"  # team A: A1's owner and member, A2's owner
BEN = "U0BEN"  # team B: Beta's owner
TOKEN = "rackbeat-token-tenancy-0001"
PRODUCTS = b"number;name;group;cost_price;sales_price\n1001;Vasara;1;12,50;19,90\n"
# What only team A's first onboarding has: its name, a number, its member, its channel.
A1_MARKS = ("Alpha Oy", "123457", "123,457", BOB, A1)
A_MARKS = (*A1_MARKS, "Alpha Two", A2, CAROL)
NOT_FOUND = t("onb.not_found", "en")


def text_input(value: str) -> dict[str, Any]:
    return {"value": {"type": "plain_text_input", "value": value}}


@dataclass
class Scene:
    bot: BotUnderTest
    slack: LocalSlack
    team_b: TeamDriver
    rackbeat: FakeRackbeat
    a1_checklist: Message
    a1_result: Message
    a1_setup: View
    a1_connect: View

    def run(self, command: str, user: str, channel: str, team: str = TEAM_A) -> None:
        driver = self.bot.driver if team == TEAM_A else self.team_b
        assert driver.command(command, user=user, channel=channel).status == 200
        self.bot.settle()

    def find(self, channel: str, team: str = TEAM_A) -> OnboardingSnapshot | None:
        return OnboardingService(self.bot.deps.uow).find(Channel(team, channel))


def said(calls: list[Any]) -> str:
    return json.dumps([[c.method, c.params] for c in calls], ensure_ascii=False)


def a_marks_in(shown: str, marks: tuple[str, ...] = A_MARKS) -> list[str]:
    return [mark for mark in marks if mark in shown]


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scene]:
    rackbeat = FakeRackbeat().start()
    rackbeat.add_account(TOKEN, "Alpha Oy")
    try:
        with (
            LocalSlack(team_id=TEAM_A) as slack,
            bot_for_module(
                tmp_path_factory.mktemp("tenancy"),
                slack,
                secret_key=SecretStr("tenancy-tests-secret-key-0123456789"),
                rackbeat_api_url=rackbeat.url,
            ) as bot,
        ):
            yield build_scene(bot, slack, rackbeat)
    finally:
        rackbeat.stop()


def build_scene(bot: BotUnderTest, slack: LocalSlack, rackbeat: FakeRackbeat) -> Scene:
    for user, name in ((ANN, "ann"), (BOB, "bob"), (CAROL, "carol"), (BEN, "ben")):
        slack.add_user(user, name)
    team_b = TeamDriver(bot, TEAM_B)

    def run(command: str, user: str, channel: str, driver: Any = bot.driver) -> None:
        assert driver.command(command, user=user, channel=channel).status == 200
        bot.settle()

    for command in (
        "start Alpha Oy",
        f"members add <@{BOB}>",
        "done login",
        "set valuation fifo",
        "numbering set invoice rackbeat-next 123457",
        "connect rackbeat",
    ):
        run(command, ANN, A1)
    connect = slack.open_modal(ANN)
    assert connect is not None
    bot.driver.submit_view(connect, {"api_token": text_input(TOKEN)}, user=ANN)
    bot.settle()
    _, shared, _ = bot.driver.upload("products.csv", PRODUCTS, user=ANN, channel=A1)
    bot.settle()
    [result] = [
        m for m in slack.thread(A1, shared.ts) if any(b.get("type") == "actions" for b in m.blocks)
    ]
    run("numbering", ANN, A1)
    status = [m for m in slack.channel_messages(A1) if m.text.startswith("Numbering:")][-1]
    bot.driver.click(element(status, ACTION_SETUP), user=ANN, channel=A1, message_ts=status.ts)
    bot.settle()
    setup = slack.open_modal(ANN)
    assert setup is not None and setup.view["callback_id"] == "numbering_setup"
    run("connect rackbeat", ANN, A1)
    connect_again = slack.open_modal(ANN)
    assert connect_again is not None
    checklist = next(m for m in slack.channel_messages(A1) if m.text.startswith("Rackbeat"))
    for command in ("start Alpha Two Oy", "done login"):
        run(command, CAROL, A2)
    for command in ("start Beta Oy", "numbering set invoice rackbeat-next 500"):
        run(command, BEN, B1, team_b)
    return Scene(
        bot,
        slack,
        team_b,
        rackbeat,
        deepcopy(checklist),
        deepcopy(result),
        deepcopy(setup),
        deepcopy(connect_again),
    )


# --- commands -------------------------------------------------------------------------------

READS = ["status", "next", "history", "members", "numbering", "numbering check"]


@pytest.mark.parametrize("command", [*READS, "done settings", "help"])
def test_team_b_commands_in_its_channel_see_only_team_b(scene: Scene, command: str) -> None:
    seq = scene.slack.last_seq
    scene.run(command, BEN, B1, TEAM_B)
    calls = calls_since(scene.slack, seq)
    assert calls, "the command had no answer"
    assert a_marks_in(said(calls)) == []
    assert {c.params.get("channel") for c in calls if "channel" in c.params} <= {B1}


CHANGES = [
    "done settings",
    "skip batch_serial",
    "reopen login",
    "set valuation average",
    f"members add <@{BEN}>",
    f"members remove <@{BOB}>",
    "numbering set invoice rackbeat-next 1",
    "numbering strategy mixed",
    "connect rackbeat",
    "disconnect rackbeat",
]


@pytest.mark.parametrize("command", [*READS, *CHANGES])
def test_team_b_naming_team_a_channel_finds_nothing_and_changes_nothing(
    scene: Scene, command: str
) -> None:
    bot, slack = scene.bot, scene.slack
    before, seq, audit_id = fingerprint(bot.runtime.engine), slack.last_seq, last_audit_id(bot)
    scene.run(command, BEN, A1, TEAM_B)
    shown = said(calls_since(slack, seq))
    assert NOT_FOUND in shown
    assert a_marks_in(shown, ("Alpha", "123457", "123,457", BOB)) == []
    assert without_audit(fingerprint(bot.runtime.engine)) == without_audit(before)
    assert {a.onboarding_id for a in audit_rows(bot, audit_id)} <= {None}
    assert slack.open_modal(BEN) is None


def test_team_b_choosing_a_language_in_team_a_channel_touches_only_team_b(scene: Scene) -> None:
    """Before `start`, `language` is remembered for the channel (anyone may choose): for
    team B that is team B's channel key, never team A's onboarding."""
    bot, slack = scene.bot, scene.slack
    seq = slack.last_seq
    scene.run("language fi", BEN, A1, TEAM_B)
    shown = said(calls_since(slack, seq))
    assert t("onb.not_found", "fi") not in shown and "suomeksi" in shown
    assert a_marks_in(shown, ("Alpha", "123457", "123,457", BOB)) == []
    service = OnboardingService(bot.deps.uow)
    assert service.language(Channel(TEAM_B, A1)) is not None
    alpha = scene.find(A1)
    assert alpha is not None and alpha.language.value == "en"
    scene.run("language en", BEN, A1, TEAM_B)  # leave team B's key as the next tests expect


@pytest.mark.parametrize("command", ["status", "next", "history", "members", "numbering"])
def test_another_channel_of_the_same_team_sees_only_its_own_onboarding(
    scene: Scene, command: str
) -> None:
    seq = scene.slack.last_seq
    scene.run(command, ANN, A2)
    shown = said(calls_since(scene.slack, seq))
    if command == "status":
        assert "Alpha Two Oy" in shown
    assert a_marks_in(shown, A1_MARKS) == []


# --- buttons --------------------------------------------------------------------------------


def press(
    scene: Scene,
    button: dict[str, Any],
    *,
    user: str,
    channel: str,
    team: str,
    message_ts: str | None = None,
) -> str:
    driver = scene.bot.driver if team == TEAM_A else scene.team_b
    seq = scene.slack.last_seq
    reply = driver.click(button, user=user, channel=channel, message_ts=message_ts)
    # Bolt answers 404 to an action id no listener claims.
    assert reply.status == (200 if button["action_id"] in HANDLED else 404)
    scene.bot.settle()
    return said(calls_since(scene.slack, seq))


HANDLED = {ACTION_DONE, ACTION_MARK_DONE, ACTION_ACK, ACTION_SETUP}
FORGED_BUTTONS = {
    "checklist Done naming A1's step": {"action_id": ACTION_DONE, "value": "settings"},
    "checklist Done with A1's channel in the value": {
        "action_id": ACTION_DONE,
        "value": f"{A1}:settings",
    },
    "checklist Done with an onboarding id in the value": {
        "action_id": ACTION_DONE,
        "value": json.dumps({"onboarding_id": 1, "step": "settings", "channel": A1}),
    },
    "mark-done naming A1's onboarding": {
        "action_id": ACTION_MARK_DONE,
        "value": json.dumps(
            {"step": "products", "onboarding_id": 1, "team": TEAM_A, "channel": A1}
        ),
    },
    "acknowledge naming A1": {"action_id": ACTION_ACK, "value": "invoice"},
    "setup naming A1": {"action_id": ACTION_SETUP, "value": json.dumps({"channel": A1})},
    "unknown action id naming A1": {"action_id": f"checklist:done:{A1}", "value": "settings"},
}


@pytest.mark.parametrize("name", list(FORGED_BUTTONS))
@pytest.mark.parametrize(
    ("user", "channel", "team"),
    [(BEN, A1, TEAM_B), (BEN, B1, TEAM_B), (ANN, A2, TEAM_A)],
    ids=["team B in A1", "team B in B1", "A1's owner in A2"],
)
def test_forged_buttons_never_change_another_onboarding(
    scene: Scene, name: str, user: str, channel: str, team: str
) -> None:
    a1_before = scene.find(A1)
    a2_before = scene.find(A2)
    audit_id = last_audit_id(scene.bot)
    button = {"type": "button", **FORGED_BUTTONS[name]}

    shown = press(
        scene, button, user=user, channel=channel, team=team, message_ts=scene.a1_checklist.ts
    )

    assert scene.find(A1) == a1_before
    assert scene.find(A2) == a2_before
    applied = [a for a in audit_rows(scene.bot, audit_id) if a.outcome == "applied"]
    assert {a.team_id for a in applied} <= {TEAM_B}
    assert a_marks_in(shown, ("Alpha Oy", "123457", "123,457", BOB)) == []
    a1_message = scene.slack.message(A1, scene.a1_checklist.ts)
    assert a1_message is not None and a1_message.blocks == scene.a1_checklist.blocks


def test_a1_checklist_button_pressed_from_team_b_is_not_found(scene: Scene) -> None:
    button = element(scene.a1_checklist, ACTION_DONE, "settings")
    before = scene.find(A1)
    shown = press(
        scene, button, user=BEN, channel=A1, team=TEAM_B, message_ts=scene.a1_checklist.ts
    )
    assert NOT_FOUND in shown
    assert scene.find(A1) == before


# --- modals ---------------------------------------------------------------------------------


def forged_view(view: View, metadata: dict[str, str] | str) -> View:
    body = deepcopy(view.view)
    body["private_metadata"] = metadata if isinstance(metadata, str) else json.dumps(metadata)
    return View("V0FORGED", view.user, body)


SETUP_VALUES = {
    "value.invoice.rackbeat-next": text_input("1"),
    **{
        f"threshold.{name}": {"value": {"type": "number_input", "value": value}}
        for name, value in (
            ("warning_days", "30"),
            ("warning_numbers", "1000"),
            ("critical_days", "7"),
            ("critical_numbers", "100"),
        )
    },
}
METADATA = {
    "team A's channel named with team A": {"team": TEAM_A, "channel": A1},
    "team A's channel without a team": {"channel": A1},
    "team A's channel, team B's own team": {"team": TEAM_B, "channel": A1},
    "not JSON": "T0ALPHA/C0A1",
}


@pytest.mark.parametrize("modal", ["setup", "connect"])
@pytest.mark.parametrize("metadata", list(METADATA))
def test_a_modal_from_team_b_naming_team_a_is_refused(
    scene: Scene, modal: str, metadata: str
) -> None:
    bot, slack = scene.bot, scene.slack
    source = scene.a1_setup if modal == "setup" else scene.a1_connect
    values = SETUP_VALUES if modal == "setup" else {"api_token": text_input(TOKEN)}
    view = forged_view(source, METADATA[metadata])
    before, seq, upstream = (
        fingerprint(bot.runtime.engine),
        slack.last_seq,
        len(scene.rackbeat.requests),
    )

    reply = scene.team_b.submit_view(view, values, user=BEN)
    bot.settle()

    assert reply.status == 200
    assert without_audit(fingerprint(bot.runtime.engine)) == without_audit(before)
    assert a_marks_in(said(calls_since(slack, seq)), ("Alpha", "123457", "123,457", BOB)) == []
    assert len(scene.rackbeat.requests) == upstream


@pytest.mark.parametrize("modal", ["setup", "connect"])
def test_a_modal_naming_another_channel_of_the_same_team_is_refused_for_a_non_member(
    scene: Scene, modal: str
) -> None:
    """A1's owner edits a form's metadata to point at A2, where she is no member."""
    bot = scene.bot
    source = scene.a1_setup if modal == "setup" else scene.a1_connect
    values = SETUP_VALUES if modal == "setup" else {"api_token": text_input(TOKEN)}
    view = forged_view(source, {"team": TEAM_A, "channel": A2})
    before, audit_id = fingerprint(bot.runtime.engine), last_audit_id(bot)
    upstream = len(scene.rackbeat.requests)

    assert bot.driver.submit_view(view, values, user=ANN).status == 200
    bot.settle()

    assert without_audit(fingerprint(bot.runtime.engine)) == without_audit(before)
    a2 = scene.find(A2)
    assert a2 is not None
    assert {(a.outcome, a.onboarding_id) for a in audit_rows(bot, audit_id)} == {("denied", a2.id)}
    assert len(scene.rackbeat.requests) == upstream


# --- App Home -------------------------------------------------------------------------------


def home_of(scene: Scene, user: str, team: str) -> str:
    driver = scene.bot.driver if team == TEAM_A else scene.team_b
    assert driver.open_home(user=user).status == 200
    scene.bot.settle()
    return json.dumps(scene.slack.homes[user].view, ensure_ascii=False)


def test_app_home_of_a_team_b_user_lists_nothing_of_team_a(scene: Scene) -> None:
    home = home_of(scene, BEN, TEAM_B)
    assert "Beta Oy" in home
    assert a_marks_in(home) == []


def test_app_home_of_a_team_b_user_with_a_team_a_user_id_lists_nothing_of_team_a(
    scene: Scene,
) -> None:
    """User ids are unique across Slack, but the lookup must not rely on it."""
    home = home_of(scene, ANN, TEAM_B)
    assert a_marks_in(home) == []
    assert "Beta Oy" not in home  # ANN of team B is in no onboarding


def test_app_home_within_team_a_lists_each_user_only_their_onboardings(scene: Scene) -> None:
    bob = home_of(scene, BOB, TEAM_A)
    assert "Alpha Oy" in bob and "Alpha Two" not in bob and "Beta" not in bob
    carol = home_of(scene, CAROL, TEAM_A)
    assert "Alpha Two Oy" in carol and "Alpha Oy" not in carol and "Beta" not in carol
