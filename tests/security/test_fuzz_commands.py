"""Property-based fuzzing of the `/rackbeat` argument parsers: for any text a person (or a
paste) can put after the command, a parser answers or refuses with a `DomainError` whose words
the error hook can say in both languages; anything else would reach the user as the apology
for a bug."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import find, given, settings
from hypothesis import strategies as st

from core.errors import DomainError
from core.numbering.commands import parse_numbering, parse_source
from core.numbering.model import InputField, Strategy
from core.numbering.service import Setup
from core.upstream import Series
from handlers import onboarding_parsing as parsing
from handlers.blocks.numbering import THRESHOLD_FIELDS
from handlers.commands import CommandRouter, split_subcommand
from handlers.errors import render_error
from handlers.help import TOPIC_ALIASES, resolve_topic
from handlers.help import register as register_help
from handlers.messages.help_topics import TOPICS
from handlers.numbering import parse_setup

FUZZ = settings(max_examples=200, deadline=None)
# Per parser of a parametrized test: together they still try some eight hundred texts.
EACH = settings(FUZZ, max_examples=60)

WORDS = [
    "done",
    "skip",
    "reopen",
    "set",
    "valuation",
    "fifo",
    "average",
    "members",
    "add",
    "remove",
    "page",
    "sivu",
    "numbering",
    "set",
    "invoice",
    "order",
    "rackbeat-next",
    "netvisor-max",
    "netvisor-block-start",
    "strategy",
    "mixed",
    "rackbeat",
    "netvisor",
    "<@U0ANN|ann>",
    "<@W1>",
    "@U2",
    "1",
    "0",
    "-1",
    "٣",
    "፩",
    "²",
    "1" * 5000,
    "９",
    "alkusaldot",
    "batch",
    "and",
    "serial",
    "käyttöoikeudet",
]
# Text as Slack delivers it: known words, digits of every script, mentions, punctuation,
# whitespace of every kind, emoji, right-to-left marks.
commandish = st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=20)), max_size=8).flatmap(
    lambda words: st.sampled_from([" ", "  ", "\t", "\u00a0", "\n", "\u3000"]).map(
        lambda space: space.join(words)
    )
)
anything = st.one_of(commandish, st.text(max_size=300))

Parser = Callable[[str], Any]
PARSERS: dict[str, Parser] = {
    "split_step": parsing.split_step,
    "parse_step": parsing.parse_step,
    "parse_valuation": parsing.parse_valuation,
    "parse_set": parsing.parse_set,
    "parse_language": parsing.parse_language,
    "parse_user": parsing.parse_user,
    "parse_members": parsing.parse_members,
    "parse_page": parsing.parse_page,
    "parse_numbering": parse_numbering,
    "parse_source": parse_source,
}


@FUZZ
@given(anything)
def test_split_subcommand_never_fails(text: str) -> None:
    subcommand, args = split_subcommand(text)
    assert subcommand == subcommand.lower()
    assert " ".join(text.split()[1:]) == args


@pytest.mark.parametrize("name", list(PARSERS))
@EACH
@given(text=anything)
def test_parsers_answer_or_refuse_with_a_domain_error(name: str, text: str) -> None:
    try:
        PARSERS[name](text)
    except DomainError as refusal:
        assert render_error(refusal, "en")


@pytest.mark.parametrize("name", ["split_step", "parse_set", "parse_members", "parse_page"])
@EACH
@given(text=anything)
def test_onboarding_parsers_refuse_in_finnish_too(name: str, text: str) -> None:
    try:
        PARSERS[name](text)
    except DomainError as refusal:
        assert render_error(refusal, "fi") != refusal.code


@pytest.mark.parametrize("page", ["፩", "\U00010a40", "1" * 5000, "sivu 1" + "0" * 4400])
def test_a_page_that_is_not_a_number_python_can_read_is_refused(page: str) -> None:
    with pytest.raises(DomainError):
        parsing.parse_page(page)


@FUZZ
@given(anything)
def test_help_topics_resolve_to_a_topic_or_nothing(word: str) -> None:
    topic = resolve_topic(word)
    assert topic is None or topic in TOPICS


def test_every_topic_alias_names_a_topic() -> None:
    assert set(TOPIC_ALIASES.values()) <= set(TOPICS)


class Answers:
    def __init__(self) -> None:
        self.said: list[str] = []

    def __call__(self, text: str = "", **_: Any) -> None:
        self.said.append(text)


@FUZZ
@given(anything)
def test_help_and_unknown_subcommands_always_answer(text: str) -> None:
    router = CommandRouter()
    register_help(None, router, None)  # type: ignore[arg-type]  # help needs only the router
    answers = Answers()
    body = {"team_id": "T1", "channel_id": "C1", "user_id": "U1", "text": text}
    subcommand, _ = split_subcommand(text)
    if subcommand in router.subcommands - {"help", "apua", "ohje", "?"}:
        return
    router.listener(lambda *a, **k: None, body, None, answers)  # type: ignore[arg-type]
    assert len(answers.said) == 1
    assert answers.said[0]


# The setup modal's numbers: digits that `str.isdigit` accepts but `int` does not (or that
# mean nothing) are a field error, not a crash.
@pytest.mark.parametrize("typed", ["፩", "²", "1" * 5000])
def test_setup_modal_thresholds_that_are_not_numbers_are_field_errors(typed: str) -> None:
    values = {"threshold.warning_days": {"value": {"type": "plain_text_input", "value": typed}}}
    errors = parse_setup(values, "en")
    assert isinstance(errors, dict)
    assert "threshold.warning_days" in errors


def test_setup_modal_with_an_unknown_strategy_option_is_a_field_error() -> None:
    values = {
        "strategy.invoice": {
            "value": {"type": "static_select", "selected_option": {"value": "bogus"}}
        }
    }
    errors = parse_setup(values, "en")
    assert isinstance(errors, dict)
    assert "strategy.invoice" in errors


# What a person can type into one of the modal's number fields: numbers as people write them
# (spaces, leading zeros), digits of other scripts, signs, huge numbers, words, nothing.
typed_number = st.one_of(
    st.integers(0, 10**12).map(str),
    st.integers(0, 10**9).map(lambda n: f"{n:,}".replace(",", " ")),
    st.integers(0, 999).map(lambda n: f"  000{n} "),
    st.sampled_from(["", " ", "-1", "+5", "1e3", "1.5", "INV-12", "፩", "²", "٣", "1" * 5000]),
    st.text(max_size=12),
)
VALUE_BLOCKS = [f"value.{s.value}.{f.value}" for s in Series for f in InputField]
STRATEGY_BLOCKS = [f"strategy.{s.value}" for s in Series]
THRESHOLD_BLOCKS = [f"threshold.{name}" for name in THRESHOLD_FIELDS]


def text_input(text: str) -> dict[str, Any]:
    return {"value": {"type": "plain_text_input", "value": text}}


def selected(option: str | None) -> dict[str, Any]:
    choice = None if option is None else {"value": option}
    return {"value": {"type": "static_select", "selected_option": choice}}


@st.composite
def setup_states(draw: st.DrawFn) -> dict[str, dict[str, Any]]:
    """A setup modal's ``state.values`` keyed by the block ids the parser reads. Thresholds
    are mostly ordinary numbers (the modal pre-fills them), so most examples get past them
    to the numbers and strategies."""
    values: dict[str, dict[str, Any]] = {}
    for block in VALUE_BLOCKS:
        if draw(st.booleans()):
            values[block] = text_input(draw(typed_number))
    for block in STRATEGY_BLOCKS:
        option = draw(st.one_of(st.none(), st.sampled_from([*Strategy, "bogus", ""])))
        values[block] = selected(None if option is None else str(option))
    ordinary = st.integers(0, 400).map(str)
    for block in THRESHOLD_BLOCKS:
        values[block] = text_input(draw(st.one_of(ordinary, ordinary, ordinary, typed_number)))
    return values


def typed(values: dict[str, dict[str, Any]], block: str) -> str:
    entry = values.get(block, {}).get("value", {})
    if "selected_option" in entry:
        return str((entry["selected_option"] or {}).get("value") or "")
    return str(entry.get("value") or "").strip()


def number_or_none(text: str) -> int | None:
    """An oracle written apart from the parser: ASCII digits, either together or in groups of
    three after the first (``1 000 000``; ``12 34`` is a typo), from 1 to the largest number
    both systems can hold (a signed 32-bit integer)."""
    words = text.split()
    if not words or not all(re.fullmatch(r"[0-9]+", word) for word in words):
        return None
    if len(words) > 1 and (len(words[0]) > 3 or any(len(word) != 3 for word in words[1:])):
        return None
    digits = "".join(words)
    if len(digits) > 10:  # more than 2,147,483,647 (and int() refuses thousands of digits)
        return None
    value = int(digits)
    return value if 1 <= value <= 2**31 - 1 else None


@FUZZ
@given(setup_states())
def test_setup_modal_numbers_become_values_or_field_errors(
    values: dict[str, dict[str, Any]],
) -> None:
    outcome = parse_setup(values, "en")
    if isinstance(outcome, dict):
        assert outcome, "an empty error dict would submit nothing and say nothing"
        assert set(outcome) <= {*VALUE_BLOCKS, *STRATEGY_BLOCKS, *THRESHOLD_BLOCKS}
        assert all(message.strip() for message in outcome.values())
        # Every field the oracle reads as a number is accepted, every other is named.
        for block in VALUE_BLOCKS:
            text = typed(values, block)
            if text and number_or_none(text) is None:
                assert block in outcome, (block, text)
            elif block in outcome:
                raise AssertionError(f"{text!r} refused in {block}")
        return
    assert isinstance(outcome, Setup)
    for series in Series:
        for field in InputField:
            text = typed(values, f"value.{series.value}.{field.value}")
            assert outcome.values.get((series, field)) == (number_or_none(text) if text else None)
        chosen = typed(values, f"strategy.{series.value}")
        assert outcome.strategies.get(series) == (Strategy(chosen) if chosen else None)
    assert outcome.thresholds is not None
    assert outcome.thresholds.warning_days == int(typed(values, "threshold.warning_days"))


def test_the_setup_fuzzer_reaches_parsed_numbers_and_number_errors() -> None:
    """The generator is not stuck at the thresholds: it produces setups with numbers in them
    and refusals that name a number field."""
    parsed = find(
        setup_states(),
        lambda v: isinstance(o := parse_setup(v, "en"), Setup) and len(o.values) >= 2,
        settings=settings(max_examples=500, database=None),
    )
    assert len(parse_setup(parsed, "en").values) >= 2  # type: ignore[union-attr]
    refused = find(
        setup_states(),
        lambda v: isinstance(o := parse_setup(v, "en"), dict) and set(o) <= set(VALUE_BLOCKS),
        settings=settings(max_examples=500, database=None),
    )
    assert set(parse_setup(refused, "en")) <= set(VALUE_BLOCKS)
