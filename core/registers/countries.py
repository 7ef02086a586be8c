"""Countries and currencies as CLDR (through Babel) knows them.

A country cell may hold an ISO 3166 alpha-2 code (`FI`) or a country's name in Finnish,
Swedish, English or Danish, the languages of the people who write these files (`Japani`,
`Kanada`, `Förenta staterna`, `Tyskland`, `United Arab Emirates`), in any case, with or without
accents. Names are compared whole: `United Arab Emirates` is AE, never US.

    >>> country_code("Japani"), country_code("fi"), country_code("Atlantis")
    (('JP', True), ('FI', False), (None, False))
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import cache

from babel import Locale
from babel.numbers import get_territory_currencies

# CLDR regions with two letters that are not ISO 3166-1 countries: continents and unions
# (EU, EZ, UN, QO), the unknown region (ZZ), pseudo-locales (XA, XB), and codes reserved for
# other uses (AC, CP, CQ, DG, EA, IC, TA, XK).
_NOT_ISO = frozenset(
    ["AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "XK", "ZZ"]
)
_LANGUAGES = ("fi", "sv", "en", "da")

# Names people write that CLDR does not list in those languages: short forms and the
# countries' own names for the Nordic and Baltic neighbours and the biggest trade partners.
_COMMON_NAMES = {
    "USA": "US",
    "US": "US",
    "Amerikka": "US",
    "UK": "GB",
    "Great Britain": "GB",
    "Britain": "GB",
    "England": "GB",
    "Englanti": "GB",
    "Holland": "NL",
    "Hollanti": "NL",
    "Nederland": "NL",
    "Deutschland": "DE",
    "Österreich": "AT",
    "Schweiz": "CH",
    "España": "ES",
    "Polska": "PL",
    "Eesti": "EE",
    "Latvija": "LV",
    "Lietuva": "LT",
    "Norge": "NO",
    "Ísland": "IS",
}

_NOT_A_LETTER = re.compile(r"[^0-9a-z]+")


def name_key(text: str) -> str:
    """`Côte d’Ivoire` → `cotedivoire`: case, accents, spaces and punctuation removed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_A_LETTER.sub("", plain)


def _regions() -> list[str]:
    """CLDR's two-letter region codes (the others are numeric: `001` is the world)."""
    codes = (str(code) for code in Locale.parse("en").territories)
    return [code for code in codes if len(code) == 2 and code.isalpha()]


@cache
def alpha2() -> frozenset[str]:
    """Every ISO 3166-1 alpha-2 code (built on first use: loading CLDR takes a moment)."""
    return frozenset(code for code in _regions() if code not in _NOT_ISO)


@cache
def names() -> dict[str, str]:
    """Every name → its code; a name that two countries share in different languages is
    left out rather than guessed."""
    table: dict[str, str] = {}
    clashes: set[str] = set()
    for language in _LANGUAGES:
        for code, name in Locale.parse(language).territories.items():
            if code not in alpha2():
                continue
            key = name_key(name)
            if table.setdefault(key, code) != code:
                clashes.add(key)
    for key in clashes:
        del table[key]
    table.update({name_key(name): code for name, code in _COMMON_NAMES.items()})
    return table


def country_code(text: str) -> tuple[str | None, bool]:
    """(ISO code, typed as a name) for ``text``; (None, False) when it is neither."""
    upper = text.strip().upper()
    if upper in alpha2():
        return upper, False
    code = names().get(name_key(text))
    return (code, True) if code else (None, False)


@cache
def currencies(today: date | None = None) -> frozenset[str]:
    """ISO 4217 codes in use today: the legal tender of some territory (CLDR's supplemental
    data), so withdrawn ones (`FIM`, `DEM`) and made-up ones (`ABC`) are refused."""
    day = today or date.today()
    found: set[str] = set()
    for code in _regions():
        found.update(get_territory_currencies(code, start_date=day))
    return frozenset(found)
