"""Forgiving argument parsing: ids, titles, Finnish words, case, spaces; wrong → valid list."""

from __future__ import annotations

import pytest

from core.errors import InvalidArgument
from core.language import Language
from core.onboarding.steps import STEPS, StepId, Valuation
from handlers.blocks.onboarding_words import step_name
from handlers.errors import render_error
from handlers.messages import LANGUAGES
from handlers.messages.steps import ALIASES
from handlers.onboarding_parsing import (
    MembersArgs,
    MembersVerb,
    normalise,
    parse_language,
    parse_members,
    parse_page,
    parse_set,
    parse_step,
    parse_user,
    parse_valuation,
    split_step,
)


def words(refused: pytest.ExceptionInfo[InvalidArgument], language: str = "en") -> str:
    """What the person reads for a refusal."""
    return render_error(refused.value, language)


@pytest.mark.parametrize(
    ("typed", "step"),
    [
        ("login", StepId.LOGIN),
        ("LOGIN", StepId.LOGIN),
        ("  Settings ", StepId.SETTINGS),
        ("batch_serial", StepId.BATCH_SERIAL),
        ("batch-serial", StepId.BATCH_SERIAL),
        ("Batch  and serial numbers", StepId.BATCH_SERIAL),
        ("Batch tracking and serial numbers", StepId.BATCH_SERIAL),
        ("Eräseuranta ja sarjanumerot", StepId.BATCH_SERIAL),
        ("sarjanumerot", StepId.BATCH_SERIAL),
        ("initial_balances", StepId.INITIAL_BALANCES),
        ("Initial Balances", StepId.INITIAL_BALANCES),
        ("alkusaldot", StepId.INITIAL_BALANCES),
        ("init", StepId.INITIAL_BALANCES),
        ("käyttöoikeudet", StepId.ACCESS_RIGHTS),
        ("kayttooikeudet", StepId.ACCESS_RIGHTS),
        ("access rights", StepId.ACCESS_RIGHTS),
        ("asiakkaat", StepId.CUSTOMERS),
        ("tuotteet", StepId.PRODUCTS),
        ("toimittajat", StepId.SUPPLIERS),
        ("Netvisorin aiemmat tilaukset", StepId.PREVIOUS_ORDERS),
        ("previous orders", StepId.PREVIOUS_ORDERS),
        ("numerointi", StepId.NUMBERING),
        ("Order and invoice numbering", StepId.NUMBERING),
        ("6", StepId.BATCH_SERIAL),
        ("`products`", StepId.PRODUCTS),
    ],
)
def test_a_step_can_be_named_many_ways(typed: str, step: StepId) -> None:
    assert parse_step(typed) is step


def test_every_id_title_and_alias_parses_back_to_its_step() -> None:
    for entry in STEPS:
        titles = [step_name(entry.id, language) for language in LANGUAGES]
        for spelling in (entry.id.value, *titles, *ALIASES[entry.id]):
            assert parse_step(spelling) is entry.id, spelling
            assert parse_step(spelling.upper()) is entry.id, spelling


def test_the_rest_after_the_step_is_the_note() -> None:
    assert split_step("customers  imported 512 rows, fine") == (
        StepId.CUSTOMERS,
        "imported 512 rows, fine",
    )
    assert split_step("initial balances booked with Record all") == (
        StepId.INITIAL_BALANCES,
        "booked with Record all",
    )
    assert split_step("batch_serial") == (StepId.BATCH_SERIAL, "")


def test_an_unknown_step_lists_the_valid_ones() -> None:
    with pytest.raises(InvalidArgument) as refused:
        parse_step("warehouse")
    assert refused.value.params == {"value": "warehouse", "suggestion": None}
    for language in LANGUAGES:
        for step in StepId:
            assert f"`{step.value}` ({step_name(step, language)})" in words(refused, language)


def test_a_typo_gets_a_suggestion() -> None:
    with pytest.raises(InvalidArgument) as refused:
        parse_step("setings")
    assert refused.value.params["suggestion"] is StepId.SETTINGS
    assert "Did you mean `settings`?" in words(refused)


