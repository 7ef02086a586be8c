"""The step catalogue: the contract's ids in the guide's order, and their dependencies (their
words are tested in ``tests/handlers/test_step_words.py``)."""

from __future__ import annotations

import doctest

from core import guarded
from core.language import Language, language_of
from core.onboarding import machine, numbering_gate
from core.onboarding.steps import CATALOGUE, OPTIONAL_STEPS, STEPS, StepId

CONTRACT_IDS = [
    "login",
    "settings",
    "customers",
    "products",
    "suppliers",
    "batch_serial",
    "initial_balances",
    "access_rights",
    "previous_orders",
    "numbering",
]


def test_step_ids_are_the_contract_s_in_the_guide_s_order() -> None:
    assert [step.value for step in StepId] == CONTRACT_IDS
    assert [step.id.value for step in STEPS] == CONTRACT_IDS
    assert [step.position for step in STEPS] == list(range(1, 11))


def test_dependencies_point_backwards() -> None:
    order = {step.id: step.position for step in STEPS}
    for step in STEPS:
        assert all(order[dep] < step.position for dep in step.depends_on)
    assert set(CATALOGUE[StepId.INITIAL_BALANCES].depends_on) == {
        StepId.SETTINGS,
        StepId.PRODUCTS,
        StepId.BATCH_SERIAL,
    }


def test_the_optional_steps_are_the_guide_s() -> None:
    assert (
        {step.id for step in STEPS if step.optional}
        == OPTIONAL_STEPS
        == {
            StepId.CUSTOMERS,
            StepId.PRODUCTS,
            StepId.SUPPLIERS,
            StepId.BATCH_SERIAL,
            StepId.PREVIOUS_ORDERS,
        }
    )


def test_language_codes_and_locales() -> None:
    assert language_of("fi") is Language.FI
    assert language_of("fi-FI") is Language.FI
    assert language_of("FI_fi") is Language.FI
    assert language_of("en-GB") is Language.EN
    assert language_of(None) is Language.EN
    assert language_of("sv") is Language.EN


def test_the_docstring_examples_hold() -> None:
    for module in (machine, numbering_gate, guarded):
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert result.failed == 0, module.__name__
