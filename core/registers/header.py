"""Reading a header row: which file column is which canonical column, and which register.

Header cells are compared after ``header_key``, which is built for headers as people and
systems write them:

* case, spaces and the separators ``_ - . : /`` do not matter: `Cost price`, `cost_price`,
  `COST-PRICE`, `CostPrice` and `costprice` are one name;
* a unit, currency or VAT note in parentheses or after the name is not part of it:
  `Myyntihinta (alv 0 %)`, `Kustannushinta €`, `Määrä kpl`;
* abbreviations with a dot are their spelled-out word: `As.nro` is `asiakasnumero`,
  `Toim.nro` is `toimittajanumero`, `puh.` is `puhelin`.

A header that is no accepted name but is within a small edit distance of the names of exactly
one column is read as that column, with a ``header_guessed`` warning (see ``guess_limit``).
A header that means different columns in different files (``AMBIGUOUS_HEADERS``, `Varasto`:
a location or a stock quantity) is decided by the register and the column's values, with a
``header_ambiguous`` warning.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import polars as pl

from core.registers.columns import (
    ABBREVIATIONS,
    AMBIGUOUS_HEADERS,
    REGISTER_STEMS,
    SCHEMAS,
    Column,
)
from core.registers.errors import UnreadableFile
from core.registers.model import Register

_SEPARATORS = re.compile(r"[\s_\-.:/\\,;]+")
_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]|\{[^}]*\}")
_SYMBOLS = re.compile(r"([€$£%])")
# Words of a note written after the name: currency, unit and VAT remarks (`€`, `EUR`, `kpl`,
# `excl. VAT`, `veroton`); a VAT word may carry its rate (`alv 0 %`, `alv 25,5 %`).
_VAT_WORDS = frozenset(["alv", "vat", "moms"])
_NOTE_WORDS = _VAT_WORDS | frozenset(
    [
        "€",
        "$",
        "£",
        "%",
        "eur",
        "euro",
        "euroa",
        "sek",
        "dkk",
        "nok",
        "usd",
        "kr",
        "kpl",
        "pcs",
        "stk",
        "veroton",
        "verollinen",
        "netto",
        "brutto",
        "excl",
        "exkl",
        "ex",
        "incl",
        "inkl",
        "ilman",
        "sis",
    ]
)


def _without_notes(words: list[str]) -> list[str]:
    """`myyntihinta alv 0 %` → `myyntihinta`; words are dropped from the end only, and never
    the first: a note alone (`kpl`, `ALV`) is the name."""
    end = len(words)
    while end > 1:
        if words[end - 1] in _NOTE_WORDS:
            end -= 1
            continue
        rate = end
        while rate > 1 and words[rate - 1].isdigit():
            rate -= 1
        if rate < end and rate > 1 and words[rate - 1] in _VAT_WORDS:
            end = rate - 1  # `alv 25 5` (from `alv 25,5`) goes with its rate
            continue
        break
    return words[:end] or words[:1]


@lru_cache(maxsize=8192)
def header_key(text: str) -> str:
    """Comparable form of a header cell: `Y-tunnus` → `ytunnus`, `Cost price €` → `costprice`.

    Invisible format characters (a BOM, zero-width spaces, direction marks) are dropped: a
    header that looks like `number` is `number`.
    """
    if not text.isascii():
        text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    folded = text.strip().strip('"').casefold()
    if "(" in folded or "[" in folded or "{" in folded:
        folded = _BRACKETED.sub(" ", folded).strip() or folded
    if not folded.isalnum():
        folded = _SYMBOLS.sub(r" \1 ", folded)
    words = [w for w in _SEPARATORS.split(folded) if w]
    return "".join(ABBREVIATIONS.get(w, w) for w in _without_notes(words))


def _lookup(register: Register, columns: tuple[Column, ...]) -> dict[str, str]:
    """Accepted header keys → canonical names; two columns claiming one key is a bug here."""
    table: dict[str, str] = {}
    for column in columns:
        for alias in (column.name, *column.aliases):
            key = header_key(alias)
            other = table.setdefault(key, column.name)
            if other != column.name:
                raise ValueError(f"{register}: {alias!r} names both {other} and {column.name}")
            if key in AMBIGUOUS_HEADERS:
                raise ValueError(f"{register}: {alias!r} is ambiguous; list it in one place")
    return table


LOOKUPS: dict[Register, dict[str, str]] = {reg: _lookup(reg, cols) for reg, cols in SCHEMAS.items()}


def guess_limit(key: str) -> int:
    """How many edits a header may be away from an accepted name and still be read as it.

    None below five characters (`maa`/`mail`, `kpl`/`qty` are different words), one edit up
    to nine (`Tuotenumro` → `tuotenumero`), two from ten (`customernumbr`). One edit is a
    letter added, missing, changed, or two neighbours swapped.
    """
    if len(key) < 5:
        return 0
    return 1 if len(key) < 10 else 2


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance of ``a`` and ``b``; ``limit + 1`` once it is past
    ``limit`` (headers are compared with hundreds of names).

    Only cells within ``limit`` of the diagonal are computed: a cell off it is at least its
    distance from the diagonal, past ``limit``, and counts as ``limit + 1``. Every path
    through one is past ``limit`` too, so a result within it is exact. (The full table took
    a third of the time the first header of a run took to map.)
    """
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    far = limit + 1
    width = len(b)
    before: list[int] = []
    previous = [j if j <= limit else far for j in range(width + 1)]
    for i in range(1, len(a) + 1):
        ca = a[i - 1]
        low, high = max(1, i - limit), min(width, i + limit)
        current = [far] * (width + 1)
        if i <= limit:
            current[0] = i
        for j in range(low, high + 1):
            cb = b[j - 1]
            best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if before and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                best = min(best, before[j - 2] + 1)
            current[j] = best
        if min(current[low - 1 : high + 1]) > limit:
            return far
        before, previous = previous, current
    return min(previous[width], far)


