"""`core` stays free of Slack: dependencies point bot → handlers → core."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN_IN_CORE = ("slack_bolt", "slack_sdk", "handlers", "bot")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_core_imports_neither_slack_nor_the_outer_layers() -> None:
    offenders = {}
    for path in (ROOT / "core").rglob("*.py"):
        bad = {name for name in imported_modules(path) if name.split(".")[0] in FORBIDDEN_IN_CORE}
        if bad:
            offenders[str(path.relative_to(ROOT))] = sorted(bad)
    assert offenders == {}


def test_handlers_do_not_import_the_process_layer() -> None:
    offenders = {}
    for path in (ROOT / "handlers").rglob("*.py"):
        bad = {name for name in imported_modules(path) if name.split(".")[0] == "bot"}
        if bad:
            offenders[str(path.relative_to(ROOT))] = sorted(bad)
    assert offenders == {}
