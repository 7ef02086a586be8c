"""Every (step, action) in every reachable state, against the rules of issues 3 and 17
written out independently of the machine.

The rules only look at five steps (settings, products, batch_serial, initial_balances,
numbering), the valuation method, the numbering verdict and one piece of history — whether
initial balances were ever marked done ("stock moved"; issue 17: reopening the balances step
does not take stock out of Rackbeat, and checking an inventory file moves no stock). The
other five steps have no guards and nothing reads them. So the reachable space is explored
over those five steps (plus valuation and verdict, which change independently, and the
history, which only a "done" on initial balances sets), and every step — including the five
unguarded ones in each state they can reach — is tried with every action in each such state.
"""

from __future__ import annotations

import itertools
from collections import deque
from functools import cache

import pytest

from core.errors import TransitionRefused
from core.language import Language
from core.onboarding.machine import Action, Situation, StepRefused, check, decide, decide_valuation
from core.onboarding.numbering_gate import NumberingGate, Verdict
from core.onboarding.steps import StepId, StepState, Valuation
from handlers.blocks.onboarding_words import state_word, step_name
from handlers.errors import render_error

T, P, D, S = StepState.TODO, StepState.IN_PROGRESS, StepState.DONE, StepState.SKIPPED

# The rules, as the issue states them.
OPTIONAL = {
    StepId.CUSTOMERS,
    StepId.PRODUCTS,
    StepId.SUPPLIERS,
    StepId.BATCH_SERIAL,
    StepId.PREVIOUS_ORDERS,
}
SOURCES = {Action.BEGIN: {T}, Action.DONE: {T, P}, Action.SKIP: {T, P}, Action.REOPEN: {D, S}}
TARGET = {Action.BEGIN: P, Action.DONE: D, Action.SKIP: S, Action.REOPEN: P}
STATE_CODES = {
    "already_done",
    "already_skipped",
    "settled_reopen_first",
    "nothing_to_reopen",
    "already_started",
}
GUARDED = (
    StepId.SETTINGS,
    StepId.PRODUCTS,
    StepId.BATCH_SERIAL,
    StepId.INITIAL_BALANCES,
    StepId.NUMBERING,
)
FREE = tuple(step for step in StepId if step not in GUARDED)
GATES = {
    Verdict.OK: NumberingGate.from_levels({"order": "ok", "invoice": "ok"}),
    Verdict.NOT_OK: NumberingGate.from_levels({"order": "ok", "invoice": "collision"}),
    Verdict.UNKNOWN: NumberingGate.from_levels({"order": "ok"}),
}

# A world: the five guarded steps' states, the valuation method, the numbering verdict, and
# whether stock has ever moved (initial balances marked done at least once).
World = tuple[tuple[StepState, ...], Valuation | None, Verdict, bool]


def expected(
    states: dict[StepId, StepState],
    valuation: Valuation | None,
    verdict: Verdict,
    step: StepId,
    action: Action,
    moved: bool,
) -> set[str] | StepState:
    """The new state, or the set of rule codes that refuse the action."""
    if states[step] not in SOURCES[action]:
        return {"state"}
    reasons: set[str] = set()
    if action is Action.SKIP and step not in OPTIONAL:
        reasons.add("not_optional")
    if action is Action.DONE and step is StepId.INITIAL_BALANCES:
        if states[StepId.SETTINGS] is not D:
            reasons.add("settings_not_done")
        if valuation is None:
            reasons.add("valuation_missing")
        if states[StepId.PRODUCTS] not in {D, S}:
            reasons.add("products_open")
        if states[StepId.BATCH_SERIAL] not in {D, S}:
            reasons.add("batch_serial_open")
    # History, not the balances' state: once they were done, batch/serial stays final.
    if action in {Action.DONE, Action.REOPEN} and step is StepId.BATCH_SERIAL and moved:
        reasons.add("batch_serial_locked")
    if action is Action.DONE and step is StepId.NUMBERING and verdict is not Verdict.OK:
        reasons.add("numbering_unknown" if verdict is Verdict.UNKNOWN else "numbering_not_ok")
    return reasons or TARGET[action]


def valuation_allowed(old: Valuation | None, new: Valuation, moved: bool) -> bool:
    # Recording the method for the first time changes nothing in Rackbeat: always allowed.
    # Otherwise only until stock moved (an inventory file being checked moves nothing).
    return old is None or old is new or not moved


def as_states(world: World) -> dict[StepId, StepState]:
    states = dict.fromkeys(StepId, T)
    states.update(zip(GUARDED, world[0], strict=True))
    return states


