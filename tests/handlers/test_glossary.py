"""The texts use the glossary's words: wherever an English text uses a term of
``docs/glossary.md`` (outside code spans), its Finnish text uses that term's Finnish word."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from handlers.messages import CATALOG

GLOSSARY = Path(__file__).resolve().parents[2] / "docs" / "glossary.md"
# Code spans (`/rackbeat done`) and placeholders ({step}) are not words of the text.
_CODE = re.compile(r"`[^`]*`|\{[a-z_]*\}")


def terms() -> list[tuple[str, tuple[str, ...]]]:
    """(English term, accepted Finnish word beginnings) per row of the glossary table."""
    rows = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or cells[0] in ("English", "") or set(cells[0]) <= {"-"}:
            continue
        english = re.sub(r"\s*(\(.*?\)|†)", "", cells[0]).strip()
        stems = tuple(s.strip().lower() for s in cells[2].split(","))
        for variant in english.split(","):
            rows.append((variant.strip(), stems))
    return rows


def pairs() -> dict[str, tuple[str, str]]:
    """Every text in both languages (the steps' own texts included: ``step.*``)."""
    return {key: (value["en"], value["fi"]) for key, value in CATALOG.items()}


TERMS = terms()
PAIRS = pairs()


def test_the_glossary_is_read() -> None:
    assert len(TERMS) >= 30
    assert ("inventory adjustment", ("varastonsäät", "varastonsääd")) in TERMS


def uses(english: str, term: str) -> bool:
    # "steps" and "alerts" count, "stepping" does not; code spans (`/rackbeat done`) do not.
    pattern = rf"\b{re.escape(term)}(s|es)?\b"
    return re.search(pattern, _CODE.sub(" ", english), re.IGNORECASE) is not None


@pytest.mark.parametrize(("term", "stems"), TERMS, ids=[t for t, _ in TERMS])
def test_finnish_uses_the_glossary_word_wherever_english_uses_the_term(
    term: str, stems: tuple[str, ...]
) -> None:
    drift = {
        key: finnish
        for key, (english, finnish) in PAIRS.items()
        if uses(english, term)
        and not any(stem in _CODE.sub(" ", finnish).lower() for stem in stems)
    }
    assert drift == {}, f"{term!r} → {stems}"