def _by_length(lookup: dict[str, str]) -> dict[int, list[tuple[str, str]]]:
    table: dict[int, list[tuple[str, str]]] = {}
    for alias, name in lookup.items():
        table.setdefault(len(alias), []).append((alias, name))
    return table


# Accepted names by length: a guess only looks at names within its edit limit in length.
_LENGTHS = {register: _by_length(lookup) for register, lookup in LOOKUPS.items()}
# A header row longer than this is not a register's header (they have at most 18 columns
# and exports add a few dozen): no guessing, so a hostile 100 000-cell row stays cheap.
GUESS_MAX_CELLS = 200


@lru_cache(maxsize=8192)
def guess_column(register: Register, key: str) -> str | None:
    """The one column whose accepted names ``key`` is close to, or None (none, or a tie)."""
    limit = guess_limit(key)
    if not limit:
        return None
    near = {
        name
        for length in range(len(key) - limit, len(key) + limit + 1)
        for alias, name in _LENGTHS[register].get(length, ())
        if edit_distance(key, alias, limit) <= limit
    }
    return near.pop() if len(near) == 1 else None


@dataclass(frozen=True)
class HeaderNote:
    """How a header cell was read when it was not an accepted name: guessed or decided."""

    index: int
    cell: str
    column: str | None  # None: read as a column this register does not import (ignored)
    reason: str  # "guessed", or what decided an ambiguous header ("register", "values")
    meaning: str  # the canonical meaning it was read as (`location`, `quantity`)


@dataclass(frozen=True)
class HeaderMap:
    """Which file column feeds which canonical column, and what the header got wrong."""

    register: Register
    positions: dict[str, int]  # canonical name → field index
    missing: tuple[str, ...]  # required canonical columns not found
    unknown: tuple[tuple[int, str], ...]  # (index, header text) of unrecognised columns
    duplicates: tuple[tuple[str, str], ...]  # (header text, canonical name) read second
    notes: tuple[HeaderNote, ...] = field(default=())


def map_header(
    register: Register,
    header: tuple[str, ...],
    sample: pl.DataFrame | None = None,
    *,
    keys: list[str] | None = None,
) -> HeaderMap:
    """Map ``header`` onto ``register``'s columns.

    Accepted names first, then ambiguous headers (decided with ``sample``, the first rows as
    fields ``f<i>``, when the register alone does not decide), then guesses: a guess never
    displaces an accepted name, and two headers that land on one column make the second a
    duplicate (an error, never a silent choice). Empty header cells at the end of the row
    (a trailing delimiter) are ignored with their column.
    """
    lookup = LOOKUPS[register]
    if keys is None:
        keys = [header_key(cell) for cell in header]
    positions: dict[str, int] = {}
    duplicates: list[tuple[str, str]] = []
    unknown: list[tuple[int, str]] = []
    notes: list[HeaderNote] = []
    pending: list[int] = []
    last = max((i for i, key in enumerate(keys) if key), default=-1)

    def take(index: int, name: str) -> bool:
        if name in positions:
            duplicates.append((header[index], name))
            return False
        positions[name] = index
        return True

    for index, key in enumerate(keys):
        if not key:
            if index < last:
                unknown.append((index, header[index]))
        elif key in lookup:
            take(index, lookup[key])
        else:
            pending.append(index)
    guessable: list[int] = []
    for index in pending:
        meanings = AMBIGUOUS_HEADERS.get(keys[index])
        if meanings is None:
            guessable.append(index)
            continue
        note = _decide(register, index, header[index], meanings, positions, sample)
        notes.append(note)
        if note.column is not None:
            take(index, note.column)
    for index in guessable:
        name = guess_column(register, keys[index]) if len(header) <= GUESS_MAX_CELLS else None
        if name is None:
            unknown.append((index, header[index]))
        elif take(index, name):
            notes.append(HeaderNote(index, header[index], name, "guessed", name))
    missing = tuple(c.name for c in SCHEMAS[register] if c.required and c.name not in positions)
    return HeaderMap(
        register, positions, missing, tuple(sorted(unknown)), tuple(duplicates), tuple(notes)
    )


