"""Parsing ``/rackbeat numbering …``, ``connect …`` and ``disconnect …`` arguments.

Forgiving about case, plurals and Finnish words; a refusal names what would have been valid
(``InvalidArgument`` with a message key, put into words by the handlers).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from core.errors import InvalidArgument
from core.numbering.model import TYPED_MAX, InputField, Strategy, parse_typed_number
from core.upstream import Series, Source

SERIES_WORDS: dict[str, Series] = {
    "invoice": Series.INVOICE,
    "invoices": Series.INVOICE,
    "lasku": Series.INVOICE,
    "laskut": Series.INVOICE,
    "order": Series.ORDER,
    "orders": Series.ORDER,
    "tilaus": Series.ORDER,
    "tilaukset": Series.ORDER,
}
FIELD_WORDS: dict[str, InputField] = {field.value: field for field in InputField}
STRATEGY_WORDS: dict[str, Strategy] = {
    "rackbeat-only": Strategy.RACKBEAT_ONLY,
    "rackbeat": Strategy.RACKBEAT_ONLY,
    "mixed": Strategy.MIXED,
    "sekoitettu": Strategy.MIXED,
}
SOURCE_WORDS: dict[str, Source] = {"rackbeat": Source.RACKBEAT, "netvisor": Source.NETVISOR}


class Verb(StrEnum):
    STATUS = "status"
    CHECK = "check"
    SET = "set"
    STRATEGY = "strategy"


VERB_WORDS: dict[str, Verb] = {
    "": Verb.STATUS,
    "status": Verb.STATUS,
    "tila": Verb.STATUS,
    "check": Verb.CHECK,
    "tarkista": Verb.CHECK,
    "set": Verb.SET,
    "aseta": Verb.SET,
    "strategy": Verb.STRATEGY,
    "strategia": Verb.STRATEGY,
}


@dataclass(frozen=True)
class NumberingCommand:
    verb: Verb
    series: Series | None = None
    field: InputField | None = None
    value: int | None = None
    strategy: Strategy | None = None


def parse_numbering(args: str) -> NumberingCommand:
    """``numbering [check | set SERIES FIELD NUMBER | strategy [SERIES] STRATEGY]``.

    >>> command = parse_numbering("set Invoices netvisor-block-start 1 000 000")
    >>> command.series.value, command.field.value, command.value
    ('invoice', 'netvisor-block-start', 1000000)
    >>> parse_numbering("strategy mixed").strategy
    <Strategy.MIXED: 'mixed'>
    >>> parse_numbering("").verb
    <Verb.STATUS: 'status'>
    """
    words = args.split()
    verb = VERB_WORDS.get(words[0].lower() if words else "")
    if verb is None:
        raise InvalidArgument("numbering.usage")
    rest = words[1:]
    if verb in (Verb.STATUS, Verb.CHECK):
        return NumberingCommand(verb)
    if verb is Verb.SET:
        return _parse_set(rest)
    return _parse_strategy(rest)


def _parse_set(words: list[str]) -> NumberingCommand:
    if len(words) < 3:
        raise InvalidArgument("numbering.set.usage")
    series = _series(words[0])
    field = FIELD_WORDS.get(words[1].lower())
    if field is None:
        raise InvalidArgument(
            "numbering.set.bad_field",
            value=words[1],
            valid=", ".join(FIELD_WORDS),
        )
    text = " ".join(words[2:])
    try:
        value = parse_typed_number(text)
    except ValueError:
        raise InvalidArgument(
            "numbering.set.bad_number", value=text, max=f"{TYPED_MAX:,}"
        ) from None
    return NumberingCommand(Verb.SET, series=series, field=field, value=value)


def _parse_strategy(words: list[str]) -> NumberingCommand:
    if len(words) not in (1, 2):
        raise InvalidArgument("numbering.strategy.usage")
    series = _series(words[0]) if len(words) == 2 else None
    strategy = STRATEGY_WORDS.get(words[-1].lower())
    if strategy is None:
        raise InvalidArgument(
            "numbering.strategy.bad",
            value=words[-1],
            valid=", ".join(s.value for s in Strategy),
        )
    return NumberingCommand(Verb.STRATEGY, series=series, strategy=strategy)


def _series(word: str) -> Series:
    series = SERIES_WORDS.get(word.lower())
    if series is None:
        raise InvalidArgument(
            "numbering.bad_series",
            value=word,
            valid=", ".join(s.value for s in Series),
        )
    return series


def parse_source(args: str) -> Source:
    """``connect rackbeat`` / ``disconnect netvisor``: which upstream."""
    words = args.split()
    word = words[0].lower() if words else ""
    source = SOURCE_WORDS.get(word)
    if source is None:
        raise InvalidArgument("numbering.bad_source", value=word or "–")
    return source
