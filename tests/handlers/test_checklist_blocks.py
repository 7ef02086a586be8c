"""The checklist message and a step's guide are pure functions of a snapshot."""

from __future__ import annotations

import json
from typing import Any

from core.language import Language
from core.onboarding.steps import STEPS, StepId, StepState, Valuation
from handlers.blocks.checklist import (
    ACTION_DONE,
    ACTION_GUIDE,
    ACTION_SKIP,
    checklist_message,
    guide_message,
)
from handlers.messages import t
from tests.handlers.onboarding_snapshots import make_snapshot

D, S, P = StepState.DONE, StepState.SKIPPED, StepState.IN_PROGRESS


def buttons_of(blocks: list[dict[str, Any]], step: StepId) -> dict[str, dict[str, Any]]:
    for block in blocks:
        if block.get("block_id") == f"checklist:step:{step.value}:actions":
            return {element["action_id"]: element for element in block["elements"]}
    return {}


def all_text(blocks: list[dict[str, Any]]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


def test_a_fresh_checklist_offers_done_and_guide_everywhere_and_skip_on_optional_steps() -> None:
    message = checklist_message(make_snapshot())
    for step in STEPS:
        buttons = buttons_of(message.blocks, step.id)
        assert set(buttons) == (
            {ACTION_DONE, ACTION_SKIP, ACTION_GUIDE}
            if step.optional
            else {ACTION_DONE, ACTION_GUIDE}
        )
        assert {b["value"] for b in buttons.values()} == {step.id.value}
    assert "0/10" in all_text(message.blocks)
    assert message.text == t(
        "onboarding.checklist.fallback", "en", company="Acme Oy", done=0, total=10
    )


def test_settled_steps_show_who_and_when_and_have_no_buttons() -> None:
    snapshot = make_snapshot(
        {StepId.LOGIN: D, StepId.SETTINGS: D, StepId.CUSTOMERS: S, StepId.PRODUCTS: P},
        notes={StepId.CUSTOMERS: "created as needed"},
    )
    message = checklist_message(snapshot)
    text = all_text(message.blocks)
    assert buttons_of(message.blocks, StepId.LOGIN) == {}
    assert buttons_of(message.blocks, StepId.CUSTOMERS) == {}
    assert set(buttons_of(message.blocks, StepId.PRODUCTS)) == {
        ACTION_DONE,
        ACTION_SKIP,
        ACTION_GUIDE,
    }
    assert "done by <@U_ANN>, 2 Mar 2026 08:05 UTC" in text
    assert "created as needed" in text
    assert "3/10" in text
    # The next step is the first open one.
    assert t("onboarding.checklist.next", "en", position=4, title="Product register") in text


def test_blocked_steps_say_what_they_wait_for() -> None:
    text = all_text(checklist_message(make_snapshot()).blocks)
    assert t("onboarding.blocker.valuation_missing", "en") in text
    ready = make_snapshot(
        {StepId.SETTINGS: D, StepId.PRODUCTS: S, StepId.BATCH_SERIAL: S}, valuation=Valuation.FIFO
    )
    assert t("onboarding.blocker.valuation_missing", "en") not in all_text(
        checklist_message(ready).blocks
    )


def test_a_settled_onboarding_says_so() -> None:
    states = {s.id: (S if s.optional else D) for s in STEPS}
    message = checklist_message(make_snapshot(states))
    text = all_text(message.blocks)
    assert t("onboarding.checklist.all_settled", "en") in text
    assert "10/10" in text
    assert t("onb.onboarding.live", "en") in text
    assert not any(b["type"] == "actions" for b in message.blocks)


def test_the_checklist_speaks_finnish() -> None:
    message = checklist_message(make_snapshot(language=Language.FI))
    text = all_text(message.blocks)
    assert "Rackbeat-käyttöönotto — Acme Oy" in text
    assert t("step.initial_balances.title", "fi") in text
    assert buttons_of(message.blocks, StepId.LOGIN)[ACTION_DONE]["text"]["text"] == "Tehty"


def test_the_checklist_stays_within_slack_s_limits() -> None:
    long_notes = {step: "x" * 3000 for step in StepId}
    message = checklist_message(make_snapshot(notes=long_notes, company="Y" * 300))
    assert len(message.blocks) <= 50
    for block in message.blocks:
        if block["type"] in {"section"}:
            assert len(block["text"]["text"]) <= 3000
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= 150
    block_ids = [b["block_id"] for b in message.blocks if "block_id" in b]
    assert len(block_ids) == len(set(block_ids))


def test_the_guide_carries_the_step_s_text_and_how_to_finish_or_skip() -> None:
    optional = guide_message(StepId.BATCH_SERIAL, "en").text
    assert t("step.batch_serial.guide", "en") in optional
    assert "`/rackbeat skip batch_serial`" in optional
    assert "`/rackbeat done batch_serial`" in optional
    required = guide_message(StepId.SETTINGS, "fi").text
    assert t("step.settings.guide", "fi") in required
    assert "skip" not in required
