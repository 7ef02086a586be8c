"""Forgiving parsing of the onboarding commands' arguments, at the edge.

People type step ids (``batch_serial``), titles (``Batch tracking and serial numbers``), Finnish
words (``alkusaldot``, ``käyttöoikeudet``), checklist numbers (``6``), in any case, with extra
spaces, dashes or missing umlauts. The titles and the other names of a step come from the
message catalogue (``handlers/messages/steps.py``). A word that matches nothing, or more than
one thing, is an ``InvalidArgument`` whose words list the valid values::

    >>> split_step("Batch and serial  numbers  not needed here")
    (<StepId.BATCH_SERIAL: 'batch_serial'>, 'not needed here')
    >>> parse_step("kayttooikeudet")
    <StepId.ACCESS_RIGHTS: 'access_rights'>
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from core.errors import InvalidArgument
from core.language import Language
from core.onboarding.steps import STEPS, StepId, Valuation
from handlers.messages import LANGUAGES, t
from handlers.messages.steps import ALIASES

_SEPARATORS = re.compile(r"[\s\-_/.,:;!?'\"`*()\[\]]+")
_STOP_WORDS = frozenset({"and", "ja", "&", "the"})
_MAX_STEP_WORDS = 6
_MIN_PREFIX = 3


def normalise(value: str) -> str:
    """Lower case, no accents (``ä`` → ``a``), punctuation as spaces, no filler words.

    >>> normalise("  Erät_ja-Sarjanumerot ")
    'erat sarjanumerot'
    """
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = [word for word in _SEPARATORS.split(plain) if word and word not in _STOP_WORDS]
    return " ".join(words)


def _build_step_names() -> Mapping[str, StepId]:
    names: dict[str, StepId] = {}
    for entry in STEPS:
        titles = (t(f"step.{entry.id.value}.title", language) for language in LANGUAGES)
        spellings = (entry.id.value, str(entry.position), *titles, *ALIASES.get(entry.id, ()))
        for spelling in spellings:
            key = normalise(spelling)
            if names.setdefault(key, entry.id) is not entry.id:
                raise AssertionError(f"{spelling!r} names both {names[key]} and {entry.id}")
    return MappingProxyType(names)


STEP_NAMES: Mapping[str, StepId] = _build_step_names()


def _step_by_prefix(word: str) -> StepId | None:
    """The one step that has a name starting with ``word`` (at least three letters)."""
    if len(word) < _MIN_PREFIX:
        return None
    matches = {step_id for name, step_id in STEP_NAMES.items() if name.startswith(word)}
    return matches.pop() if len(matches) == 1 else None


def _refuse_step(value: str) -> InvalidArgument:
    """Which step? (nothing typed), or: not a step, with the closest one when a typo is near."""
    if not value.strip():
        return InvalidArgument("onb.invalid.step_missing")
    first = normalise(value).split(" ")[0] if normalise(value) else ""
    close = difflib.get_close_matches(first, list(STEP_NAMES), n=1, cutoff=0.75)
    suggestion = STEP_NAMES[close[0]] if close else None
    return InvalidArgument("onb.invalid.step", value=value.strip(), suggestion=suggestion)


def split_step(value: str) -> tuple[StepId, str]:
    """The step named at the start of ``value`` and the rest (a note or reason), trimmed.

    The longest run of leading words that names a step wins; failing that, a first word
    that starts exactly one step's name (``init`` → ``initial_balances``).
    """
    words = list(re.finditer(r"\S+", value))
    for count in range(min(len(words), _MAX_STEP_WORDS), 0, -1):
        key = normalise(value[words[0].start() : words[count - 1].end()])
        if key in STEP_NAMES:
            return STEP_NAMES[key], value[words[count - 1].end() :].strip()
    if words:
        first = normalise(words[0].group())
        step_id = _step_by_prefix(first) if " " not in first else None
        if step_id is not None:
            return step_id, value[words[0].end() :].strip()
    raise _refuse_step(value)


def parse_step(value: str) -> StepId:
    """Exactly one step named by the whole of ``value``."""
    step_id, rest = split_step(value)
    if rest:
        raise _refuse_step(value)
    return step_id


_VALUATION_NAMES: Mapping[str, Valuation] = MappingProxyType(
    {
        normalise(name): method
        for method, names in (
            (Valuation.FIFO, ("fifo", "first in first out", "fi-fo")),
            (
                Valuation.AVERAGE,
                (
                    "average",
                    "avg",
                    "average cost",
                    "average price",
                    "weighted average",
                    "moving average",
                    "keskihinta",
                    "keskiarvo",
                    "painotettu keskihinta",
                    "liukuva keskihinta",
                ),
            ),
        )
        for name in names
    }
)

_SET_TARGETS = frozenset(
    normalise(word) for word in ("valuation", "valuation method", "arvostus", "arvostusmenetelmä")
)


def parse_valuation(value: str) -> Valuation:
    method = _VALUATION_NAMES.get(normalise(value))
    if method is None:
        if not value.strip():  # nothing typed: ask, don't echo empty backticks
            raise InvalidArgument("onb.missing.valuation")
        raise InvalidArgument("onb.invalid.valuation", value=value.strip())
    return method


def parse_set(value: str) -> Valuation:
    """``valuation fifo`` → ``Valuation.FIFO`` (the only thing ``set`` sets)."""
    words = value.split()
    for count in range(min(2, len(words)), 0, -1):
        if normalise(" ".join(words[:count])) in _SET_TARGETS:
            return parse_valuation(" ".join(words[count:]))
    raise InvalidArgument("onb.invalid.set")


_LANGUAGE_NAMES: Mapping[str, Language] = MappingProxyType(
    {
        normalise(name): language
        for language, names in (
            (Language.EN, ("en", "eng", "english", "englanti", "englanniksi", "in english")),
            (Language.FI, ("fi", "fin", "finnish", "suomi", "suomeksi", "in finnish")),
        )
        for name in names
    }
)


def parse_language(value: str) -> Language:
    chosen = _LANGUAGE_NAMES.get(normalise(value))
    if chosen is None:
        if not value.strip():
            raise InvalidArgument("onb.missing.language")
        raise InvalidArgument("onb.invalid.language", value=value.strip())
    return chosen


# Slack sends a mention as <@U123> or <@U123|name> (with escaping on); a bare id also works.
_MENTION = re.compile(r"^<?@?([UW][A-Z0-9]{2,})(?:\|[^>]*)?>?$")


def parse_user(value: str) -> str:
    """The user id in a mention: ``<@U123|ann>`` → ``U123``."""
    match = _MENTION.match(value.strip())
    if match is None:
        raise InvalidArgument("onb.invalid.user", value=value.strip())
    return match.group(1)


class MembersVerb(StrEnum):
    LIST = "list"
    ADD = "add"
    REMOVE = "remove"


_MEMBERS_VERBS: Mapping[str, MembersVerb] = MappingProxyType(
    {
        normalise(word): verb
        for verb, words in (
            (MembersVerb.LIST, ("list", "ls", "show", "näytä", "luettelo")),
            (MembersVerb.ADD, ("add", "invite", "lisää", "lisaa")),
            (MembersVerb.REMOVE, ("remove", "rm", "delete", "del", "kick", "poista")),
        )
        for word in words
    }
)


@dataclass(frozen=True)
class MembersArgs:
    verb: MembersVerb
    users: tuple[str, ...] = ()


def parse_members(value: str) -> MembersArgs:
    """``""`` → list; ``add @a @b`` / ``lisää @a``; ``remove @a`` / ``poista @a``."""
    words = value.split()
    if not words:
        return MembersArgs(MembersVerb.LIST)
    verb = _MEMBERS_VERBS.get(normalise(words[0]))
    if verb is None:
        raise InvalidArgument("onb.invalid.members")
    users = tuple(dict.fromkeys(parse_user(word) for word in words[1:]))
    if verb is MembersVerb.LIST:
        return MembersArgs(verb)
    if not users:
        raise InvalidArgument("onb.invalid.members")
    return MembersArgs(verb, users)


_PAGE_WORDS = frozenset({"page", "sivu", "p"})


def parse_page(value: str) -> int:
    """``""`` → 1; ``2``, ``page 2``, ``sivu 2`` → 2.

    Read from the words as typed (``normalise`` would turn ``-1`` into ``1``). A page number
    past the last page is returned as it is, for the history to say how many pages there are.
    """
    words = [word for word in value.casefold().split() if word not in _PAGE_WORDS]
    if not words:
        return 1
    # ASCII digits: `int` cannot read digits like `፩`; and no 5,000-digit pages.
    word = words[0]
    readable = len(words) == 1 and word.isascii() and word.isdecimal() and len(word) <= 30
    if readable and int(word) >= 1:
        return int(word)
    raise InvalidArgument("onb.invalid.page", value=value.strip())
