"""Numbers, dates and counted words as each language writes them (Babel's CLDR data).

Finnish groups thousands with a no-break space and uses a decimal comma (``12 345,50``) and
writes dates ``6.12.2026``; English writes ``12,345.50`` and ``6 Dec 2026``. Every number and
date in a text goes through here, so one message never mixes the two styles.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from babel.dates import format_date as _babel_date
from babel.numbers import format_decimal

_LOCALES = {"fi": "fi_FI", "en": "en_GB"}
_DATE_PATTERNS = {"fi": "d.M.yyyy", "en": "d MMM yyyy"}


def _language(language: str | None) -> str:
    return "fi" if language == "fi" else "en"


def format_number(
    value: int | float | Decimal | str, language: str | None, decimals: int | None = None
) -> str:
    """``12345`` → ``12 345`` (fi, no-break space) / ``12,345`` (en).

    ``decimals`` fixes the number of decimals (``format_number(3.5, "fi", 2)`` → ``3,50``);
    without it an integer stays an integer and a fraction keeps up to three decimals. Digit
    strings (document numbers are stored as text) are formatted as the number they spell.

    >>> format_number(1000000, "en")
    '1,000,000'
    """
    number = Decimal(value) if isinstance(value, str) else value
    if decimals is None:
        pattern = "#,##0.###"
    else:
        pattern = "#,##0." + "0" * decimals if decimals > 0 else "#,##0"
    return str(format_decimal(number, format=pattern, locale=_LOCALES[_language(language)]))


def format_date(value: date | datetime, language: str | None) -> str:
    """``6.12.2026`` (fi) / ``6 Dec 2026`` (en); a datetime is shown by its date."""
    day = value.date() if isinstance(value, datetime) else value
    lang = _language(language)
    return str(_babel_date(day, format=_DATE_PATTERNS[lang], locale=_LOCALES[lang]))


def plural(count: int, one: str, other: str) -> str:
    """``one`` when ``count`` is exactly 1 (or -1), else ``other``.

    English and Finnish agree on this rule: ``1 row`` / ``2 rows``, ``1 rivi`` / ``2 riviä``
    (Finnish "1 riviä" is the mistake this exists to prevent).
    """
    return one if abs(count) == 1 else other
