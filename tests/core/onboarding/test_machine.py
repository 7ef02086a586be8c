"""The machine's behaviour beyond the table: live/active, next step, what a refusal says (as
data: its words are tested in ``tests/handlers/test_onboarding_words.py``), and the checks it
makes on itself when it loads."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.onboarding import machine
from core.onboarding.machine import (
    Action,
    OnboardingState,
    Rule,
    Situation,
    StepRecord,
    StepRefused,
    decide,
    is_live,
    next_step,
    onboarding_state,
    progress,
)
from core.onboarding.numbering_gate import NumberingGate
from core.onboarding.steps import OPTIONAL_STEPS, STEPS, StepId, StepState, Valuation

D, S, T = StepState.DONE, StepState.SKIPPED, StepState.TODO
OK_GATE = NumberingGate.from_levels({"order": "ok", "invoice": "ok"})


def all_settled() -> dict[StepId, StepState]:
    return {step.id: (S if step.optional else D) for step in STEPS}


def test_onboarding_is_live_when_every_step_is_settled() -> None:
    situation = Situation.of_states(all_settled())
    assert is_live(situation)
    assert onboarding_state(situation) is OnboardingState.LIVE
    assert progress(situation) == (10, 10)


def test_an_open_optional_step_keeps_the_onboarding_active() -> None:
    states = all_settled() | {StepId.PREVIOUS_ORDERS: T}
    assert onboarding_state(Situation.of_states(states)) is OnboardingState.ACTIVE
    assert progress(Situation.of_states(states)) == (9, 10)


def test_reopening_any_step_returns_to_active() -> None:
    for step in StepId:
        if step is StepId.BATCH_SERIAL:
            continue  # locked by the done initial balances
        situation = Situation.of_states(all_settled())
        reopened = situation.with_state(step, decide(situation, step, Action.REOPEN))
        assert onboarding_state(reopened) is OnboardingState.ACTIVE


def test_next_step_follows_the_guide() -> None:
    situation = Situation.initial()
    assert next_step(situation) is StepId.LOGIN
    situation = situation.with_state(StepId.LOGIN, D).with_state(StepId.SETTINGS, D)
    assert next_step(situation) is StepId.CUSTOMERS
    assert next_step(Situation.of_states(all_settled())) is None


def test_initial_balances_refusal_lists_every_missing_prerequisite() -> None:
    with pytest.raises(StepRefused) as refused:
        decide(Situation.initial(), StepId.INITIAL_BALANCES, Action.DONE)
    assert refused.value.codes == (
        "settings_not_done",
        "valuation_missing",
        "products_open",
        "batch_serial_open",
    )
    assert refused.value.code == "onb.refused.done"
    reasons = refused.value.params["reasons"]
    assert [(r["rule"], r.get("dep")) for r in reasons] == [  # type: ignore[attr-defined]
        ("settings_not_done", StepId.SETTINGS),
        ("valuation_missing", None),
        ("products_open", StepId.PRODUCTS),
        ("batch_serial_open", StepId.BATCH_SERIAL),
    ]


def test_batch_serial_reopen_refusal_explains_the_irreversible_rule() -> None:
    situation = Situation.of_states(
        {
            StepId.SETTINGS: D,
            StepId.PRODUCTS: D,
            StepId.BATCH_SERIAL: D,
            StepId.INITIAL_BALANCES: D,
        },
        valuation=Valuation.FIFO,
    )
    with pytest.raises(StepRefused) as refused:
        decide(situation, StepId.BATCH_SERIAL, Action.REOPEN)
    assert refused.value.codes == ("batch_serial_locked",)
    assert refused.value.params["reasons"][0]["dep"] is StepId.INITIAL_BALANCES  # type: ignore[index]


def test_numbering_refusals_carry_the_levels_they_judged() -> None:
    unknown = Situation.initial()
    with pytest.raises(StepRefused) as refused:
        decide(unknown, StepId.NUMBERING, Action.DONE)
    assert refused.value.codes == ("numbering_unknown",)
    collision = Situation.of_states(
        {}, numbering=NumberingGate.from_levels({"order": "ok", "invoice": "collision"})
    )
    with pytest.raises(StepRefused) as refused:
        decide(collision, StepId.NUMBERING, Action.DONE)
    assert refused.value.codes == ("numbering_not_ok",)
    levels = refused.value.params["reasons"][0]["levels"]  # type: ignore[index]
    assert levels == (("order", "ok"), ("invoice", "collision"))
    assert decide(Situation.of_states({}, numbering=OK_GATE), StepId.NUMBERING, Action.DONE) is D


def test_done_twice_says_who_did_it_first() -> None:
    at = datetime(2026, 1, 2, 9, 5, tzinfo=UTC)
    situation = Situation(steps={StepId.LOGIN: StepRecord(D, "U_ANN", at)})
    with pytest.raises(StepRefused) as refused:
        decide(situation, StepId.LOGIN, Action.DONE)
    assert refused.value.params == {
        "step": StepId.LOGIN,
        "state": D,
        "reasons": (
            {"rule": "already_done", "step": StepId.LOGIN, "state": D, "by": "U_ANN", "at": at},
        ),
    }


def test_only_the_issue_s_optional_steps_are_optional() -> None:
    assert {
        StepId.CUSTOMERS,
        StepId.PRODUCTS,
        StepId.SUPPLIERS,
        StepId.BATCH_SERIAL,
        StepId.PREVIOUS_ORDERS,
    } == OPTIONAL_STEPS


def test_a_rule_with_an_unknown_guard_is_refused_at_load(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        machine, "RULES", (*machine.RULES, Rule(Action.DONE, StepId.LOGIN, "no_such_guard"))
    )
    with pytest.raises(AssertionError, match="guards"):
        machine._validate()


def test_a_guard_reading_an_unrelated_step_is_refused_at_load(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(
        machine,
        "RULES",
        (*machine.RULES, Rule(Action.DONE, StepId.LOGIN, "initial_balances_prerequisites")),
    )
    with pytest.raises(AssertionError, match="not related"):
        machine._validate()


def test_a_transition_that_strands_a_state_is_refused_at_load(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    table = dict(machine.TRANSITIONS)
    table[Action.REOPEN] = machine.Transition(Action.REOPEN, frozenset({S}), StepState.IN_PROGRESS)
    monkeypatch.setattr(machine, "TRANSITIONS", table)
    with pytest.raises(AssertionError, match="no way out"):
        machine._validate()


def test_a_guard_that_blocks_the_guide_is_refused_at_load(monkeypatch: pytest.MonkeyPatch) -> None:
    def never(situation: Situation, step: StepId) -> list[machine.Refusal]:
        return [machine.Refusal("not_optional", step)]

    monkeypatch.setattr(
        machine, "GUARDS", {**machine.GUARDS, "never": machine.Guard("never", never)}
    )
    monkeypatch.setattr(
        machine, "RULES", (*machine.RULES, Rule(Action.DONE, StepId.LOGIN, "never"))
    )
    with pytest.raises(AssertionError, match="blocked"):
        machine._validate()
