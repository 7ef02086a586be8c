"""The onboarding state machine, declared as data and checked when the module loads.

Four actions move a step between four states (``TRANSITIONS``); named guards (``GUARDS``)
attached by ``RULES`` refuse an action the guide forbids. Deciding is a pure function of a
``Situation`` (a snapshot of every step's state, the valuation method, the numbering verdict
and whether stock has ever moved): it returns the new state or raises ``StepRefused`` whose
code and data name the step, its state and every rule that refused (the handlers say what to
do instead, in the reader's language)::

    >>> situation = Situation.initial()
    >>> decide(situation, StepId.LOGIN, Action.DONE)
    <StepState.DONE: 'done'>
    >>> decide(situation, StepId.SETTINGS, Action.SKIP)
    Traceback (most recent call last):
    ...
    core.onboarding.machine.StepRefused: onb.refused.skip

The onboarding itself is ``live`` when every step is settled (required steps done, optional
ones done or skipped) and ``active`` otherwise, so reopening any step makes it active again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType

from core.errors import TransitionRefused
from core.onboarding.numbering_gate import UNKNOWN, NumberingGate, Verdict
from core.onboarding.steps import (
    CATALOGUE,
    OPEN,
    SETTLED,
    STEPS,
    StepId,
    StepState,
    Valuation,
)


class Action(StrEnum):
    BEGIN = "begin"  # start progress: todo → in_progress
    DONE = "done"
    SKIP = "skip"
    REOPEN = "reopen"


class OnboardingState(StrEnum):
    ACTIVE = "active"
    LIVE = "live"


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: frozenset[StepState]
    target: StepState


TRANSITIONS: Mapping[Action, Transition] = MappingProxyType(
    {
        Action.BEGIN: Transition(Action.BEGIN, frozenset({StepState.TODO}), StepState.IN_PROGRESS),
        Action.DONE: Transition(Action.DONE, OPEN, StepState.DONE),
        Action.SKIP: Transition(Action.SKIP, OPEN, StepState.SKIPPED),
        # A reopened step was worked on before: it goes back to "in progress", not "to do".
        # The locks that protect Rackbeat do not read this state but ``stock_moved``, which
        # no reopening can take back.
        Action.REOPEN: Transition(Action.REOPEN, SETTLED, StepState.IN_PROGRESS),
    }
)


# --- the snapshot a decision is made on --------------------------------------------------


@dataclass(frozen=True)
class StepRecord:
    state: StepState = StepState.TODO
    changed_by: str | None = None
    changed_at: datetime | None = None


@dataclass(frozen=True)
class Situation:
    """Everything the rules look at; built by the service from the database.

    ``balances_done_before`` is history, not state: initial balances were marked done at
    least once (the audit trail remembers it after a reopen, which does not undo the
    inventory transactions already in Rackbeat).
    """

    steps: Mapping[StepId, StepRecord] = field(default_factory=dict)
    valuation: Valuation | None = None
    numbering: NumberingGate = UNKNOWN
    balances_done_before: bool = False

    @property
    def stock_moved(self) -> bool:
        """Inventory transactions exist: initial balances are done, or were done once.

        Checking an inventory file only moves the step to "in progress": that moves no stock.
        """
        return self.balances_done_before or self.state(StepId.INITIAL_BALANCES) is StepState.DONE

    # Netvisor's sales orders still open (read by the account area; none without Netvisor).
    open_orders: tuple[str, ...] = ()
    # The person gave a reason with the action (``done previous_orders REASON``).
    reason_given: bool = False

    @classmethod
    def initial(cls) -> Situation:
        return cls(steps={step_id: StepRecord() for step_id in StepId})

    @classmethod
    def of_states(
        cls,
        states: Mapping[StepId, StepState],
        *,
        valuation: Valuation | None = None,
        numbering: NumberingGate = UNKNOWN,
        balances_done_before: bool = False,
    ) -> Situation:
        records = {step_id: StepRecord(states.get(step_id, StepState.TODO)) for step_id in StepId}
        return cls(
            steps=records,
            valuation=valuation,
            numbering=numbering,
            balances_done_before=balances_done_before,
        )

    def record(self, step_id: StepId) -> StepRecord:
        return self.steps.get(step_id, StepRecord())

    def state(self, step_id: StepId) -> StepState:
        return self.record(step_id).state

    def with_state(self, step_id: StepId, state: StepState) -> Situation:
        steps = dict(self.steps)
        steps[step_id] = replace(self.record(step_id), state=state)
        return replace(self, steps=steps)


# --- refusals ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Refusal:
    """Why one action is refused: ``code`` names the rule (its words are the catalogue's
    ``onb.rule.<code>``); ``about`` the step it looks at."""

    code: str
    step: StepId
    about: StepId | None = None

    def facts(self, situation: Situation) -> dict[str, object]:
        """What the rule's words need, as data: the step and its state, who settled the step
        looked at and when, the numbering levels or the open orders where the rule is about
        them.

        >>> Refusal("not_optional", StepId.SETTINGS).facts(Situation.initial())["state"]
        <StepState.TODO: 'todo'>
        """
        record = situation.record(self.step)
        facts: dict[str, object] = {"rule": self.code, "step": self.step, "state": record.state}
        looked_at = record
        if self.about is not None:
            looked_at = situation.record(self.about)
            facts.update(dep=self.about, dep_state=looked_at.state)
        facts.update(by=looked_at.changed_by, at=looked_at.changed_at)
        if self.code == "numbering_not_ok":
            facts["levels"] = situation.numbering.levels
        if self.code == "orders_open":
            facts["count"] = len(situation.open_orders)
            facts["orders"] = situation.open_orders[:SHOWN_ORDERS]
        return facts


class StepRefused(TransitionRefused):
    """A step action the rules refuse; ``refusals`` says every reason (one or more).

    Its code is ``onb.refused.<action>``; its params are the step, its state and ``reasons``,
    the facts of every rule that refused (``Refusal.facts``).
    """

    def __init__(
        self, step: StepId, action: Action, situation: Situation, refusals: tuple[Refusal, ...]
    ) -> None:
        super().__init__(
            f"onb.refused.{action.value}",
            step=step,
            state=situation.state(step),
            reasons=tuple(refusal.facts(situation) for refusal in refusals),
        )
        self.step = step
        self.action = action
        self.refusals = refusals

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(refusal.code for refusal in self.refusals)


# --- guards ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Guard:
    """A named condition; ``reads`` lists the steps it looks at (checked against the catalogue)."""

    name: str
    check: Callable[[Situation, StepId], Iterable[Refusal]]
    reads: tuple[StepId, ...] = ()


def _step_is_optional(situation: Situation, step_id: StepId) -> Iterable[Refusal]:
    del situation
    if not CATALOGUE[step_id].optional:
        yield Refusal("not_optional", step_id)


def _initial_balances_prerequisites(situation: Situation, step_id: StepId) -> Iterable[Refusal]:
    if situation.state(StepId.SETTINGS) is not StepState.DONE:
        yield Refusal("settings_not_done", step_id, StepId.SETTINGS)
    if situation.valuation is None:
        yield Refusal("valuation_missing", step_id)
    if situation.state(StepId.PRODUCTS) not in SETTLED:
        yield Refusal("products_open", step_id, StepId.PRODUCTS)
    if situation.state(StepId.BATCH_SERIAL) not in SETTLED:
        yield Refusal("batch_serial_open", step_id, StepId.BATCH_SERIAL)


def _stock_never_moved(situation: Situation, step_id: StepId) -> Iterable[Refusal]:
    # History, not the balances' current state: reopening them takes no stock out of Rackbeat.
    if situation.stock_moved:
        yield Refusal("batch_serial_locked", step_id, StepId.INITIAL_BALANCES)


def _numbering_ok(situation: Situation, step_id: StepId) -> Iterable[Refusal]:
    if situation.numbering.verdict is Verdict.UNKNOWN:
        yield Refusal("numbering_unknown", step_id)
    elif situation.numbering.verdict is Verdict.NOT_OK:
        yield Refusal("numbering_not_ok", step_id)


def _previous_orders_invoiced(situation: Situation, step_id: StepId) -> Iterable[Refusal]:
    if situation.open_orders and not situation.reason_given:
        yield Refusal("orders_open", step_id)


SHOWN_ORDERS = 10
"""Open orders a refusal names; the rest are counted."""

GUARDS: Mapping[str, Guard] = MappingProxyType(
    {
        guard.name: guard
        for guard in (
            Guard("step_is_optional", _step_is_optional),
            Guard(
                "initial_balances_prerequisites",
                _initial_balances_prerequisites,
                reads=(StepId.SETTINGS, StepId.PRODUCTS, StepId.BATCH_SERIAL),
            ),
            Guard(
                "stock_never_moved",
                _stock_never_moved,
                reads=(StepId.INITIAL_BALANCES,),
            ),
            Guard("numbering_ok", _numbering_ok),
            Guard("previous_orders_invoiced", _previous_orders_invoiced),
        )
    }
)


@dataclass(frozen=True)
class Rule:
    """Guard ``guard`` applies to ``action`` on ``step`` (``None``: on every step)."""

    action: Action
    step: StepId | None
    guard: str


RULES: tuple[Rule, ...] = (
    # Only optional steps can be skipped.
    Rule(Action.SKIP, None, "step_is_optional"),
    # Opening balances need the settings (with the valuation method), the products and the
    # batch/serial decision settled: tracking can't be switched on once stock has moved.
    Rule(Action.DONE, StepId.INITIAL_BALANCES, "initial_balances_prerequisites"),
    # ... and once balances have been entered, the batch/serial decision is final (the
    # guide's irreversible rule), even after the balances step is reopened.
    Rule(Action.DONE, StepId.BATCH_SERIAL, "stock_never_moved"),
    Rule(Action.REOPEN, StepId.BATCH_SERIAL, "stock_never_moved"),
    # Numbers of the two systems must not overlap before numbering counts as done.
    Rule(Action.DONE, StepId.NUMBERING, "numbering_ok"),
    # Orders still open in Netvisor are invoiced there before go-live, or a reason is given
    # (it goes into the audit trail with the step).
    Rule(Action.DONE, StepId.PREVIOUS_ORDERS, "previous_orders_invoiced"),
)


def guards_for(action: Action, step_id: StepId) -> tuple[Guard, ...]:
    return tuple(
        GUARDS[rule.guard]
        for rule in RULES
        if rule.action is action and rule.step in (None, step_id)
    )


# --- deciding ----------------------------------------------------------------------------


def _state_refusal(action: Action, record: StepRecord, step_id: StepId) -> Refusal:
    if action is Action.REOPEN:
        return Refusal("nothing_to_reopen", step_id)
    if action is Action.BEGIN:
        return Refusal("already_started", step_id)
    target = TRANSITIONS[action].target
    if record.state is target:
        return Refusal(f"already_{target.value}", step_id)
    return Refusal("settled_reopen_first", step_id)


def check(situation: Situation, step_id: StepId, action: Action) -> tuple[Refusal, ...]:
    """Every reason ``action`` on ``step_id`` is refused now; empty when it is allowed."""
    record = situation.record(step_id)
    if record.state not in TRANSITIONS[action].sources:
        return (_state_refusal(action, record, step_id),)
    return tuple(
        refusal
        for guard in guards_for(action, step_id)
        for refusal in guard.check(situation, step_id)
    )


def decide(situation: Situation, step_id: StepId, action: Action) -> StepState:
    """The state ``step_id`` moves to under ``action``, or ``StepRefused`` with every reason."""
    refusals = check(situation, step_id, action)
    if refusals:
        raise StepRefused(step_id, action, situation, refusals)
    return TRANSITIONS[action].target


def allowed(situation: Situation, step_id: StepId, action: Action) -> bool:
    return not check(situation, step_id, action)


def is_live(situation: Situation) -> bool:
    """Every step settled: required steps done (they can't be skipped), optional ones done or
    skipped."""
    return all(situation.state(step.id) in SETTLED for step in STEPS)


def onboarding_state(situation: Situation) -> OnboardingState:
    return OnboardingState.LIVE if is_live(situation) else OnboardingState.ACTIVE


def progress(situation: Situation) -> tuple[int, int]:
    """(settled steps, all steps), for "4/10"."""
    return sum(situation.state(step.id) in SETTLED for step in STEPS), len(STEPS)


def next_step(situation: Situation) -> StepId | None:
    """The first step, in the guide's order, that is not settled and whose dependencies are.

    The guide's order respects the dependencies, so this is the first open step; ``None``
    when everything is settled.
    """
    for entry in STEPS:
        if situation.state(entry.id) in SETTLED:
            continue
        if all(situation.state(dep) in SETTLED for dep in entry.depends_on):
            return entry.id
    return None


def needs_attention(situation: Situation) -> StepId | None:
    """A settled step that the world has since contradicted: numbering marked done while the
    latest check finds a problem (a collision after go-live). Its history stays as it is; the
    checklist, ``next`` and App Home point at it until the numbers are OK again."""
    if (
        situation.state(StepId.NUMBERING) is StepState.DONE
        and situation.numbering.verdict is Verdict.NOT_OK
    ):
        return StepId.NUMBERING
    return None


# --- the valuation method ----------------------------------------------------------------


def decide_valuation(situation: Situation, method: Valuation) -> Valuation:
    """``method`` if the valuation may still change; refused once stock has moved.

    Rackbeat fixes the method at the first inventory transaction: initial balances marked
    done (ever). Checking an inventory file is no transaction, so it locks nothing. Setting
    the method already recorded changes nothing, and recording it for the first time changes
    nothing in Rackbeat either (the method was chosen when Rackbeat was opened): both are
    always allowed.
    """
    if situation.valuation is None or method is situation.valuation or not situation.stock_moved:
        return method
    raise TransitionRefused(
        "onb.valuation.locked", dep=StepId.INITIAL_BALANCES, current=situation.valuation
    )


# --- the checks made when the module loads -------------------------------------------------


def _reachable_states() -> set[StepState]:
    reached = {StepState.TODO}
    frontier = [StepState.TODO]
    while frontier:
        state = frontier.pop()
        for transition in TRANSITIONS.values():
            if state in transition.sources and transition.target not in reached:
                reached.add(transition.target)
                frontier.append(transition.target)
    return reached


def _dependants(step_id: StepId) -> set[StepId]:
    return {entry.id for entry in STEPS if step_id in entry.depends_on}


def _validate() -> None:
    """Refuse at import a machine that contradicts itself."""
    if set(TRANSITIONS) != set(Action):
        raise AssertionError("every action needs exactly one transition")
    for action, transition in TRANSITIONS.items():
        if transition.action is not action or not transition.sources:
            raise AssertionError(f"transition of {action} is malformed")
        if transition.target in transition.sources:
            raise AssertionError(f"{action} must change the state")
    if _reachable_states() != set(StepState):
        raise AssertionError("every step state must be reachable from 'todo'")
    for state in StepState:
        if not any(state in t.sources for t in TRANSITIONS.values()):
            raise AssertionError(f"state {state} has no way out")
    used = {rule.guard for rule in RULES}
    if used != set(GUARDS):
        raise AssertionError(f"unknown or unused guards: {used ^ set(GUARDS)}")
    for rule in RULES:
        if rule.step is None:
            continue
        neighbours = set(CATALOGUE[rule.step].depends_on) | _dependants(rule.step)
        if not set(GUARDS[rule.guard].reads) <= neighbours:
            raise AssertionError(f"{rule.guard} reads steps {rule.step} is not related to")
    _validate_guide_walk()


def _validate_guide_walk() -> None:
    """Working through the guide in order must reach "live", with and without the skips."""
    numbering_ok = NumberingGate.from_levels({"order": "ok", "invoice": "ok"})
    for skip_optional in (False, True):
        situation = Situation.of_states({}, valuation=Valuation.FIFO, numbering=numbering_ok)
        for entry in STEPS:
            action = Action.SKIP if skip_optional and entry.optional else Action.DONE
            if next_step(situation) is not entry.id:
                raise AssertionError(f"next step should be {entry.id}")
            try:
                target = decide(situation, entry.id, action)
            except StepRefused as refused:
                raise AssertionError(f"the guide's order is blocked: {refused.codes}") from None
            situation = situation.with_state(entry.id, target)
        if not is_live(situation) or next_step(situation) is not None:
            raise AssertionError("the guide's order must end live")


_validate()
