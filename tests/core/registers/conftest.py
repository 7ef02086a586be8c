"""Factories for register tests: check CSV text or bytes, read back (row, column, code)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from core.registers import FileInput, FileResult, KnownRegisters, validate_files

DATA = Path(__file__).resolve().parents[2] / "data" / "registers"
TODAY = date(2024, 5, 15)

PRODUCTS_HEADER = "number;name;group;cost_price;sales_price"
CUSTOMERS_HEADER = "number;name;group;vat_zone;payment_terms"
INVENTORY_HEADER = "date;product;location;quantity;cost_price;reason"

Check = Callable[..., FileResult]


def run_check(
    content: str | bytes,
    name: str = "file.csv",
    *,
    known: KnownRegisters | None = None,
    **kwargs: Any,
) -> FileResult:
    data = content.encode("utf-8") if isinstance(content, str) else content
    run = validate_files([FileInput(name, data=data)], known=known, today=TODAY, **kwargs)
    return run.files[0]


@pytest.fixture
def check() -> Check:
    return run_check


def found(result: FileResult) -> set[tuple[int | None, str | None, str]]:
    """(row, column, code) of every issue."""
    assert result.all_issues is not None
    return {(r, c, code) for r, c, code, _, _ in result.all_issues.iter_rows()}


def codes(result: FileResult) -> set[str]:
    return set(result.counts)
