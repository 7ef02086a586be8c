"""The step catalogue: the contract's ids in the guide's order, texts in both languages."""

from __future__ import annotations

import doctest
from datetime import UTC, datetime, timedelta, timezone

from core.language import Language, language_of
from core.onboarding import machine, numbering_gate, parsing
from core.onboarding.steps import CATALOGUE, STEPS, StepId
from core.onboarding.texts import MESSAGES, format_when

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


def test_every_step_has_a_title_and_guide_text_in_both_languages() -> None:
    for step in STEPS:
        for language in Language:
            assert step.title_in(language).strip()
            assert len(step.guide_in(language)) > 60
        assert step.title.en != step.title.fi
        assert step.guide.en != step.guide.fi


def test_dependencies_point_backwards() -> None:
    order = {step.id: step.position for step in STEPS}
    for step in STEPS:
        assert all(order[dep] < step.position for dep in step.depends_on)
    assert set(CATALOGUE[StepId.INITIAL_BALANCES].depends_on) == {
        StepId.SETTINGS,
        StepId.PRODUCTS,
        StepId.BATCH_SERIAL,
    }


def test_optional_steps_say_what_skipping_means() -> None:
    for step in STEPS:
        assert (step.skip_means is not None) is step.optional


def test_every_core_text_has_both_languages() -> None:
    for key, texts in MESSAGES.items():
        assert texts["en"].strip() and texts["fi"].strip(), key
        assert key.startswith("onb.")


def test_language_codes_and_locales() -> None:
    assert language_of("fi") is Language.FI
    assert language_of("fi-FI") is Language.FI
    assert language_of("FI_fi") is Language.FI
    assert language_of("en-GB") is Language.EN
    assert language_of(None) is Language.EN
    assert language_of("sv") is Language.EN


def test_times_are_written_for_each_language() -> None:
    moment = datetime(2026, 3, 4, 14, 7, tzinfo=timezone(timedelta(hours=2)))
    assert format_when(moment, "en") == "4 Mar 2026 12:07 UTC"
    assert format_when(moment, "fi") == "4.3.2026 klo 12.07 UTC"
    assert moment.astimezone(UTC).hour == 12


def test_the_docstring_examples_hold() -> None:
    for module in (machine, numbering_gate, parsing):
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert result.failed == 0, module.__name__
