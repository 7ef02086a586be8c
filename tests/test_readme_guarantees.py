"""The README's guarantees table cites, on every row, tests that exist: a renamed or deleted
test would otherwise leave a guarantee that nothing checks any more."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CITED = re.compile(r"`(tests/[\w/]+\.py)::(\w+)`")


def guarantee_rows() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Guarantees\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ")]
    return rows[1:]  # without the header row


def functions_in(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}


def test_every_guarantee_cites_tests_that_exist() -> None:
    rows = guarantee_rows()
    assert len(rows) >= 10
    for row in rows:
        cited = CITED.findall(row)
        if not cited:  # a row may cite a whole file of flows
            cited_files = re.findall(r"`(tests/[\w/]+\.py)`", row)
            assert cited_files, f"a guarantee with no test: {row[:80]}"
            assert all((ROOT / f).is_file() for f in cited_files), row[:80]
            continue
        for path, name in cited:
            assert (ROOT / path).is_file(), path
            assert name in functions_in(ROOT / path), f"{path}::{name} does not exist"
