"""The hostile-input corpus (tests/data/hostile) and what every answer to it must satisfy."""

from __future__ import annotations

import csv
import importlib.util
import io
import re
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

HOSTILE = Path(__file__).resolve().parents[1] / "data" / "hostile"

# What `UnreadableFile.code` may be (core/registers/errors.py), plus the CLI's missing file.
REFUSAL_CODES = frozenset(
    {
        "empty",
        "header_only",
        "binary",
        "spreadsheet",
        "html",
        "not_text",
        "unknown_register",
        "ambiguous_register",
    }
)

# A spreadsheet runs a cell that starts with one of these (domain.md, OWASP "CSV Injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A plain number is not a formula: `-5` in a quantity column stays a number.
_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")


@cache
def make_corpus() -> ModuleType:
    """tests/data/hostile/make_corpus.py, imported by path (tests/data is not a package)."""
    spec = importlib.util.spec_from_file_location("make_corpus", HOSTILE / "make_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_corpus", module)
    spec.loader.exec_module(module)
    return module


def committed() -> dict[str, bytes]:
    """The corpus files as committed."""
    return {p.name: p.read_bytes() for p in sorted(HOSTILE.glob("*.csv"))}


@cache
def large() -> dict[str, bytes]:
    """The 1 MB files, made at test time."""
    built: dict[str, bytes] = make_corpus().build_large()
    return built


def everything() -> dict[str, bytes]:
    return committed() | large()


def live_formulas(data: bytes, delimiter: str = ";") -> list[str]:
    """Cells of a CSV the bot wrote that a spreadsheet would run as a formula.

    Escaped cells start with `'` and are fine; so are plain numbers.
    """
    text = data.decode("utf-8-sig")
    old = csv.field_size_limit()
    csv.field_size_limit(1 << 30)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    finally:
        csv.field_size_limit(old)
    return [
        cell
        for row in rows
        for cell in row
        if cell.startswith(FORMULA_START) and not _NUMBER.match(cell)
    ]
