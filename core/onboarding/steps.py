"""The onboarding steps: ids, states and the catalogue built from the implementation guide.

The ids are part of the public contract (CONTRACT.md): users type them, the database stores
them and Slack action ids carry them, so they never change. The catalogue's order is the
guide's order; ``depends_on`` says which earlier steps a step builds on (``next`` uses it, and
the state machine's guards read the same steps).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class StepId(StrEnum):
    """The ten steps, in the guide's order."""

    LOGIN = "login"
    SETTINGS = "settings"
    CUSTOMERS = "customers"
    PRODUCTS = "products"
    SUPPLIERS = "suppliers"
    BATCH_SERIAL = "batch_serial"
    INITIAL_BALANCES = "initial_balances"
    ACCESS_RIGHTS = "access_rights"
    PREVIOUS_ORDERS = "previous_orders"
    NUMBERING = "numbering"


class StepState(StrEnum):
    TODO = "todo"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    SKIPPED = "skipped"


SETTLED: frozenset[StepState] = frozenset({StepState.DONE, StepState.SKIPPED})
"""A settled step needs nothing more: the onboarding is live when every step is settled."""

OPEN: frozenset[StepState] = frozenset({StepState.TODO, StepState.IN_PROGRESS})


class Valuation(StrEnum):
    """The inventory valuation method chosen when Rackbeat is opened."""

    FIFO = "fifo"
    AVERAGE = "average"


@dataclass(frozen=True)
class Step:
    """One step of the guide: where it stands, what it builds on, whether it may be skipped.

    Its words (title, guide text, what skipping it means, the names people type for it) live
    in ``handlers/messages/steps.py``.
    """

    id: StepId
    position: int
    depends_on: tuple[StepId, ...] = ()
    optional: bool = False


_CATALOGUE: tuple[Step, ...] = (
    Step(StepId.LOGIN, 1),
    Step(StepId.SETTINGS, 2, depends_on=(StepId.LOGIN,)),
    Step(StepId.CUSTOMERS, 3, depends_on=(StepId.SETTINGS,), optional=True),
    Step(StepId.PRODUCTS, 4, depends_on=(StepId.SETTINGS,), optional=True),
    Step(StepId.SUPPLIERS, 5, depends_on=(StepId.SETTINGS,), optional=True),
    Step(StepId.BATCH_SERIAL, 6, depends_on=(StepId.SETTINGS, StepId.PRODUCTS), optional=True),
    Step(
        StepId.INITIAL_BALANCES,
        7,
        depends_on=(StepId.SETTINGS, StepId.PRODUCTS, StepId.BATCH_SERIAL),
    ),
    Step(StepId.ACCESS_RIGHTS, 8, depends_on=(StepId.LOGIN,)),
    Step(StepId.PREVIOUS_ORDERS, 9, depends_on=(StepId.LOGIN,), optional=True),
    Step(StepId.NUMBERING, 10, depends_on=(StepId.SETTINGS,)),
)

CATALOGUE: Mapping[StepId, Step] = {step.id: step for step in _CATALOGUE}
STEPS: tuple[Step, ...] = _CATALOGUE
OPTIONAL_STEPS: frozenset[StepId] = frozenset(s.id for s in _CATALOGUE if s.optional)
REQUIRED_STEPS: frozenset[StepId] = frozenset(s.id for s in _CATALOGUE if not s.optional)


def step(step_id: StepId) -> Step:
    """The catalogue entry of ``step_id``."""
    return CATALOGUE[step_id]


def _validate_catalogue() -> None:
    """Refuse at import a catalogue that contradicts itself (a programming error)."""
    ids = [s.id for s in _CATALOGUE]
    if ids != list(StepId):
        raise AssertionError("the catalogue must list every StepId once, in the guide's order")
    if [s.position for s in _CATALOGUE] != list(range(1, len(_CATALOGUE) + 1)):
        raise AssertionError("step positions must run 1..n in the guide's order")
    seen: set[StepId] = set()
    for entry in _CATALOGUE:
        # Dependencies point backwards in the guide's order, so the graph has no cycles
        # and the guide's order is always a valid order to work in.
        late = [dep for dep in entry.depends_on if dep not in seen]
        if late:
            raise AssertionError(f"{entry.id} depends on later or unknown steps: {late}")
        seen.add(entry.id)


_validate_catalogue()
