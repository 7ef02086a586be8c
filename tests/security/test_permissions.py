"""Every change to an onboarding is for its members (and workspace admins) only.

A non-member tries every mutating action there is: each `/rackbeat` subcommand that changes
something, each button that changes something (also on copies the UI shows them, and on
messages it never would), each modal submission (also modals that were opened for someone
else). Each attempt is refused with the hint naming who can grant access, is audited as
denied, and leaves every table as it was; Slack sees no change either (no post, no edit, no
modal), and a non-member's credentials are never even tried against Rackbeat. Workspace admins
and owners (``users.info``) may always act.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from copy import deepcopy
from dataclasses import dataclass, field
from typing import Any

import pytest
from pydantic import SecretStr

from bot.localslack import LocalSlack
from bot.localslack.state import Message, View
from core.onboarding.service import OnboardingService
from core.store.numbering_models import NumberingCredentials
from core.tenancy import Channel
from handlers.blocks.checklist import ACTION_DONE, ACTION_SKIP, checklist_message
from handlers.blocks.numbering import ACTION_ACK, ACTION_SETUP, ACTION_SNOOZE
from handlers.blocks.registers import ACTION_MARK_DONE
from handlers.checklist import actor_for
from handlers.messages import t
from handlers.messages.formatting import mention
from tests.fakes.netvisor import FakeNetvisor
from tests.fakes.rackbeat import FakeRackbeat
from tests.harness import BotUnderTest
from tests.security.sec_support import (
    audit_rows,
    bot_for_module,
    calls_since,
    element,
    fingerprint,
    last_audit_id,
    without_audit,
)

CHANNEL = "C0PERMS"
ANN, BOB, EVE = "U0ANN", "U0BOB", "U0EVE"  # owner, member, outsider
ADA, OWEN, CAT = "U0ADA", "U0OWEN", "U0CAT"  # workspace admin, workspace owner, newcomer
TOKEN = "rackbeat-token-of-ann-0001"
PRODUCTS = b"number;name;group;cost_price;sales_price\n1001;Vasara;1;12,50;19,90\n"
# What a refused non-member may still cause in Slack: lookups and answers to them alone.
ANSWERS = {"users.info", "response_url", "chat.postEphemeral", "views.update"}


def text_input(value: str) -> dict[str, Any]:
    return {"value": {"type": "plain_text_input", "value": value}}


SETUP_VALUES = {
    "strategy.invoice": {"value": {"type": "static_select", "selected_option": {"value": "mixed"}}},
    "value.invoice.rackbeat-next": text_input("5"),
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
NETVISOR_VALUES = {
    "customer_id": text_input("cid"),
    "customer_key": text_input("ckey"),
    "partner_id": text_input("pid"),
    "partner_key": text_input("pkey"),
    "organisation_id": text_input("1572860-0"),
}


@dataclass
class Scene:
    bot: BotUnderTest
    slack: LocalSlack
    rackbeat: FakeRackbeat
    onboarding_id: int
    checklist: Message
    result: Message
    status: Message
    copy: Message  # an ephemeral copy of the checklist (what `status` once showed EVE)
    modals: dict[str, View] = field(default_factory=dict)

    def run(self, command: str, user: str) -> None:
        assert self.bot.driver.command(command, user=user, channel=CHANNEL).status == 200
        self.bot.settle()

    def click(
        self, message: Message, action_id: str, value: str | None, user: str, **kwargs: Any
    ) -> None:
        button = element(message, action_id, value)
        self.bot.driver.click(button, user=user, channel=CHANNEL, message_ts=message.ts, **kwargs)
        self.bot.settle()

    def submit(self, modal: str, values: dict[str, Any], user: str) -> None:
        assert self.bot.driver.submit_view(self.modals[modal], values, user=user).status == 200
        self.bot.settle()


def bot_posts(slack: LocalSlack) -> list[Message]:
    return [m for m in slack.channel_messages(CHANNEL) if m.user == slack.bot_user_id]


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scene]:
    rackbeat, netvisor = FakeRackbeat().start(), FakeNetvisor().start()
    rackbeat.add_account(TOKEN, "Perm Oy")
    try:
        with (
            LocalSlack() as slack,
            bot_for_module(
                tmp_path_factory.mktemp("permissions"),
                slack,
                secret_key=SecretStr("permission-tests-secret-key-0123456789"),
                rackbeat_api_url=rackbeat.url,
                netvisor_api_url=netvisor.url,
            ) as bot,
        ):
            yield build_scene(bot, slack, rackbeat)
    finally:
        rackbeat.stop()
        netvisor.stop()


def build_scene(bot: BotUnderTest, slack: LocalSlack, rackbeat: FakeRackbeat) -> Scene:
    for user, name in ((ANN, "ann"), (BOB, "bob"), (EVE, "eve"), (CAT, "cat")):
        slack.add_user(user, name)
    slack.add_user(ADA, "ada", is_admin=True)
    slack.add_user(OWEN, "owen", is_owner=True)

    def run(command: str, user: str = ANN) -> None:
        assert bot.driver.command(command, user=user, channel=CHANNEL).status == 200
        bot.settle()

    run("start Perm Oy")
    run(f"members add <@{BOB}>")
    run("done login")
    run("connect rackbeat")
    connect = slack.open_modal(ANN)
    assert connect is not None
    bot.driver.submit_view(connect, {"api_token": text_input(TOKEN)}, user=ANN)
    bot.settle()
    _, shared, _ = bot.driver.upload("products.csv", PRODUCTS, user=ANN, channel=CHANNEL)
    bot.settle()
    [result] = [
        m
        for m in slack.thread(CHANNEL, shared.ts)
        if any(b.get("type") == "actions" for b in m.blocks)
    ]
    run("numbering")
    status = [m for m in bot_posts(slack) if m.text.startswith("Numbering:")][-1]
    checklist = next(m for m in bot_posts(slack) if m.text.startswith("Rackbeat onboarding"))
    with bot.deps.uow() as uow:
        stored = uow.session.query(NumberingCredentials).one()
        onboarding_id = stored.onboarding_id
    # `status` once showed EVE an ephemeral copy of the checklist, buttons and all; copies
    # already in Slack still work, so pressing one must be refused like the checklist.
    old_copy = checklist_message(
        OnboardingService(bot.deps.uow).snapshot(Channel(slack.team_id, CHANNEL))
    )
    bot.app.client.chat_postEphemeral(
        channel=CHANNEL, user=EVE, text=old_copy.text, blocks=old_copy.blocks
    )
    shown = slack.ephemerals_for(EVE)[-1]
    copy = Message(CHANNEL, shown.ts, shown.text, shown.blocks, slack.bot_user_id)
    made = Scene(
        bot, slack, rackbeat, onboarding_id, deepcopy(checklist), deepcopy(result), status, copy
    )
    made.click(status, ACTION_SETUP, None, ANN)
    for name, command in (
        ("setup", None),
        ("connect rackbeat", "connect rackbeat"),
        ("connect netvisor", "connect netvisor"),
    ):
        if command:
            run(command)
        modal = slack.open_modal(ANN)
        assert modal is not None
        made.modals[name] = modal
    return made


def alert_button(action_id: str) -> Callable[[Scene], None]:
    """A button of an alert EVE was never shown (no alert was ever posted)."""

    def press(scene: Scene) -> None:
        button = {"type": "button", "action_id": action_id, "value": "invoice"}
        scene.bot.driver.click(button, user=EVE, channel=CHANNEL, message_ts=scene.status.ts)
        scene.bot.settle()

    return press


CHANGE, MEMBERS = "onb.permission.change", "onb.permission.members"

ATTEMPTS: dict[str, tuple[Callable[[Scene], None], str]] = {
    "/rackbeat done": (lambda s: s.run("done settings", EVE), CHANGE),
    "/rackbeat skip": (lambda s: s.run("skip batch_serial", EVE), CHANGE),
    "/rackbeat reopen": (lambda s: s.run("reopen login", EVE), CHANGE),
    "/rackbeat set valuation": (lambda s: s.run("set valuation average", EVE), CHANGE),
    "/rackbeat members add": (lambda s: s.run(f"members add <@{EVE}>", EVE), MEMBERS),
    "/rackbeat members remove": (lambda s: s.run(f"members remove <@{BOB}>", EVE), MEMBERS),
    "/rackbeat language": (lambda s: s.run("language fi", EVE), CHANGE),
    "/rackbeat numbering set": (
        lambda s: s.run("numbering set invoice rackbeat-next 5", EVE),
        CHANGE,
    ),
    "/rackbeat numbering strategy": (lambda s: s.run("numbering strategy mixed", EVE), CHANGE),
    "/rackbeat connect rackbeat": (lambda s: s.run("connect rackbeat", EVE), CHANGE),
    "/rackbeat connect netvisor": (lambda s: s.run("connect netvisor", EVE), CHANGE),
    "/rackbeat disconnect rackbeat": (lambda s: s.run("disconnect rackbeat", EVE), CHANGE),
    "/rackbeat disconnect netvisor": (lambda s: s.run("disconnect netvisor", EVE), CHANGE),
    "checklist Done button": (
        lambda s: s.click(s.checklist, ACTION_DONE, "settings", EVE),
        CHANGE,
    ),
    "checklist Skip button": (
        lambda s: s.click(s.checklist, ACTION_SKIP, "batch_serial", EVE),
        CHANGE,
    ),
    "Done on the ephemeral copy from status": (
        lambda s: s.click(s.copy, ACTION_DONE, "settings", EVE, ephemeral=True),
        CHANGE,
    ),
    "CSV result mark-done button": (
        lambda s: s.click(s.result, ACTION_MARK_DONE, None, EVE),
        CHANGE,
    ),
    "numbering setup button": (lambda s: s.click(s.status, ACTION_SETUP, None, EVE), CHANGE),
    "alert acknowledge button (forged)": (alert_button(ACTION_ACK), CHANGE),
    "alert snooze button (forged)": (alert_button(ACTION_SNOOZE), CHANGE),
    "setup modal opened for the owner": (
        lambda s: s.submit("setup", SETUP_VALUES, EVE),
        CHANGE,
    ),
    "connect rackbeat modal opened for the owner": (
        lambda s: s.submit("connect rackbeat", {"api_token": text_input(TOKEN)}, EVE),
        CHANGE,
    ),
    "connect netvisor modal opened for the owner": (
        lambda s: s.submit("connect netvisor", NETVISOR_VALUES, EVE),
        CHANGE,
    ),
}


@pytest.mark.parametrize("attempt", list(ATTEMPTS))
def test_a_non_member_is_refused_with_the_grant_hint_audited_and_nothing_changes(
    scene: Scene, attempt: str
) -> None:
    act, hint_key = ATTEMPTS[attempt]
    bot, slack = scene.bot, scene.slack
    before = without_audit(fingerprint(bot.runtime.engine))
    seq, audit_id, upstream = slack.last_seq, last_audit_id(bot), len(scene.rackbeat.requests)

    act(scene)

    calls = calls_since(slack, seq)
    hint = t(hint_key, "en", owner=mention(ANN), you=mention(EVE))
    assert hint in json.dumps([c.params for c in calls]), f"{attempt}: no grant hint"
    audited = audit_rows(bot, audit_id)
    assert audited, f"{attempt}: the refusal was not audited"
    assert {(a.actor, a.outcome, a.onboarding_id) for a in audited} == {
        (EVE, "denied", scene.onboarding_id)
    }
    assert without_audit(fingerprint(bot.runtime.engine)) == before
    assert {c.method for c in calls} <= ANSWERS, [c.method for c in calls]
    assert slack.open_modal(EVE) is None
    assert len(scene.rackbeat.requests) == upstream  # credentials never tried for EVE


def test_a_member_may_change_steps_but_not_the_members(scene: Scene) -> None:
    seq = scene.slack.last_seq
    scene.run(f"members add <@{CAT}>", BOB)
    hint = t(MEMBERS, "en", owner=mention(ANN), you=mention(BOB))
    assert hint in json.dumps([c.params for c in calls_since(scene.slack, seq)])
    scene.run("skip previous_orders", BOB)
    [applied] = [a for a in audit_rows(scene.bot) if a.subject == "previous_orders"]
    assert (applied.actor, applied.outcome) == (BOB, "applied")


@pytest.mark.parametrize(("admin", "command"), [(ADA, "done settings"), (OWEN, "language fi")])
def test_workspace_admins_and_owners_may_always_act(scene: Scene, admin: str, command: str) -> None:
    audit_id = last_audit_id(scene.bot)
    scene.run(command, admin)
    scene.run(f"members add <@{CAT}>", admin)
    scene.run("numbering set order rackbeat-next 4242", admin)
    applied = audit_rows(scene.bot, audit_id)
    assert applied and {(a.actor, a.outcome) for a in applied} == {(admin, "applied")}
    scene.run(f"members remove <@{CAT}>", admin)
    scene.run("language en", admin)


def test_a_workspace_admin_may_press_the_buttons_too(scene: Scene) -> None:
    audit_id = last_audit_id(scene.bot)
    scene.click(scene.checklist, ACTION_SKIP, "batch_serial", ADA)
    scene.click(scene.status, ACTION_SETUP, None, ADA)
    assert scene.slack.open_modal(ADA) is not None
    applied = audit_rows(scene.bot, audit_id)
    assert [(a.actor, a.outcome, a.subject) for a in applied] == [(ADA, "applied", "batch_serial")]


def test_without_an_answer_from_users_info_nobody_is_taken_for_an_admin(scene: Scene) -> None:
    audit_id = last_audit_id(scene.bot)
    scene.slack.fail_next("users.info", status=200, error="fatal_error", times=3)
    scene.run("reopen batch_serial", ADA)
    [refused] = audit_rows(scene.bot, audit_id)
    assert (refused.actor, refused.outcome) == (ADA, "denied")


class UsersInfo:
    """Answers `users.info` like Slack does for a user of another workspace (Slack Connect)."""

    def __init__(self, user: dict[str, Any]) -> None:
        self.user = user

    def users_info(self, **_: Any) -> dict[str, Any]:
        return {"ok": True, "user": self.user}


def test_an_admin_of_another_workspace_is_no_admin_here() -> None:
    foreign = UsersInfo({"id": "U0X", "team_id": "T0OTHER", "is_admin": True, "is_owner": True})
    assert not actor_for(foreign, "U0X", "T0LOCAL").is_workspace_admin  # type: ignore[arg-type]
    local = UsersInfo({"id": "U0X", "team_id": "T0LOCAL", "is_primary_owner": True})
    assert actor_for(local, "U0X", "T0LOCAL").is_workspace_admin  # type: ignore[arg-type]