# Values that only a quantity has: a decimal mark, a sign, a thousands space.
_QUANTITY_LIKE = r"^\s*[+-]|[.,][0-9]|[0-9][ \u00a0\u202f][0-9]"


def _decide(
    register: Register,
    index: int,
    cell: str,
    meanings: tuple[str, ...],
    taken: dict[str, int],
    sample: pl.DataFrame | None,
) -> HeaderNote:
    """One ambiguous header (a location or a stock quantity).

    The register decides when it has both meanings and another header already took one of
    them; otherwise the values do: decimals, signs or thousands spaces are a quantity, bare
    whole numbers a location number. A meaning the register does not import (a stock column
    in a products file) is read and ignored; a meaning already taken is a duplicate.
    """
    names = {c.name for c in SCHEMAS[register]}
    candidates = [m for m in meanings if m in names]
    free = [m for m in candidates if m not in taken]
    if len(candidates) == len(meanings) and len(free) == 1:
        return HeaderNote(index, cell, free[0], "register", free[0])
    quantity = _looks_like_quantity(sample, index)
    if quantity is not None:
        meaning, reason = ("quantity" if quantity else "location"), "values"
    elif free:
        meaning, reason = free[0], "register"
    else:
        meaning, reason = ("quantity" if "location" in taken else "location"), "register"
    return HeaderNote(index, cell, meaning if meaning in names else None, reason, meaning)


def _looks_like_quantity(sample: pl.DataFrame | None, index: int) -> bool | None:
    """Whether the column's first values look like quantities; None without values."""
    name = f"f{index}"
    if sample is None or name not in sample.columns:
        return None
    values = sample.get_column(name).drop_nulls()
    if values.len() == 0:
        return None
    return bool(values.str.contains(_QUANTITY_LIKE).any())


def closest_header(column: str, register: Register, candidates: Iterable[str]) -> str | None:
    """The header present that most resembles any accepted name of ``column`` ("did you mean")."""
    spec = next(c for c in SCHEMAS[register] if c.name == column)
    keys = {header_key(a) for a in (spec.name, *spec.aliases)}
    best, best_ratio = None, 0.6
    for cell in candidates:
        key = header_key(cell)
        for alias in keys:
            ratio = difflib.SequenceMatcher(None, key, alias).ratio()
            if ratio > best_ratio:
                best, best_ratio = cell, ratio
    return best


def detect_register(header: tuple[str, ...], filename: str) -> Register:
    """The register whose columns the header names best; the file name breaks ties.

    Guessed and ambiguous headers count as the column they would be read as. Raises
    ``UnreadableFile`` (``unknown_register`` / ``ambiguous_register``) when the header
    matches no register, or two equally well and the file name does not tell.
    """
    scores: dict[Register, tuple[int, int]] = {}
    keys = [header_key(cell) for cell in header]
    for register in SCHEMAS:
        mapped = map_header(register, header, keys=keys)
        found = set(mapped.positions)
        required = sum(1 for c in SCHEMAS[register] if c.required and c.name in found)
        scores[register] = (required, len(found))
    best = max(scores.values())
    if best[0] < 2:
        raise UnreadableFile(
            "unknown_register",
            "The header row does not name the columns of products, customers, suppliers or "
            "inventory. Check the first row, or name the register explicitly.",
        )
    tied = [reg for reg, score in scores.items() if score == best]
    if len(tied) == 1:
        return tied[0]
    named = registers_in_text(filename)
    hinted = [reg for reg in tied if reg in named]
    if len(hinted) == 1:
        return hinted[0]
    options = " or ".join(reg.value for reg in tied)
    raise UnreadableFile(
        "ambiguous_register",
        f"The columns fit {options} equally well. Name the register explicitly "
        "(or put it in the file name).",
    )


_WORDS = re.compile(r"[^\W\d_]+")


def register_in_text(text: str) -> Register | None:
    """The one register a message or file name names, in any inflection a Finnish or
    English writer uses: `tuoterekisteri`, `tuotteita`, `asiakkaat.csv`, `varastosaldot`,
    `Suppliers`. None when it names none, or more than one.

    A word names a register when it contains one of its stems (``REGISTER_STEMS``); in a
    compound with stems of two registers the last one wins, since a Finnish (and Danish)
    compound ends with its head: `tuotesaldot` are balances, `varelager` is stock.
    """
    named = registers_in_text(text)
    return named.pop() if len(named) == 1 else None


def registers_in_text(text: str) -> set[Register]:
    """Every register a text names (see ``register_in_text``)."""
    named: set[Register] = set()
    for word in _WORDS.findall(text.casefold()):
        best: tuple[int, Register] | None = None
        for register, stems in REGISTER_STEMS.items():
            at = max(word.rfind(stem) for stem in stems)
            if at >= 0 and (best is None or at > best[0]):
                best = (at, register)
        if best is not None:
            named.add(best[1])
    return named
