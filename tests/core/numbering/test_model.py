from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.numbering import Level, Reading, effective_rackbeat_next, worst
from core.upstream import Source, parse_number

T = datetime(2025, 1, 6, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", 1),
        ("0010024", 10024),
        ("1 000 024", 1_000_024),
        ("123456789012345678901234567890", 123456789012345678901234567890),
    ],
)
def test_document_numbers_are_digits_and_may_be_long(text: str, expected: int) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["", " ", "-5", "12.5", "INV-1", "１２", "1" * 31, "1e5", "+7"])
def test_anything_but_digits_is_not_a_document_number(text: str) -> None:
    with pytest.raises(ValueError, match="not a document number"):
        parse_number(text)


def test_levels_are_ordered_with_unknown_between_warning_and_critical() -> None:
    ordered = sorted(Level, key=lambda level: level.rank)
    assert ordered == [
        Level.OK,
        Level.WARNING,
        Level.UNKNOWN,
        Level.CRITICAL,
        Level.COLLISION,
    ]
    assert worst([Level.UNKNOWN, Level.WARNING]) is Level.UNKNOWN


def test_typed_next_number_above_the_api_one_wins() -> None:
    api = Reading(501, Source.RACKBEAT, T)
    typed = Reading(20_000, Source.MANUAL, T)
    assert effective_rackbeat_next(api, typed) == typed
    assert effective_rackbeat_next(api, None) == api
    assert effective_rackbeat_next(None, typed) == typed