def test_an_ambiguous_prefix_is_refused() -> None:
    # "ord" starts both "orders" (previous orders) and "order and invoice numbering".
    with pytest.raises(InvalidArgument):
        parse_step("ord")


def test_a_missing_step_asks_which_in_finnish() -> None:
    with pytest.raises(InvalidArgument) as refused:
        split_step("   ")
    assert words(refused, Language.FI).startswith("Mikä vaihe? Vaiheet: `login`")


def test_a_step_followed_by_junk_is_not_a_step_by_itself() -> None:
    with pytest.raises(InvalidArgument):
        parse_step("login please")


@pytest.mark.parametrize(
    ("typed", "method"),
    [
        ("fifo", Valuation.FIFO),
        ("FIFO", Valuation.FIFO),
        ("average", Valuation.AVERAGE),
        ("Average cost", Valuation.AVERAGE),
        ("avg", Valuation.AVERAGE),
        ("keskihinta", Valuation.AVERAGE),
        ("painotettu keskihinta", Valuation.AVERAGE),
    ],
)
def test_valuation_methods(typed: str, method: Valuation) -> None:
    assert parse_valuation(typed) is method


def test_set_takes_valuation_in_both_languages() -> None:
    assert parse_set("valuation fifo") is Valuation.FIFO
    assert parse_set("Valuation   AVERAGE") is Valuation.AVERAGE
    assert parse_set("arvostus keskihinta") is Valuation.AVERAGE
    with pytest.raises(InvalidArgument) as refused:
        parse_set("valuation lifo")
    assert "`/rackbeat set valuation fifo`" in words(refused)
    with pytest.raises(InvalidArgument) as refused:
        parse_set("currency eur")
    assert "`valuation`" in words(refused)


@pytest.mark.parametrize(
    ("typed", "language"),
    [("fi", Language.FI), ("Suomi", Language.FI), ("en", Language.EN), ("English", Language.EN)],
)
def test_languages(typed: str, language: Language) -> None:
    assert parse_language(typed) is language


def test_an_unknown_language_lists_the_valid_ones() -> None:
    with pytest.raises(InvalidArgument) as refused:
        parse_language("sv")
    assert "`/rackbeat language en`" in words(refused)
    assert "`/rackbeat language fi`" in words(refused)


def test_user_mentions() -> None:
    assert parse_user("<@U123ABC>") == "U123ABC"
    assert parse_user("<@U123ABC|ann>") == "U123ABC"
    assert parse_user("U123ABC") == "U123ABC"
    assert parse_user("@W0ABC12") == "W0ABC12"
    with pytest.raises(InvalidArgument) as refused:
        parse_user("@ann")
    assert "not a user mention" in words(refused)


def test_members_arguments() -> None:
    assert parse_members("") == MembersArgs(MembersVerb.LIST)
    assert parse_members("add <@U1AA> <@U2BB|bob> <@U1AA>") == MembersArgs(
        MembersVerb.ADD, ("U1AA", "U2BB")
    )
    assert parse_members("lisää <@U1AA>").verb is MembersVerb.ADD
    assert parse_members("POISTA <@U1AA>") == MembersArgs(MembersVerb.REMOVE, ("U1AA",))
    for typed in ("add", "promote <@U1AA>"):
        with pytest.raises(InvalidArgument) as refused:
            parse_members(typed)
        assert "`/rackbeat members add @user`" in words(refused)


def test_history_pages() -> None:
    assert parse_page("") == 1
    assert parse_page("2") == 2
    assert parse_page("page 3") == 3
    assert parse_page("sivu 4") == 4
    with pytest.raises(InvalidArgument) as refused:
        parse_page("older")
    assert "`/rackbeat history 2`" in words(refused)
    with pytest.raises(InvalidArgument):
        parse_page("0")


def test_normalise_is_forgiving_about_accents_and_punctuation() -> None:
    assert normalise("  Käyttäjät  &  Oikeudet! ") == "kayttajat oikeudet"
    assert normalise("batch_serial") == normalise("Batch - Serial")
