"""The onboarding's refusals and steps in words: core raises codes with data, these are the
sentences a person reads, in English and Finnish, live and read back from the history."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.errors import DomainError, PermissionDenied, TransitionRefused
from core.guarded import as_json
from core.language import Language
from core.onboarding.machine import Action, Situation, StepRecord, StepRefused, decide
from core.onboarding.machine import decide_valuation as decide_method
from core.onboarding.numbering_gate import NumberingGate
from core.onboarding.service import AlreadyStarted
from core.onboarding.steps import STEPS, StepId, StepState, Valuation
from core.tenancy import Actor, Capability, require
from handlers.blocks.onboarding_words import by_text, state_word, step_name
from handlers.blocks.refusals import refusal_text
from handlers.errors import render_error
from handlers.messages import CATALOG, LANGUAGES, t
from handlers.messages.steps import ALIASES

D = StepState.DONE
AT = datetime(2026, 1, 2, 9, 5, tzinfo=UTC)
BALANCES_DONE = Situation.of_states(
    {StepId.SETTINGS: D, StepId.PRODUCTS: D, StepId.BATCH_SERIAL: D, StepId.INITIAL_BALANCES: D},
    valuation=Valuation.FIFO,
)


def refused(situation: Situation, step: StepId, action: Action) -> StepRefused:
    with pytest.raises(StepRefused) as caught:
        decide(situation, step, action)
    return caught.value


def test_initial_balances_refusal_lists_every_missing_prerequisite_and_its_command() -> None:
    words = render_error(refused(Situation.initial(), StepId.INITIAL_BALANCES, Action.DONE), "en")
    headline, *reasons = words.split("\n• ")
    assert headline == t(
        "onb.refused.done", "en", step=step_name(StepId.INITIAL_BALANCES, "en"), state="to do"
    )
    assert len(reasons) == 4
    assert "`/rackbeat set valuation fifo`" in words
    assert "`/rackbeat skip products`" in words


def test_the_batch_serial_lock_explains_the_irreversible_rule_in_both_languages() -> None:
    refusal = refused(BALANCES_DONE, StepId.BATCH_SERIAL, Action.REOPEN)
    english = render_error(refusal, "en")
    assert "inventory transactions" in english  # why
    assert "still allows" in english  # what Rackbeat allows instead
    assert "Rackbeat sallii yhä" in render_error(refusal, "fi")


def test_numbering_refusals_say_what_to_run_and_what_the_check_found() -> None:
    unknown = refused(Situation.initial(), StepId.NUMBERING, Action.DONE)
    assert "`/rackbeat numbering check`" in render_error(unknown, "en")
    gate = NumberingGate.from_levels({"order": "ok", "invoice": "collision"})
    collision = refused(Situation.of_states({}, numbering=gate), StepId.NUMBERING, Action.DONE)
    assert "(orders: OK, invoices: overlap)" in render_error(collision, "en")
    assert "(tilaukset: kunnossa, laskut: päällekkäisyys)" in render_error(collision, "fi")


@pytest.mark.parametrize(
    ("language", "when"), [("en", "2 Jan 2026 09:05 UTC"), ("fi", "2.1.2026 klo 9.05 UTC")]
)
def test_done_twice_says_who_did_it_first_and_when(language: str, when: str) -> None:
    situation = Situation(steps={StepId.LOGIN: StepRecord(D, "U_ANN", AT)})
    words = render_error(refused(situation, StepId.LOGIN, Action.DONE), language)
    headline = t(
        "onb.refused.done",
        language,
        step=step_name(StepId.LOGIN, language),
        state=state_word(D, language),
    )
    by = t("onb.by", language, who="<@U_ANN>", when=when)
    assert words == f"{headline} {t('onb.rule.already_done', language, by=by)}"
    assert by_text("U_ANN", AT, language) == by


def test_a_step_nobody_settled_says_so_with_a_question_mark() -> None:
    assert by_text(None, None, "en") == "?, ?"


def test_more_open_orders_than_shown_are_counted() -> None:
    orders = tuple(str(n) for n in range(1001, 1013))
    situation = Situation(open_orders=orders)
    words = render_error(refused(situation, StepId.PREVIOUS_ORDERS, Action.DONE), "en")
    assert "12 open sales orders: 1001, 1002" in words
    assert "1010, … (+2)" in words and "1011" not in words


def test_the_other_onboarding_refusals_in_words() -> None:
    with pytest.raises(TransitionRefused) as locked:
        decide_method(BALANCES_DONE, Valuation.AVERAGE)
    assert "*Initial balances* have been marked done" in render_error(locked.value, "en")
    assert "It stays FIFO." in render_error(locked.value, "en")
    assert "Se pysyy: FIFO." in render_error(locked.value, "fi")
    with pytest.raises(PermissionDenied) as denied:
        require(Actor("U_EVE"), Capability.MANAGE_MEMBERS, owner_id="U_ANN", member_ids=())
    assert render_error(denied.value, "en") == t("onb.permission.members", "en", owner="<@U_ANN>")
    exists = AlreadyStarted(
        "onb.start.exists",
        company="Acme Oy",
        state="active",
        done=1,
        total=10,
        owner="U_ANN",
        when=AT,
    )
    assert render_error(exists, "fi") == t(
        "onb.start.exists",
        "fi",
        company="Acme Oy",
        state="käynnissä",
        done=1,
        total=10,
        owner="<@U_ANN>",
        when="2.1.2026 klo 9.05 UTC",
    )
    stranger = DomainError("onb.members.not_member", user="U_X", members=("U_ANN", "U_BOB"))
    assert render_error(stranger, "en") == "<@U_X> is not a member. Members: <@U_ANN>, <@U_BOB>."


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_refusal_read_back_from_the_history_says_what_it_said_live(language: Language) -> None:
    situation = Situation(
        steps={StepId.INITIAL_BALANCES: StepRecord(D, "U_BOB", AT)},
        open_orders=("1001",),
        numbering=NumberingGate.from_levels({"order": "warning", "invoice": "ok"}),
    )
    refusals: list[DomainError] = [
        refused(situation, step, action)
        for step, action in (
            (StepId.BATCH_SERIAL, Action.DONE),
            (StepId.PREVIOUS_ORDERS, Action.DONE),
            (StepId.NUMBERING, Action.DONE),
            (StepId.INITIAL_BALANCES, Action.DONE),
        )
    ]
    for refusal in refusals:
        stored = {name: as_json(value) for name, value in refusal.params.items()}
        assert refusal_text(refusal.code, stored, language) == render_error(refusal, language)


def test_a_code_the_catalogue_does_not_know_is_shown_as_raised() -> None:
    # Operators' English raised as the code itself (configuration, snapshot files).
    assert refusal_text("SECRET_KEY is not set.", {}, "fi") == "SECRET_KEY is not set."


# --- the steps' own words -----------------------------------------------------------------


def test_every_step_has_a_title_and_a_guide_in_both_languages() -> None:
    for entry in STEPS:
        for part in ("title", "guide"):
            texts = CATALOG[f"step.{entry.id.value}.{part}"]
            assert texts["en"].strip() and texts["fi"].strip()
            assert texts["en"] != texts["fi"]
        assert len(t(f"step.{entry.id.value}.guide", "en")) > 60


def test_exactly_the_optional_steps_say_what_skipping_means() -> None:
    for entry in STEPS:
        assert (f"step.{entry.id.value}.skip_means" in CATALOG) is entry.optional


def test_the_step_words_name_only_steps_that_exist() -> None:
    step_keys = {key.split(".")[1] for key in CATALOG if key.startswith("step.")}
    assert step_keys == {step.value for step in StepId}
    assert set(ALIASES) == set(StepId)
