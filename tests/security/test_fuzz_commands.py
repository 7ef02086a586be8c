"""Property-based fuzzing of the `/rackbeat` argument parsers: for any text a person (or a
paste) can put after the command, a parser answers or refuses with a `DomainError` (its reason
is what the user sees); anything else would reach the user as the apology for a bug."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.errors import DomainError
from core.numbering.commands import parse_numbering, parse_source
from core.onboarding import parsing
from handlers.commands import CommandRouter, split_subcommand
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
        assert refusal.reason


@pytest.mark.parametrize("name", ["split_step", "parse_set", "parse_members", "parse_page"])
@EACH
@given(text=anything)
def test_onboarding_parsers_refuse_in_finnish_too(name: str, text: str) -> None:
    try:
        PARSERS[name](text, "fi")  # type: ignore[call-arg]
    except DomainError as refusal:
        assert refusal.reason


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


@FUZZ
@given(st.dictionaries(st.text(max_size=30), st.text(max_size=40), max_size=6))
def test_setup_modal_with_arbitrary_text_fields_answers_with_a_setup_or_errors(
    typed: dict[str, str],
) -> None:
    values = {
        block: {"value": {"type": "plain_text_input", "value": text}}
        for block, text in typed.items()
        if not block.startswith("threshold.")
    }
    parse_setup(values, "en")
