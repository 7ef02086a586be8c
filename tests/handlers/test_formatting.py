"""Numbers, dates and plurals in the reader's language."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from babel.numbers import format_decimal

from handlers.messages.formatting import (
    format_date,
    format_number,
    format_when,
    mention,
    plural,
    tn,
)


@pytest.mark.parametrize(
    ("value", "decimals", "fi", "en"),
    [
        (12345, None, "12\u00a0345", "12,345"),
        (1_000_000, None, "1\u00a0000\u00a0000", "1,000,000"),
        (999, None, "999", "999"),
        (2.5, 2, "2,50", "2.50"),
        (Decimal("1234.567"), 1, "1\u00a0234,6", "1,234.6"),
        (7, 0, "7", "7"),
    ],
)
def test_numbers_in_finnish_and_english(
    value: int | float | Decimal, decimals: int | None, fi: str, en: str
) -> None:
    assert format_number(value, "fi", decimals) == fi
    assert format_number(value, "en", decimals) == en


@pytest.mark.parametrize("language", ["fi", "en"])
def test_integers_are_written_as_cldr_writes_them(language: str) -> None:
    locale = {"fi": "fi_FI", "en": "en_GB"}[language]
    samples = [*range(2100), *(7**k for k in range(25)), 10**6, 10**9 - 1, -1, -1000, -123456]
    for value in samples:
        assert format_number(value, language) == format_decimal(value, locale=locale)


def test_an_unknown_language_reads_as_english() -> None:
    assert format_number(12345, "sv") == "12,345"


def test_dates_in_finnish_and_english() -> None:
    assert format_date(date(2026, 12, 6), "fi") == "6.12.2026"
    assert format_date(date(2026, 12, 6), "en") == "6 Dec 2026"
    assert format_date(datetime(2024, 4, 1, 23, 59, tzinfo=UTC), "fi") == "1.4.2024"


def test_plural_is_one_only_for_exactly_one() -> None:
    assert [plural(n, "rivi", "riviä") for n in (0, 1, 2, 21)] == [
        "riviä",
        "rivi",
        "riviä",
        "riviä",
    ]


@pytest.mark.parametrize(
    ("count", "fi", "en"),
    [(1, "1 rivi", "1 row"), (0, "0 riviä", "0 rows"), (12000, "12\u00a0000 riviä", "12,000 rows")],
)
def test_catalogue_counts(count: int, fi: str, en: str) -> None:
    assert tn("registers.count.rows", "fi", count) == fi
    assert tn("registers.count.rows", "en", count) == en


def test_moments_are_written_in_utc_for_each_language() -> None:
    moment = datetime(2026, 3, 4, 14, 7, tzinfo=timezone(timedelta(hours=2)))
    assert format_when(moment, "en") == "4 Mar 2026 12:07 UTC"
    assert format_when(moment, "fi") == "4.3.2026 klo 12.07 UTC"
    assert moment.astimezone(UTC).hour == 12


def test_a_mention_is_slack_s_link_to_the_user() -> None:
    assert mention("U_ANN") == "<@U_ANN>"
