"""docs/csv-formats.md is generated from the tables and lists every code and alias."""

from __future__ import annotations

from pathlib import Path

from core.registers.codes import CODES
from core.registers.columns import SCHEMAS
from core.registers.docgen import render

DOC = Path(__file__).resolve().parents[3] / "docs" / "csv-formats.md"


def test_committed_page_matches_the_tables() -> None:
    assert DOC.read_text(encoding="utf-8") == render(), (
        "regenerate: python -m core.registers.docgen > docs/csv-formats.md"
    )


def test_page_names_every_code_column_and_alias() -> None:
    page = render()
    assert all(f"`{code}`" in page for code in CODES)
    for columns in SCHEMAS.values():
        for column in columns:
            assert f"`{column.name}`" in page
            assert all(f"`{alias}`" in page for alias in column.aliases if alias != column.name)