@cache
def reachable_worlds() -> tuple[World, ...]:
    """Breadth-first over the guarded steps, valuation and verdict, by the issue's rules."""
    start: World = ((T,) * len(GUARDED), None, Verdict.UNKNOWN, False)
    seen = {start}
    queue = deque([start])
    while queue:
        world = queue.popleft()
        step_states, valuation, verdict, moved = world
        states = as_states(world)
        successors: list[World] = []
        for index, step in enumerate(GUARDED):
            for action in Action:
                outcome = expected(states, valuation, verdict, step, action, moved)
                if isinstance(outcome, StepState):
                    after = list(step_states)
                    after[index] = outcome
                    done_balances = step is StepId.INITIAL_BALANCES and outcome is D
                    successors.append((tuple(after), valuation, verdict, moved or done_balances))
        successors.extend(
            (step_states, method, verdict, moved)
            for method in Valuation
            if valuation_allowed(valuation, method, moved)
        )
        successors.extend((step_states, valuation, other, moved) for other in Verdict)
        for successor in successors:
            if successor not in seen:
                seen.add(successor)
                queue.append(successor)
    return tuple(sorted(seen, key=repr))


def own_states(step: StepId) -> tuple[StepState, ...]:
    """States an unguarded step reaches on its own (skipped only if it is optional)."""
    return (T, P, D, S) if step in OPTIONAL else (T, P, D)


def cases(step: StepId) -> itertools.chain[tuple[World, dict[StepId, StepState]]]:
    """(world, full state map) pairs in which ``step`` is tried."""

    def per_world(world: World) -> list[tuple[World, dict[StepId, StepState]]]:
        states = as_states(world)
        if step in GUARDED:
            return [(world, states)]
        return [(world, {**states, step: own}) for own in own_states(step)]

    return itertools.chain.from_iterable(per_world(world) for world in reachable_worlds())


def test_the_explored_space_is_the_interesting_one() -> None:
    worlds = reachable_worlds()
    assert len(worlds) > 1000
    # The irreversible rule really bites somewhere: balances done, batch/serial settled.
    assert any(dict(zip(GUARDED, w[0], strict=True))[StepId.INITIAL_BALANCES] is D for w in worlds)
    # Issue 17: worlds where the balances were reopened after being done (stock moved, the
    # step open again) and where balances are in progress without stock having moved.
    balances = [
        (dict(zip(GUARDED, w[0], strict=True))[StepId.INITIAL_BALANCES], w[3]) for w in worlds
    ]
    assert (P, True) in balances and (P, False) in balances
    # Required steps are never skipped in any reachable world.
    for world in worlds:
        for step, state in zip(GUARDED, world[0], strict=True):
            assert not (state is S and step not in OPTIONAL)


@pytest.mark.parametrize("action", list(Action), ids=str)
@pytest.mark.parametrize("step", list(StepId), ids=str)
def test_every_step_action_in_every_reachable_state(step: StepId, action: Action) -> None:
    mismatches = []
    for world, states in cases(step):
        _, valuation, verdict, moved = world
        situation = Situation.of_states(
            states, valuation=valuation, numbering=GATES[verdict], balances_done_before=moved
        )
        want = expected(states, valuation, verdict, step, action, moved)
        got = {r.code for r in check(situation, step, action)}
        if isinstance(want, StepState):
            ok = not got and decide(situation, step, action) is want
        elif want == {"state"}:
            ok = len(got) == 1 and got <= STATE_CODES
        else:
            ok = got == want
        if not ok:
            mismatches.append((states[step], states, valuation, verdict, want, got))
    assert mismatches[:5] == []


@pytest.mark.parametrize("action", [Action.DONE, Action.SKIP, Action.REOPEN], ids=str)
@pytest.mark.parametrize("language", list(Language), ids=str)
def test_every_refusal_names_the_step_and_its_state(action: Action, language: Language) -> None:
    for step in StepId:
        for world, states in itertools.islice(cases(step), 0, None, 29):
            _, valuation, verdict, moved = world
            situation = Situation.of_states(
                states, valuation=valuation, numbering=GATES[verdict], balances_done_before=moved
            )
            if not check(situation, step, action):
                continue
            with pytest.raises(StepRefused) as refused:
                decide(situation, step, action)
            params = refused.value.params
            assert (params["step"], params["state"]) == (step, states[step])
            words = render_error(refused.value, language)
            assert step_name(step, language) in words
            assert state_word(states[step], language) in words


@pytest.mark.parametrize("method", list(Valuation), ids=str)
def test_valuation_changes_only_before_initial_balances_start(method: Valuation) -> None:
    for world in reachable_worlds():
        states = as_states(world)
        situation = Situation.of_states(states, valuation=world[1], balances_done_before=world[3])
        if valuation_allowed(world[1], method, world[3]):
            assert decide_valuation(situation, method) is method
        else:
            with pytest.raises(TransitionRefused) as refused:
                decide_valuation(situation, method)
            assert refused.value.code == "onb.valuation.locked"
            assert refused.value.params == {"dep": StepId.INITIAL_BALANCES, "current": world[1]}
