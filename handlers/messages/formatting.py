"""Numbers, dates and plurals in the reader's language (CLDR data through Babel).

A Finnish reader writes `12 345` (a no-break space between thousands) and `12,5`: the comma is
the decimal mark, so `12,345` would read as twelve and a bit. Dates are `6.12.2026` in
Finnish and `6 Dec 2026` in English (day first and the month in letters: never ambiguous).
A moment is `30 Nov 2026 12:24 UTC` / `30.11.2026 klo 12.24 UTC` (``format_when``).

    >>> format_number(12345, "fi"), format_number(12345, "en")
    ('12\\xa0345', '12,345')
    >>> tn("registers.count.rows", "fi", 1)
    '1 rivi'
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.numbers import format_decimal

from core.language import Language, language_of
from handlers.messages import t

# The CLDR locale behind each language of the catalogue.
_LOCALES = {"en": Locale.parse("en_GB"), "fi": Locale.parse("fi_FI")}
# The thousands separators of those locales (a test compares them with Babel's).
_GROUP_SEPARATORS = {"en": ",", "fi": "\u00a0"}
# Day first in both languages; English spells the month so 6/12 and 12/6 cannot be confused.
_DATE_PATTERNS = {"en": "d MMM y", "fi": "d.M.y"}


def _locale(language: str) -> Locale:
    return _LOCALES[language_of(language)]


def format_number(value: int | float | Decimal, language: str, decimals: int | None = None) -> str:
    """``value`` grouped by thousands with the language's marks.

    ``decimals`` fixes the digits after the mark (`format_number(2.5, "fi", 2)` → `2,50`);
    without it an integer has none and a fraction keeps up to three.
    """
    if decimals is None and type(value) is int and value >= 0:
        # CLDR's answer without loading the locale's data (10-17 ms, the first time in a
        # process): Latin digits grouped by three with the language's separator.
        return f"{value:,}".replace(",", _GROUP_SEPARATORS[language_of(language)])
    locale = _locale(language)
    if decimals is None:
        return format_decimal(value, locale=locale)
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(value, format=pattern, locale=locale, decimal_quantization=True)


def format_date(value: date | datetime, language: str) -> str:
    """`6.12.2026` in Finnish, `6 Dec 2026` in English (a datetime shows its own date)."""
    day = value.date() if isinstance(value, datetime) else value
    lang = language_of(language)
    return _babel_date(day, format=_DATE_PATTERNS[lang], locale=_LOCALES[lang])


def format_when(moment: datetime, language: str) -> str:
    """A moment for people, in UTC: ``30 Nov 2026 12:24 UTC`` / ``30.11.2026 klo 12.24 UTC``."""
    utc = moment.astimezone(UTC)
    if language_of(language) is Language.FI:
        return f"{utc.day}.{utc.month}.{utc.year} klo {utc.hour}.{utc.minute:02d} UTC"
    return utc.strftime("%-d %b %Y %H:%M UTC")


def mention(user_id: str) -> str:
    """A Slack user mention; the terminal workspace renders it as a name too."""
    return f"<@{user_id}>"


def plural(count: int, one: str, other: str) -> str:
    """``one`` for exactly 1, else ``other``: the CLDR rule of both English and Finnish
    integers (`1 rivi`, `2 riviä`, `0 riviä`; `1 row`, `0 rows`)."""
    return one if count == 1 else other


def tn(key: str, language: str, count: int, /, **params: object) -> str:
    """The catalogue text ``key.one`` or ``key.other`` for ``count``, with ``{count}`` filled
    in as a formatted number (and any other ``params``).

    The catalogue keeps both forms per language, so translators write whole phrases instead
    of gluing suffixes: ``"registers.count.rows.one": {"en": "{count} row", "fi": …}``.
    """
    form = _locale(language).plural_form(abs(count))
    suffix = "one" if form == "one" else "other"
    return t(f"{key}.{suffix}", language, count=format_number(count, language), **params)
